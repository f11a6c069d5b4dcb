// The transfer engine's vocabulary: a transfer record, its progress, and the typed protocol contract.
import * as v from 'valibot';
import type { Logger } from '../api/logger';
import type { PartSink } from './partActivity';
import type { JsonPath } from './journalDiff';

export type TransferState = 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';
export type TransferDirection = 'upload' | 'download';

export interface TransferProgress {
  bytesDone: number;
  bytesTotal: number;
  /** From the bytes the store confirmed, smoothed (an exponential moving average); 0 while unknown. */
  bytesPerSecond: number;
  etaSeconds?: number;
  /** What the transfer is doing now, e.g. "hashing", "uploading", "waiting for authorization", "waiting for network". */
  phase?: string;
  /** Bytes the store has confirmed (finished parts); reported by protocols that send ahead of confirmation. */
  bytesConfirmed?: number;
  /** A side phase's own counter (bytes hashed, verified, …), apart from the transfer's bytes. */
  phaseDone?: number;
  phaseTotal?: number;
  /** Nothing moved for a while in a data phase (set by the engine). */
  stalled?: boolean;
  /** While waiting for the network: when the endpoint is tried next (epoch ms). */
  nextAttemptAt?: number;
  /** The files of a many-file transfer that are in flight now, by name: what each does and its bytes; none when idle. */
  files?: Readonly<Record<string, FileActivity>>;
}

/** One file of a many-file transfer while it is worked on: hashed (bytes read) or sent (bytes sent, not all confirmed). */
export interface FileActivity {
  phase: 'hashing' | 'uploading';
  done: number;
}

/** Who runs a transfer that this process does not: another VS Code window or another `datahub` process. */
export interface ForeignOwner {
  pid: number;
  kind: 'window' | 'cli';
}

/** A transfer: what the journal keeps. `P` and `C` are its protocol's params and checkpoint; unknown when erased. */
export interface TransferRecord<P = unknown, C = unknown> {
  id: string;
  protocol: string;
  direction: TransferDirection;
  /** Shown in the Transfers view. */
  label: string;
  /** The local file or folder the transfer reads or writes. */
  localPath?: string;
  state: TransferState;
  progress: TransferProgress;
  error?: string;
  /** Set when the source changed since the checkpoint: resuming is impossible, starting over is. */
  errorKind?: 'source-changed';
  createdAt: number;
  finishedAt?: number;
  /** What the protocol needs to start (subtask id, file list, …); validated by the protocol's schema when read back. */
  params: P;
  /** What the protocol has learnt so far (upload ids, finished parts, …); written after every part. */
  checkpoint: C;
  /** Set (in memory only) while another process owns the transfer: it is shown, never run, changed or cleared here. */
  elsewhere?: ForeignOwner;
}

/** A schema that both types a value and checks it at run time; never transforms (what it checks is what it types). */
export type Schema<T> = v.GenericSchema<T>;

/** What kind of transfer a protocol runs: its name, and the schemas of its params and checkpoint. */
export interface TransferKind<P, C extends object> {
  readonly name: string;
  readonly direction: TransferDirection;
  readonly params: Schema<P>;
  /** Every field optional: `{}` is the checkpoint of a transfer that has not started. */
  readonly checkpoint: Schema<C>;
}

export function defineKind<P, C extends object>(name: string, direction: TransferDirection, params: Schema<P>, checkpoint: Schema<C>): TransferKind<P, C> {
  return { name, direction, params, checkpoint };
}

/** True when `record` is a transfer of `kind` whose params and checkpoint pass its schemas. */
export function isTransferOf<P, C extends object>(kind: TransferKind<P, C>, record: TransferRecord): record is TransferRecord<P, C> {
  return record.protocol === kind.name && v.is(kind.params, record.params) && v.is(kind.checkpoint, record.checkpoint);
}

/** `record` as a transfer of `kind`; throws when it is not one (a caller that picked it by protocol never sees that). */
export function asTransferOf<P, C extends object>(kind: TransferKind<P, C>, record: TransferRecord): TransferRecord<P, C> {
  if (isTransferOf(kind, record)) return record;
  throw new Error(`transfer ${record.label} is not a valid ${kind.name} transfer: ${transferProblem(kind, record) ?? `it is a ${record.protocol} transfer`}`);
}

/** Why `record` is not a valid transfer of `kind`: the first schema issue, with its path. */
export function transferProblem<P, C extends object>(kind: TransferKind<P, C>, record: TransferRecord): string | undefined {
  for (const [what, schema, value] of [['params', kind.params, record.params], ['checkpoint', kind.checkpoint, record.checkpoint]] as const) {
    const result = v.safeParse(schema, value);
    if (!result.success) {
      const issue = result.issues[0];
      const path = v.getDotPath(issue);
      return `${what}${path ? `.${path}` : ''}: ${issue.message}`;
    }
  }
  return undefined;
}

export interface ProtocolRun<P, C extends object> {
  readonly record: Readonly<TransferRecord<P, C>>;
  /** Aborted on pause and cancel; every request of the run must pass it on. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  progress(update: Partial<TransferProgress>): void;
  /** What happens to each part (for the details view; kept in memory only). Optional: a protocol without parts sends none. */
  readonly parts?: PartSink;
  /**
   * Merges into the checkpoint and persists it before resolving. `changed`, when given, names every part of the record
   * (paths from its root: `['checkpoint', 'files', name]`, `['params', 'files', 3]`) changed since the last checkpoint,
   * so that the journal compares and writes only those (a folder's per-file checkpoint stays constant in cost).
   */
  checkpoint(update: Partial<C>, changed?: readonly JsonPath[]): Promise<void>;
}

/** What the engine gives a best-effort hook: `giveUp` aborts when the process shuts down (retry no more). */
export interface HookContext {
  readonly giveUp: AbortSignal;
}

export interface Protocol<P, C extends object> {
  readonly kind: TransferKind<P, C>;
  /** Runs (or resumes from record.checkpoint) until done; throws on failure; rejects with AbortError when signalled. */
  run(run: ProtocolRun<P, C>): Promise<void>;
  /** Server-side bookkeeping when the user pauses (e.g. status 2); best effort. */
  onPaused?(record: Readonly<TransferRecord<P, C>>, context: HookContext): Promise<void>;
  /** Server-side clean-up when the user cancels (e.g. status 4, abort); best effort. */
  onCancelled?(record: Readonly<TransferRecord<P, C>>, context: HookContext): Promise<void>;
  /** Server-side report of a failure (e.g. status 5); best effort. */
  onFailed?(record: Readonly<TransferRecord<P, C>>, error: unknown, context: HookContext): Promise<void>;
  /** Server-side clean-up of a checkpoint that is thrown away to start over (e.g. abort); best effort. */
  onDiscarded?(record: Readonly<TransferRecord<P, C>>, context: HookContext): Promise<void>;
  /** Whether a checkpoint is still usable, e.g. the source file did not change; a message when it is not. */
  checkResumable?(record: Readonly<TransferRecord<P, C>>): Promise<string | undefined>;
}

export class TransferCancelledError extends Error {
  override readonly name = 'AbortError';
}

/** A checkpoint with nothing in it yet: the transfer has not started, or starts over. */
export function isEmptyCheckpoint(checkpoint: object): boolean {
  return Object.keys(checkpoint).length === 0;
}
