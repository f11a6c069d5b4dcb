// The transfer engine's vocabulary: a transfer record, its progress, and the protocol adapter contract.
import type { Logger } from '../api/logger';

export type TransferState = 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';
export type TransferDirection = 'upload' | 'download';

export interface TransferProgress {
  bytesDone: number;
  bytesTotal: number;
  /** Smoothed over the last few seconds. */
  bytesPerSecond: number;
  etaSeconds?: number;
  /** What the transfer is doing now, e.g. "hashing", "uploading", "waiting for authorization". */
  phase?: string;
}

/** JSON-serialisable; this is what the journal stores. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface TransferRecord {
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
  /** What the protocol needs to start (subtask id, file list, …). */
  params: { [key: string]: Json };
  /** What the protocol has learnt so far (upload ids, finished parts, …); written after every part. */
  checkpoint: { [key: string]: Json };
}

export interface ProtocolRun {
  readonly record: Readonly<TransferRecord>;
  /** Aborted on pause and cancel; every request of the run must pass it on. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  progress(update: Partial<TransferProgress>): void;
  /** Merges into the checkpoint and persists it (atomically) before resolving. */
  checkpoint(update: { [key: string]: Json }): Promise<void>;
}

export interface Protocol {
  readonly name: string;
  /** Runs (or resumes from record.checkpoint) until done; throws on failure; rejects with AbortError when signalled. */
  run(run: ProtocolRun): Promise<void>;
  /** Server-side bookkeeping when the user pauses (e.g. status 2); best effort. */
  onPaused?(record: Readonly<TransferRecord>): Promise<void>;
  /** Server-side clean-up when the user cancels (e.g. status 4, abort); best effort. */
  onCancelled?(record: Readonly<TransferRecord>): Promise<void>;
  /** Server-side report of a failure (e.g. status 5); best effort. */
  onFailed?(record: Readonly<TransferRecord>, error: unknown): Promise<void>;
  /** Server-side clean-up of a checkpoint that is thrown away to start over (e.g. abort); best effort. */
  onDiscarded?(record: Readonly<TransferRecord>): Promise<void>;
  /** Whether a checkpoint is still usable, e.g. the source file did not change; a message when it is not. */
  checkResumable?(record: Readonly<TransferRecord>): Promise<string | undefined>;
}

export class TransferCancelledError extends Error {
  override readonly name = 'AbortError';
}
