// What every emulated backend shares: data dir, public URL, object store (profile + URL signer), faults, counters, admin hooks.
import type { FaultSet } from './faults';
import type { Router } from './router';
import type { StoreConfig } from './store/profiles';
import type { StoreSigner } from './store/signer';
import type { StateChanges } from './stateChanges';

export interface Counters {
  put_bytes: number;
  get_bytes: number;
  requests: number;
  [name: string]: number;
}

/** One backend's contribution to the emulator: its routes are added to the router by `register`. */
export interface BackendModule {
  /** Its part of GET /_emulator/state. */
  state?(): Record<string, unknown>;
  /** Called by POST /_emulator/reset and before sample data is loaded. */
  reset?(): void | Promise<void>;
  /** Loads sample data so that a first look shows something (`npm start`). */
  seed?(): void | Promise<void>;
  close?(): void | Promise<void>;
  /** The next moment (ms since the epoch) at which time alone changes its state, e.g. a run's end; undefined for none. */
  nextChangeAt?(): number | undefined;
}

export type BackendFactory = (router: Router, ctx: EmulatorContext) => BackendModule | Promise<BackendModule>;

/** The emulated object store's live profile settings and its URL signer (shared by every backend that presigns). */
export interface ObjectStore {
  config: StoreConfig;
  signer: StoreSigner;
}

export interface EmulatorContext {
  dataDir: string;
  /** e.g. http://127.0.0.1:PORT, known once the server listens. */
  baseUrl(): string;
  store: ObjectStore;
  faults: FaultSet;
  /** Folders the admin API may read `input_file` paths from: the data dir and any `--allow-input-dir`. */
  inputDirs: readonly string[];
  counters: Counters;
  /** The state's version: bump() after a change that GET /_emulator/state shows and no request made (a timer's). */
  changes: StateChanges;
  /** Adds to a named counter (shown in /_emulator/state). */
  count(name: string, by?: number): void;
}
