// Protocol datahub-upload, one file: MD5 (from one read for a small file) → init → part PUTs → complete, recording
// each step in the file's checkpoint; a resumed file continues from its recorded ETags.
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { ApiError, describeError } from '../../api/errors';
import { putFileRange } from '../dataPlane';
import { MAX_URL_REFRESHES } from '../rangedDownload';
import { isExpiredUrl } from '../storeErrors';
import { fingerprintChange } from '../fileFingerprint';
import { HASH_CACHE_MIN_BYTES, hashWithCache } from '../hashCache';
import { md5FileAndParts } from '../md5';
import { choosePartSize, planParts, type PartRange } from '../parts';
import { runPool } from '../pool';
import { PartAttempts, trackPart } from '../partActivity';
import { withRetry } from '../retry';
import type { ProtocolRun } from '../types';
import type { DatahubUploadDeps, DatahubUploadTuning } from './datahubUpload';
import { abandon, dict, own, type DatahubUploadCheckpoint, type DatahubUploadFile, type DatahubUploadParams, type FileCheckpoint } from './datahubUploadState';

type Run = ProtocolRun<DatahubUploadParams, DatahubUploadCheckpoint>;

/** A control call (init, complete) under the protocol's retry policy. */
export type Control = <T>(fn: () => Promise<T>, signal?: AbortSignal, giveUp?: AbortSignal) => Promise<T>;

