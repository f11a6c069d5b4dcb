// What a datahub-upload keeps in its journal: its params (the files) and, per file, its checkpoint — keyed by
// file name in null-prototype records (a file named "__proto__" is just a key) — and the upload ids it leaves open.
import * as v from 'valibot';
import type { Logger } from '../../api/logger';
import { dictOf, wholeNumber } from '../schemas';
import { defineKind, type TransferRecord } from '../types';

const fileSchema = v.object({
  path: v.string(),
  /** The name sent as file_name: the base name, or the path relative to the uploaded folder. */
  name: v.string(),
  size: wholeNumber,
  mtimeMs: v.pipe(v.number(), v.finite()),
});

const paramsSchema = v.object({
  subtaskId: v.string(),
  files: v.array(fileSchema),
});

/** What the journal keeps per file. */
const fileCheckpointSchema = v.object({
  md5: v.optional(v.string()),
  /** Whether the MD5 came from the hash cache (no hashing pass) rather than from reading the file. */
  md5Cached: v.optional(v.boolean()),
  partSize: v.optional(v.pipe(wholeNumber, v.minValue(1))),
  uploadId: v.optional(v.string()),
  /** Part URL by part index ("1", "2", …). */
  urls: v.optional(dictOf(v.string())),
  /** The ETag each PUT answered, exactly as received, by part index. */
  etags: v.optional(dictOf(v.string())),
  done: v.optional(v.boolean()),
  error: v.optional(v.string()),
  /** Upload ids opened for this file and then given up (a new init after an expired URL): they stay open on the store. */
  abandoned: v.optional(v.array(v.string())),
});

const checkpointSchema = v.object({
  /** By file name. */
  files: v.optional(dictOf(fileCheckpointSchema)),
  resultPosted: v.optional(v.boolean()),
});

export type DatahubUploadFile = v.InferOutput<typeof fileSchema>;
export type DatahubUploadParams = v.InferOutput<typeof paramsSchema>;
export type FileCheckpoint = v.InferOutput<typeof fileCheckpointSchema>;
export type DatahubUploadCheckpoint = v.InferOutput<typeof checkpointSchema>;

export const DATAHUB_UPLOAD = 'datahub-upload';
export const DATAHUB_UPLOAD_KIND = defineKind<DatahubUploadParams, DatahubUploadCheckpoint>(DATAHUB_UPLOAD, 'upload', paramsSchema, checkpointSchema);

/** A null-prototype copy of `from`, so that any string, "__proto__" included, is an ordinary key. */
export function dict<T>(from?: Readonly<Record<string, T>> | null): Record<string, T> {
  const out: Record<string, T> = Object.create(null);
  if (from && typeof from === 'object') for (const [key, value] of Object.entries(from)) out[key] = value;
  return out;
}

/** The value stored under `key` itself, never one inherited from Object.prototype. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** The per-file checkpoints, as null-prototype records (the journal's JSON gives plain objects). */
export function fileCheckpoints(checkpoint: Readonly<DatahubUploadCheckpoint>): Record<string, FileCheckpoint> {
  const files = dict(checkpoint.files);
  for (const [name, cp] of Object.entries(files)) {
    files[name] = { ...cp, urls: cp.urls && dict(cp.urls), etags: cp.etags && dict(cp.etags) };
  }
  return files;
}

/** Every upload id the checkpoint leaves open on the store: given up ones, and those of files not completed. */
export function openUploadIds(checkpoint: Readonly<DatahubUploadCheckpoint>): string[] {
  const ids: string[] = [];
  for (const cp of Object.values(fileCheckpoints(checkpoint))) {
    ids.push(...(cp.abandoned ?? []));
    if (!cp.done && cp.uploadId) ids.push(cp.uploadId);
  }
  return ids;
}

/** Records and logs an upload id the client gives up on (api 000 has no abort: it stays open on the store). */
export function abandon(cp: FileCheckpoint, uploadId: string, why: string, fileName: string, logger: Logger): void {
  cp.abandoned = [...(cp.abandoned ?? []), uploadId];
  logger.warn(`upload id ${uploadId} of ${fileName} abandoned (${why}); ${cp.abandoned.length} abandoned for this file so far`);
}

/** Bytes already in the store by the checkpoints: whole files done, and the parts with a recorded ETag. */
export function bytesRecorded(files: readonly DatahubUploadFile[], checkpoints: Record<string, FileCheckpoint>): number {
  return files.reduce((sum, f) => {
    const cp = own(checkpoints, f.name);
    if (!cp) return sum;
    if (cp.done) return sum + f.size;
    const partSize = cp.partSize ?? 0;
    return sum + Object.keys(cp.etags ?? {}).reduce((s, idx) => s + Math.max(0, Math.min(partSize, f.size - (Number(idx) - 1) * partSize)), 0);
  }, 0);
}

/** What one file of an upload is doing, as its row under the transfer's says it. */
export type UploadFileState = 'queued' | 'hashing' | 'uploading' | 'completed' | 'failed' | 'paused' | 'cancelled';

export interface UploadFileRow {
  name: string;
  path: string;
  size: number;
  state: UploadFileState;
  /** Bytes in the store (or sent, while it uploads); the bytes read while it hashes. */
  done: number;
  /** Why it failed: its own error, or none when the transfer stopped before it was sent. */
  error?: string;
}

/**
 * Each file of an upload from what the journal records (done, failed, parts stored) and, while the transfer runs,
 * what the files in flight report; a file not in flight waits (queued), or shares the stopped transfer's state.
 */
export function uploadFileRows(record: Readonly<TransferRecord<DatahubUploadParams, DatahubUploadCheckpoint>>): UploadFileRow[] {
  const checkpoints = fileCheckpoints(record.checkpoint);
  // Only a running transfer has files in flight (a report that arrives after a pause is no news).
  const running = record.state === 'running' ? record.progress.files : undefined;
  return record.params.files.map((file): UploadFileRow => {
    const cp = own(checkpoints, file.name);
    const row = { name: file.name, path: file.path, size: file.size };
    const recorded = bytesRecorded([file], dict(cp ? { [file.name]: cp } : {}));
    if (cp?.done) return { ...row, state: 'completed', done: file.size };
    if (cp?.error !== undefined) return { ...row, state: 'failed', done: recorded, error: cp.error };
    const activity = own(running, file.name);
    if (activity) return { ...row, state: activity.phase, done: Math.min(file.size, activity.done) };
    switch (record.state) {
      case 'queued':
      case 'running':
        return { ...row, state: 'queued', done: recorded };
      case 'paused':
        return { ...row, state: 'paused', done: recorded };
      case 'cancelled':
        return { ...row, state: 'cancelled', done: recorded };
      case 'completed':
        return { ...row, state: 'completed', done: file.size };
      case 'failed':
        return { ...row, state: 'failed', done: recorded };
    }
  });
}
