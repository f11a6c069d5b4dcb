// The engine's public shapes: its options, a new transfer's label, restore()'s answer, listener types, finished states, error wording.
import { ApiError, isAbortError } from '../api/errors';
import type { Logger } from '../api/logger';
import type { JournalStore, SetAside } from './journal';
import type { NetworkWaitPolicy } from './networkWait';
import type { TransferLocks } from './ownership';
import type { PartEvent } from './partActivity';
import type { TransferRecord, TransferState } from './types';

export interface EngineOptions {
  journal: JournalStore;
  logger: Logger;
  /** How many transfers run at once; read each time the queue moves. */
  concurrency: () => number;
  /** Minimum interval between change events for progress alone. */
  progressIntervalMs?: number;
  /** One owner per transfer across processes; without it this engine is the only one using its journal. */
  locks?: TransferLocks;
  /** How often transfers owned by another process are read again from the journal (live progress); off when unset. */
  watchIntervalMs?: number;
  /** How long a run that cannot reach its endpoint waits for it (read at each outage); none: it fails at once. */
  networkWait?: () => NetworkWaitPolicy;
  /** Resolves when the endpoint of `record` answers; none: running the transfer again is the probe. */
  probe?: (record: TransferRecord, signal: AbortSignal) => Promise<void>;
}

export interface NewTransfer {
  label: string;
  localPath?: string;
  bytesTotal?: number;
}

export interface RestoreResult {
  /** Transfers that were running when their process ended; they are paused now (autoResume may continue them). */
  interrupted: TransferRecord[];
  /** Journal files that could not be used, moved to the journal's corrupt/ folder. */
  setAside: SetAside[];
}

export type TransferListener = (record: TransferRecord | undefined) => void;
export type PartListener = (id: string, event: PartEvent) => void;

/** The phase of a run that waits for its endpoint to answer again. */
export const WAITING_FOR_NETWORK = 'waiting for network';

const FINISHED: readonly TransferState[] = ['completed', 'failed', 'cancelled'];

export function isFinished(state: TransferState): boolean {
  return FINISHED.includes(state);
}

export function describe(error: unknown): string {
  if (error instanceof ApiError) return error.describe();
  if (isAbortError(error)) return 'cancelled';
  if (error instanceof Error) return error.message;
  return String(error);
}
