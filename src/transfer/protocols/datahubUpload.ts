// Protocol datahub-upload (api 000): MD5 → init → parallel part PUTs → complete, with status,
// heartbeat and result reported to the subtask; resumable from the recorded ETags.
import type { AxiosInstance } from 'axios';
import { ApiError } from '../../api/errors';
import type { Logger } from '../../api/logger';
import type { DatahubClient } from '../../api/datahub/client';
import { SubtaskStatus } from '../../api/datahub/types';
import { putFileRange } from '../dataPlane';
import { MAX_URL_REFRESHES } from '../rangedDownload';
import { isExpiredUrl } from '../storeErrors';
import { fingerprint, fingerprintChange } from '../fileFingerprint';
import { md5FileAndParts } from '../md5';
import { choosePartSize, planParts, type PartRange } from '../parts';
import { runPool } from '../pool';
import { withRetry } from '../retry';
import type { Protocol, ProtocolRun, TransferRecord } from '../types';
import { abandon, bytesRecorded, datahubUploadParams, dict, fileCheckpoints, filesJson, openUploadIds, own, type DatahubUploadFile, type FileCheckpoint } from './datahubUploadState';

export { datahubUploadParams, describeUploadFiles, type DatahubUploadFile, type DatahubUploadParams } from './datahubUploadState';

export const DATAHUB_UPLOAD = 'datahub-upload';

export interface DatahubUploadTuning {
  chunkSize: number;
  partConcurrency: number;
  retries: number;
  heartbeatSeconds: number;
  stallSeconds: number;
  /** The Content-Type part PUTs send; none by default (the part URLs are presigned without one). */
  partContentType?: string;
}

export interface DatahubUploadDeps {
  client: DatahubClient;
  data: AxiosInstance;
  tuning: () => DatahubUploadTuning;
  /** Where cancel and start-over log the upload ids they leave open on the store. */
  logger?: Logger;
}

const stripQuotes = (etag: string): string => etag.replace(/^W\//, '').replace(/^"|"$/g, '');

export class DatahubUploadProtocol implements Protocol {
  readonly name = DATAHUB_UPLOAD;

  constructor(private readonly deps: DatahubUploadDeps) {}

  async checkResumable(record: Readonly<TransferRecord>): Promise<string | undefined> {
    const files = fileCheckpoints(record);
    for (const file of datahubUploadParams(record).files) {
      const cp = own(files, file.name);
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
    const checkpoints = fileCheckpoints(run.record);
    const save = (): Promise<void> => run.checkpoint({ files: filesJson(checkpoints) });

    let uploaded = bytesRecorded(params.files, checkpoints);
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
        if (own(checkpoints, file.name)?.done) continue;
        const cp = own(checkpoints, file.name) ?? (checkpoints[file.name] = {});
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
      const success = params.files.filter((f) => own(checkpoints, f.name)?.done).length;
      if (run.record.checkpoint.resultPosted !== true) {
        await withRetry(() => client.submitResult(params.subtaskId, { total_counts: params.files.length, success_counts: success }, run.signal), {
          retries: tuning.retries,
          signal: run.signal,
        });
        await run.checkpoint({ resultPosted: true });
      }
      if (success < params.files.length) {
        const failed = params.files.filter((f) => !own(checkpoints, f.name)?.done).map((f) => `${f.name}: ${own(checkpoints, f.name)?.error ?? 'not uploaded'}`);
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
      if (cp.uploadId && cp.uploadId !== response.upload_id) {
        // Api 000 has no abort: the old multipart upload stays open on the store. Counted and logged.
        abandon(cp, cp.uploadId, 'a new init after its URLs expired', file.name, run.logger);
        if (cp.etags && Object.keys(cp.etags).length) {
          // A new upload id does not know the parts sent under the old one: send them again.
          const lost = Object.keys(cp.etags).reduce((s, idx) => s + partLength(plan.parts, Number(idx)), 0);
          report(-lost);
          cp.etags = dict();
        }
      }
      cp.uploadId = response.upload_id;
      cp.urls = dict(Object.fromEntries(response.part_upload_urls.map((p) => [String(p.index), p.url])));
      cp.etags ??= dict();
      await save();
    };
    if (!cp.uploadId || !cp.urls) await init();

    // Only an expired URL is renewed (a new init), at most MAX_URL_REFRESHES times per run of this file.
    let refreshes = 0;
    let refreshing: Promise<void> | undefined;
    const renewAfter = async (error: ApiError, part: number, usedUrl: string): Promise<never> => {
      if (refreshing) await refreshing;
      else if (own(cp.urls, String(part)) === usedUrl) {
        if (refreshes >= MAX_URL_REFRESHES) throw new ApiError('datahub', 403, 'URL_EXPIRED', `${error.message}; still refused after ${refreshes} new URLs`);
        refreshes++;
        run.logger.info(`part ${part} of ${file.name}: ${error.message}; asking for new URLs (${refreshes} of at most ${MAX_URL_REFRESHES})`);
        refreshing = init().finally(() => (refreshing = undefined));
        await refreshing;
      }
      throw new ApiError('datahub', 403, 'URL_REFRESHED', `${error.message}; new URLs were issued`, true);
    };

    const pending = plan.parts.filter((p) => !own(cp.etags, String(p.index)));
    await runPool(
      pending,
      tuning.partConcurrency,
      async (part, signal) => {
        const etag = await withRetry(
          async () => {
            const url = own(cp.urls, String(part.index));
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
                contentType: tuning.partContentType,
                what: `part ${part.index}`,
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
              if (isExpiredUrl(error)) return renewAfter(error as ApiError, part.index, url);
              // Any other refusal (SignatureDoesNotMatch, AccessDenied, …) is final, in the store's words.
              throw error;
            }
          },
          { retries: tuning.retries, signal, onRetry: (e, attempt) => run.logger.info(`part ${part.index} of ${file.name}: retry ${attempt} after ${String(e instanceof Error ? e.message : e)}`) },
        );
        (cp.etags ??= dict())[String(part.index)] = etag;
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
            // Exactly as each PUT answered them: quotes and case (OSS answers upper-case hex) kept.
            parts: plan.parts.map((p) => ({ index: p.index, etag: own(cp.etags, String(p.index)) as string })),
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
    this.logOpenUploads(record, 'cancelled');
    await this.deps.client.updateStatus(datahubUploadParams(record).subtaskId, SubtaskStatus.Cancelled);
  }

  /** Start over throws the checkpoint away: its upload ids are given up (api 000 cannot abort them). */
  onDiscarded(record: Readonly<TransferRecord>): Promise<void> {
    this.logOpenUploads(record, 'started over');
    return Promise.resolve();
  }

  private logOpenUploads(record: Readonly<TransferRecord>, why: string): void {
    const ids = openUploadIds(record);
    if (ids.length > 0) this.deps.logger?.warn(`${record.label} ${why}: ${ids.length} upload id(s) left open on the store (api 000 has no abort): ${ids.join(', ')}`);
  }

  async onFailed(record: Readonly<TransferRecord>): Promise<void> {
    await this.deps.client.updateStatus(datahubUploadParams(record).subtaskId, SubtaskStatus.Failed);
  }
}

function partLength(parts: readonly PartRange[], index: number): number {
  const part = parts[index - 1];
  return part ? part.end - part.start : 0;
}
