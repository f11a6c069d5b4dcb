// What a datahub-upload keeps in its journal: its params (the files) and, per file, its checkpoint — keyed by
// file name in null-prototype records (a file named "__proto__" is just a key) — and the upload ids it leaves open.
import type { Logger } from '../../api/logger';
import { fingerprint } from '../fileFingerprint';
import type { Json, TransferRecord } from '../types';

export interface DatahubUploadFile {
  path: string;
  /** The name sent as file_name: the base name, or the path relative to the uploaded folder. */
  name: string;
  size: number;
  mtimeMs: number;
}

export interface DatahubUploadParams {
  subtaskId: string;
  files: DatahubUploadFile[];
}

export function datahubUploadParams(record: Readonly<TransferRecord>): DatahubUploadParams {
  return record.params as unknown as DatahubUploadParams;
}

/** Builds the params of a new upload from local paths (files only; folders are expanded by the caller). */
export async function describeUploadFiles(entries: { path: string; name: string }[]): Promise<DatahubUploadFile[]> {
  const files: DatahubUploadFile[] = [];
  for (const entry of entries) {
    const fp = await fingerprint(entry.path);
    files.push({ path: entry.path, name: entry.name, size: fp.size, mtimeMs: fp.mtimeMs });
  }
  return files;
}


/** What the journal keeps per file. */
export interface FileCheckpoint {
  md5?: string;
  partSize?: number;
  uploadId?: string;
  /** Part URL by part index ("1", "2", …). */
  urls?: Record<string, string>;
  /** The ETag each PUT answered, exactly as received, by part index. */
  etags?: Record<string, string>;
  done?: boolean;
  error?: string;
  /** Upload ids opened for this file and then given up (a new init after an expired URL): they stay open on the store. */
  abandoned?: string[];
}

/** A null-prototype copy of `from`, so that any string, "__proto__" included, is an ordinary key. */
export function dict<T>(from?: Readonly<Record<string, T>> | null): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  if (from && typeof from === 'object') for (const [key, value] of Object.entries(from)) out[key] = value;
  return out;
}

/** The value stored under `key` itself, never one inherited from Object.prototype. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** The per-file checkpoints of a record, as null-prototype records (the journal's JSON gives plain objects). */
export function fileCheckpoints(record: Readonly<TransferRecord>): Record<string, FileCheckpoint> {
  const files = dict(record.checkpoint.files as unknown as Record<string, FileCheckpoint> | undefined);
  for (const [name, cp] of Object.entries(files)) {
    files[name] = { ...cp, urls: cp.urls && dict(cp.urls), etags: cp.etags && dict(cp.etags) };
  }
  return files;
}

/** `files` as the journal stores it. */
export function filesJson(files: Record<string, FileCheckpoint>): Json {
  return files as unknown as Json;
}

/** Every upload id the record leaves open on the store: given up ones, and those of files not completed. */
export function openUploadIds(record: Readonly<TransferRecord>): string[] {
  const ids: string[] = [];
  for (const cp of Object.values(fileCheckpoints(record))) {
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