const stripQuotes = (etag: string): string => etag.replace(/^W\//, '').replace(/^"|"$/g, '');

export async function sendFile(
  deps: DatahubUploadDeps,
  control: Control,
  run: Run,
  file: DatahubUploadFile,
  handle: FileHandle,
  cp: FileCheckpoint,
  tuning: DatahubUploadTuning,
  save: () => Promise<void>,
  progress: FileProgress,
): Promise<void> {
  const report = progress.sent;
  const { client } = deps;
  const subtaskId = run.record.params.subtaskId;
  // The part size is fixed at the first run and never recomputed on resume.
  const partSize = (cp.partSize ??= choosePartSize(file.size, tuning.chunkSize));
  const plan = planParts(file.size, partSize);
  // A small file of one part is read whole, once: its MD5 comes from that buffer and its PUT sends it.
  const bytes = plan.parts.length === 1 && file.size < SMALL_FILE_BYTES ? await readWhole(handle, file) : undefined;
  // Part MD5s from the hashing pass (or the hash cache) live in memory only: a resumed run hashes while it sends.
  let partMd5s: string[] | undefined;
  if (!cp.md5 && bytes) {
    const alone = run.record.params.files.length === 1;
    if (alone) run.progress({ phase: 'hashing', bytesDone: 0, bytesTotal: file.size });
    cp.md5 = createHash('md5').update(bytes).digest('hex');
    cp.md5Cached = false;
    partMd5s = [cp.md5];
    if (alone) run.progress({ phase: 'hashing', bytesDone: file.size, bytesTotal: file.size });
    // Not saved on its own: the init's save follows at once and records it (a crash before then hashes 1 MiB at most again).
  } else if (!cp.md5) {
    const cache = file.size >= HASH_CACHE_MIN_BYTES ? deps.hashCache : undefined;
    // A file of one part has one part MD5, the whole MD5: no worker thread for it, no part list in the cache.
    const multi = plan.parts.length > 1;
    // The hashing phase is shown for a single file; in a folder, files hash while others send, and the
    // transfer's progress stays the bytes sent (a phase change would restart its speed meter every file).
    const alone = run.record.params.files.length === 1;
    const hashes = await hashWithCache(cache, handle, multi ? partSize : undefined, () => {
      let hashed = 0;
      if (alone) run.progress({ phase: 'hashing', bytesDone: 0, bytesTotal: file.size });
      else progress.hashing(0);
      return md5FileAndParts(handle, {
        signal: run.signal,
        partSize: multi ? partSize : undefined,
        onBytes: (n) => {
          hashed += n;
          if (alone) run.progress({ phase: 'hashing', bytesDone: hashed, bytesTotal: file.size });
          else progress.hashing(hashed);
        },
      });
    });
    if (hashes.cached) run.logger.info(`${file.name}: MD5 from the hash cache (unchanged since it was hashed), no hashing pass`);
    cp.md5 = hashes.md5;
    cp.md5Cached = hashes.cached;
    partMd5s = multi ? hashes.partMd5s : [hashes.md5];
    await save();
  }
  const md5 = cp.md5;
  progress.sending();
  report(0);

  const init = async (): Promise<void> => {
    const response = await control(
      () => client.initUpload({ subtask_id: subtaskId, file_name: file.name, file_size: file.size, file_md5: md5, ...(plan.parts.length > 1 ? { chunk_size: partSize } : {}) }, run.signal),
      run.signal,
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
        report(-lost, -lost);
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

  const expected = { path: file.path, size: file.size, mtimeMs: file.mtimeMs };
  const pending = plan.parts.filter((p) => !own(cp.etags, String(p.index)));
  const fileKey = run.record.params.files.length > 1 ? file.name : undefined;
  run.parts?.({ type: 'plan', ...(fileKey === undefined ? {} : { file: fileKey }), sizes: plan.parts.map((p) => p.end - p.start), done: plan.parts.filter((p) => own(cp.etags, String(p.index))).map((p) => p.index) });
  await runPool(
    pending,
    tuning.partConcurrency,
    async (part, signal) => {
      const attempts = new PartAttempts(run.parts, part.index, fileKey);
      const etag = await trackPart(attempts, signal, () => withRetry(
        async () => {
          const url = own(cp.urls, String(part.index));
          if (!url) throw new ApiError('datahub', undefined, 'NO_URL', `no upload URL for part ${part.index}`);
          try {
            const result = await putFileRange({
              agents: deps.agents,
              service: 'datahub',
              url,
              path: handle,
              start: part.start,
              end: part.end,
              signal,
              stallMs: tuning.stallSeconds * 1000,
              floor: tuning.floor,
              onBytes: (n) => {
                attempts.bytes(n);
                report(n);
              },
              knownMd5: partMd5s?.[part.index - 1],
              bytes,
              contentType: tuning.partContentType,
              what: `part ${part.index}`,
            });
            const plain = stripQuotes(result.etag);
            if (/^[0-9a-f]{32}$/i.test(plain) && plain.toLowerCase() !== result.md5) {
              report(-(part.end - part.start));
              attempts.gaveBack(part.end - part.start);
              // A file edited since it was hashed is not a transmission error: say so, and stop.
              const edited = await fingerprintChange(expected, handle);
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
        {
          retries: tuning.retries,
          signal,
          onRetry: (e, attempt) => {
            attempts.retrying();
            run.logger.info(`part ${part.index} of ${file.name}: retry ${attempt} after ${describeError(e)}`);
          },
        },
      ));
      (cp.etags ??= dict())[String(part.index)] = etag;
      // A file of one part is completed at once and saved then, ETag included: a kill in between sends its one part again.
      if (plan.parts.length > 1) await save();
      report(0, part.end - part.start);
    },
    run.signal,
  );

  // A file sent from memory was read in one go, hashed and sent from that one buffer: the store has exactly the bytes
  // its MD5 names, whatever the file did since (readWhole saw no byte beyond its size). A file read part by part
  // must not have changed in between.
  const changedDuring = bytes ? undefined : await fingerprintChange(expected, handle);
  if (changedDuring) throw new Error(`${changedDuring} during the upload; upload refused (its MD5 no longer matches)`);
  const uploadId = cp.uploadId;
  if (!uploadId) throw new ApiError('datahub', undefined, 'NO_UPLOAD', `no upload id for ${file.name}`);
  await control(
    () =>
      client.completeUpload(
        {
          upload_id: uploadId,
          subtask_id: subtaskId,
          file_name: file.name,
          // Exactly as each PUT answered them: quotes and case (OSS answers upper-case hex) kept.
          parts: plan.parts.map((p) => ({ index: p.index, etag: own(cp.etags, String(p.index)) ?? '' })),
        },
        run.signal,
      ),
    run.signal,
  );
  cp.done = true;
  delete cp.urls;
  await save();
}

/** What one file of the run reports: its hashing, then the bytes it sends; `end` when it is no longer in flight. */
export interface FileProgress {
  hashing(done: number): void;
  /** Sending starts (again): its count starts from the parts the checkpoint records. */
  sending(): void;
  sent(delta: number, confirm?: number): void;
  end(): void;
}

/** Files below this (of one part) are read into memory whole: one read, hashed from the buffer, sent from it. */
const SMALL_FILE_BYTES = HASH_CACHE_MIN_BYTES;

/**
 * The whole file (its size as fingerprinted) in one buffer. A file shorter than that, or longer (one byte more is
 * asked for), has changed since it was looked at: refused.
 */
export async function readWhole(handle: FileHandle, file: DatahubUploadFile): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(file.size + 1);
  let at = 0;
  for (;;) {
    const asked = file.size + 1 - at;
    const { bytesRead } = await handle.read(bytes, at, asked, at);
    at += bytesRead;
    if (at > file.size) throw new Error(`${file.path} changed: it is now longer than the ${file.size} bytes it had; upload refused`);
    // A regular file answers a read short only at its end: one read, no second one to see the end.
    if (bytesRead < asked) break;
  }
  if (at < file.size) throw new Error(`${file.path} changed: it ends at byte ${at}, it had ${file.size}; upload refused`);
  return bytes.subarray(0, file.size);
}

function partLength(parts: readonly PartRange[], index: number): number {
  const part = parts[index - 1];
  return part ? part.end - part.start : 0;
}
