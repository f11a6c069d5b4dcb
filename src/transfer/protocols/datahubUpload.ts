// Protocol datahub-upload (api 000): MD5 → init → parallel part PUTs → complete, with status,
// heartbeat and result reported to the subtask; resumable from the recorded ETags.
import type { AxiosInstance } from 'axios';
import { ApiError } from '../../api/errors';
import type { DatahubClient } from '../../api/datahub/client';
import { SubtaskStatus } from '../../api/datahub/types';
import { isExpiredUrl, putFileRange } from '../dataPlane';
import { fingerprint, fingerprintChange, type FileFingerprint } from '../fileFingerprint';
import { md5FileAndParts } from '../md5';
import { choosePartSize, planParts, type PartRange } from '../parts';
import { runPool } from '../pool';
import { withRetry } from '../retry';
import type { Json, Protocol, ProtocolRun, TransferRecord } from '../types';

export const DATAHUB_UPLOAD = 'datahub-upload';

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

export interface DatahubUploadTuning {
  chunkSize: number;
  partConcurrency: number;
  retries: number;
  heartbeatSeconds: number;
  stallSeconds: number;
}

/** What the journal keeps per file. */
interface FileCheckpoint {
  md5?: string;
  partSize?: number;
  uploadId?: string;
  urls?: Record<string, string>;
  etags?: Record<string, string>;
  done?: boolean;
  error?: string;
}

export interface DatahubUploadDeps {
  client: DatahubClient;
  data: AxiosInstance;
  tuning: () => DatahubUploadTuning;
}

export function datahubUploadParams(record: Readonly<TransferRecord>): DatahubUploadParams {
  return record.params as unknown as DatahubUploadParams;
}

/** Builds the params of a new upload from local paths (files only; folders are expanded by the caller). */
export async function describeUploadFiles(entries: { path: string; name: string }[]): Promise<DatahubUploadFile[]> {
  const files: DatahubUploadFile[] = [];
  for (const entry of entries) {
    const fp: FileFingerprint = await fingerprint(entry.path);
    files.push({ path: entry.path, name: entry.name, size: fp.size, mtimeMs: fp.mtimeMs });
  }
  return files;
}

const stripQuotes = (etag: string): string => etag.replace(/^W\//, '').replace(/^"|"$/g, '');

export class DatahubUploadProtocol implements Protocol {
  readonly name = DATAHUB_UPLOAD;

  constructor(private readonly deps: DatahubUploadDeps) {}

  async checkResumable(record: Readonly<TransferRecord>): Promise<string | undefined> {
    const files = (record.checkpoint.files ?? {}) as Record<string, FileCheckpoint>;
    for (const file of datahubUploadParams(record).files) {
      const cp = files[file.name];
      if (!cp || cp.done) continue;
      const change = await fingerprintChange({ path: file.path, size: file.size, mtimeMs: file.mtimeMs });
      if (change) return `${change}. Start the upload over to send the new content.`;
    }
    return undefined;
  }

  async run(run: ProtocolRun): Promise<void> {
    const params = datahubUploadParams(run.record);
    const tuning = this.deps.tuning();
    // A start over (retry after a source change) must describe the file as it is now.
    if (Object.keys(run.record.checkpoint).length === 0) {
      for (const file of params.files) {
        const now = await fingerprint(file.path);
        file.size = now.size;
        file.mtimeMs = now.mtimeMs;
      }
      run.progress({ bytesDone: 0, bytesTotal: params.files.reduce((s, f) => s + f.size, 0) });
    }
    const { client } = this.deps;
    const total = params.files.reduce((sum, f) => sum + f.size, 0);
    const checkpoints = ((run.record.checkpoint.files as unknown as Record<string, FileCheckpoint> | undefined) ?? {});
    const save = (): Promise<void> => run.checkpoint({ files: checkpoints as unknown as Json });

    let uploaded = params.files.reduce((sum, f) => {
      const cp = checkpoints[f.name];
      if (!cp) return sum;
      if (cp.done) return sum + f.size;
      const partSize = cp.partSize ?? 0;
      return sum + Object.keys(cp.etags ?? {}).reduce((s, idx) => s + Math.max(0, Math.min(partSize, f.size - (Number(idx) - 1) * partSize)), 0);
    }, 0);
    const report = (delta: number): void => {
      uploaded += delta;
      run.progress({ bytesDone: uploaded, bytesTotal: total, phase: 'uploading' });
    };

    await client.updateStatus(params.subtaskId, SubtaskStatus.Running, run.signal);
    const heartbeat = setInterval(() => {
      const percent = total === 0 ? 100 : (uploaded / total) * 100;
      client.heartbeat(params.subtaskId, percent, run.signal).catch((e: unknown) => run.logger.warn(`heartbeat failed: ${String(e)}`));
    }, tuning.heartbeatSeconds * 1000);
    try {
      for (const file of params.files) {
        if (checkpoints[file.name]?.done) continue;
        const cp = (checkpoints[file.name] ??= {});
        delete cp.error;
        try {
          await this.uploadFile(run, params.subtaskId, file, cp, tuning, save, report);
        } catch (error) {
          if (run.signal.aborted) throw error;
          if (params.files.length === 1) throw error;
          // In a folder upload one bad file does not stop the others; the result counts it.
          cp.error = error instanceof ApiError ? error.describe() : error instanceof Error ? error.message : String(error);
          run.logger.error(`upload of ${file.name} failed: ${cp.error}`);
          await save();
        }
      }
      const success = params.files.filter((f) => checkpoints[f.name]?.done).length;
      if (run.record.checkpoint.resultPosted !== true) {
        await withRetry(() => client.submitResult(params.subtaskId, { total_counts: params.files.length, success_counts: success }, run.signal), {
          retries: tuning.retries,
          signal: run.signal,
        });
        await run.checkpoint({ resultPosted: true });
      }
      if (success < params.files.length) {
        const failed = params.files.filter((f) => !checkpoints[f.name]?.done).map((f) => `${f.name}: ${checkpoints[f.name]?.error ?? 'not uploaded'}`);
        throw new Error(`${params.files.length - success} of ${params.files.length} files failed — ${failed.join('; ')}`);
      }
      run.progress({ bytesDone: total, bytesTotal: total, phase: 'done' });
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async uploadFile(
    run: ProtocolRun,
    subtaskId: string,
    file: DatahubUploadFile,
    cp: FileCheckpoint,
    tuning: DatahubUploadTuning,
    save: () => Promise<void>,
    report: (delta: number) => void,
  ): Promise<void> {
    const { client } = this.deps;
    const expected = { path: file.path, size: file.size, mtimeMs: file.mtimeMs };
    const changed = await fingerprintChange(expected);
    if (changed) throw new Error(`${changed}; upload refused`);

    // The part size is fixed at the first run and never recomputed on resume.
    cp.partSize ??= choosePartSize(file.size, tuning.chunkSize);
    const plan = planParts(file.size, cp.partSize);
    // Part MD5s from the hashing pass live in memory only: a resumed run hashes while it sends.
    let partMd5s: string[] | undefined;
    if (!cp.md5) {
      let hashed = 0;
      run.progress({ phase: 'hashing', bytesDone: 0, bytesTotal: file.size });
      const hashes = await md5FileAndParts(file.path, {
        signal: run.signal,
        partSize: cp.partSize,
        onBytes: (n) => {
          hashed += n;
          run.progress({ phase: 'hashing', bytesDone: hashed, bytesTotal: file.size });
        },
      });
      cp.md5 = hashes.md5;
      partMd5s = hashes.partMd5s;
      await save();
    }
    report(0);

    const init = async (): Promise<void> => {
      const response = await withRetry(
        () =>
          client.initUpload(
            {
              subtask_id: subtaskId,
              file_name: file.name,
              file_size: file.size,
              file_md5: cp.md5 as string,
              ...(plan.parts.length > 1 ? { chunk_size: cp.partSize } : {}),
            },
            run.signal,
          ),
        { retries: tuning.retries, signal: run.signal },
      );
      if (response.part_upload_urls.length !== plan.parts.length) {
        throw new ApiError('datahub', 200, 'BAD_RESPONSE', `upload/init returned ${response.part_upload_urls.length} part URLs for ${plan.parts.length} parts`);
      }
      if (cp.uploadId !== response.upload_id && cp.etags && Object.keys(cp.etags).length) {
        // A new upload id does not know the parts sent under the old one: send them again.
        const lost = Object.keys(cp.etags).reduce((s, idx) => s + partLength(plan.parts, Number(idx)), 0);
        report(-lost);
        cp.etags = {};
      }
      cp.uploadId = response.upload_id;
      cp.urls = Object.fromEntries(response.part_upload_urls.map((p) => [String(p.index), p.url]));
      cp.etags ??= {};
      await save();
    };
    if (!cp.uploadId || !cp.urls) await init();

    let refreshing: Promise<void> | undefined;
    const refreshUrls = (): Promise<void> => (refreshing ??= init().finally(() => (refreshing = undefined)));

    const pending = plan.parts.filter((p) => !cp.etags?.[String(p.index)]);
    await runPool(
      pending,
      tuning.partConcurrency,
      async (part, signal) => {
        const etag = await withRetry(
          async () => {
            const url = cp.urls?.[String(part.index)];
            if (!url) throw new ApiError('datahub', undefined, 'NO_URL', `no upload URL for part ${part.index}`);
            try {
              const result = await putFileRange({
                http: this.deps.data,
                service: 'datahub',
                url,
                path: file.path,
                start: part.start,
                end: part.end,
                signal,
                stallMs: tuning.stallSeconds * 1000,
                onBytes: report,
                knownMd5: partMd5s?.[part.index - 1],
              });
              const plain = stripQuotes(result.etag);
              if (/^[0-9a-f]{32}$/i.test(plain) && plain.toLowerCase() !== result.md5) {
                report(-(part.end - part.start));
                // A file edited since it was hashed is not a transmission error: say so, and stop.
                const edited = await fingerprintChange(expected);
                if (edited) throw new Error(`${edited} during the upload; upload refused`);
                throw new ApiError('datahub', result.status, 'ETAG_MISMATCH', `part ${part.index}: the store's ETag ${plain} is not the MD5 of the bytes sent (${result.md5})`, true);
              }
              return result.etag;
            } catch (error) {
              if (isExpiredUrl(error)) {
                run.logger.info(`part ${part.index} of ${file.name}: presigned URL refused (${(error as ApiError).message}); asking for new URLs`);
                await refreshUrls();
                throw new ApiError('datahub', 403, 'URL_REFRESHED', 'presigned URL refreshed', true);
              }
              throw error;
            }
          },
          { retries: tuning.retries, signal, onRetry: (e, attempt) => run.logger.info(`part ${part.index} of ${file.name}: retry ${attempt} after ${String(e instanceof Error ? e.message : e)}`) },
        );
        (cp.etags ??= {})[String(part.index)] = etag;
        await save();
      },
      run.signal,
    );

    const changedDuring = await fingerprintChange(expected);
    if (changedDuring) throw new Error(`${changedDuring} during the upload; upload refused (its MD5 no longer matches)`);
    await withRetry(
      () =>
        client.completeUpload(
          {
            upload_id: cp.uploadId as string,
            subtask_id: subtaskId,
            file_name: file.name,
            parts: plan.parts.map((p) => ({ index: p.index, etag: (cp.etags as Record<string, string>)[String(p.index)] })),
          },
          run.signal,
        ),
      { retries: tuning.retries, signal: run.signal },
    );
    cp.done = true;
    delete cp.urls;
    await save();
  }

  async onPaused(record: Readonly<TransferRecord>): Promise<void> {
    await this.deps.client.updateStatus(datahubUploadParams(record).subtaskId, SubtaskStatus.Paused);
  }

  async onCancelled(record: Readonly<TransferRecord>): Promise<void> {
    await this.deps.client.updateStatus(datahubUploadParams(record).subtaskId, SubtaskStatus.Cancelled);
  }

  async onFailed(record: Readonly<TransferRecord>): Promise<void> {
    await this.deps.client.updateStatus(datahubUploadParams(record).subtaskId, SubtaskStatus.Failed);
  }
}

function partLength(parts: readonly PartRange[], index: number): number {
  const part = parts[index - 1];
  return part ? part.end - part.start : 0;
}
