// Protocol datahub-download (api 000): presign → parallel ranged GETs into `<name>.part` → size and ETag check → rename; resumable by range.
import { access, link, mkdir, rename, stat, unlink } from 'node:fs/promises';
import { extname, join } from 'node:path';
import * as v from 'valibot';
import { ApiError, describeError } from '../../api/errors';
import type { DatahubClient } from '../../api/datahub/client';
import { SubtaskStatus } from '../../api/datahub/types';
import { candidatePartSizes, parseCompositeEtag } from '../compositeEtag';
import type { OrderedHashResult } from '../orderedHasher';
import { removeOwnPartFile } from '../partFile';
import { RemoteChangedError } from '../rangeFetch';
import type { KeepAliveAgents } from '../../api/http';
import { downloadRanges, md5FromEtag, type RangedDownloadResult } from '../rangedDownload';
import { doneBytes, type RangeState } from '../rangeState';
import { withRetry } from '../retry';
import { wholeNumber } from '../schemas';
import type { DataPace } from '../stallGuard';
import { defineKind, type HookContext, type Protocol, type ProtocolRun, type TransferRecord } from '../types';

export const DATAHUB_DOWNLOAD = 'datahub-download';
export const PART_SUFFIX = '.part';

const paramsSchema = v.object({
  subtaskId: v.string(),
  /** The folder the file is written into. */
  folder: v.string(),
  /** The local file name (the remote name, or a " (1)" variant the user chose to keep both). */
  fileName: v.string(),
  /** Decided before the transfer is added: replace a file that exists under the final name. */
  overwrite: v.boolean(),
});

/**
 * How the downloaded bytes were checked: `md5` against a plain MD5 ETag, `composite-md5` against a multipart
 * ETag `"<hex>-N"` (part size inferred), `size` when the ETag could be checked neither way (size only).
 */
const integritySchema = v.picklist(['md5', 'composite-md5', 'size']);

/** The journal's view of a download: the range state, plus whether the final rename happened. */
const checkpointSchema = v.object({
  size: v.optional(v.nullable(wholeNumber)),
  etag: v.optional(v.nullable(v.string())),
  partSize: v.optional(v.nullable(v.pipe(wholeNumber, v.minValue(1)))),
  done: v.optional(v.array(v.pipe(wholeNumber, v.minValue(1)))),
  /** The `.part` this download created (device and inode): a resumed download writes into that file only. */
  partFile: v.optional(v.nullable(v.object({ dev: v.string(), ino: v.string() }))),
  renamed: v.optional(v.boolean()),
  md5: v.optional(v.string()),
  integrity: v.optional(integritySchema),
  /** The part size that reproduced a multipart ETag. */
  etagPartSize: v.optional(wholeNumber),
});

export type DatahubDownloadParams = v.InferOutput<typeof paramsSchema>;
export type DownloadCheckpoint = v.InferOutput<typeof checkpointSchema>;
export type IntegrityCheck = v.InferOutput<typeof integritySchema>;
export const DATAHUB_DOWNLOAD_KIND = defineKind<DatahubDownloadParams, DownloadCheckpoint>(DATAHUB_DOWNLOAD, 'download', paramsSchema, checkpointSchema);

type Run = ProtocolRun<DatahubDownloadParams, DownloadCheckpoint>;
type Record_ = Readonly<TransferRecord<DatahubDownloadParams, DownloadCheckpoint>>;

export interface DatahubDownloadTuning {
  chunkSize: number;
  partConcurrency: number;
  retries: number;
  stallSeconds: number;
  /** A minimum throughput of each ranged GET over a window; none when unset. */
  floor?: Omit<DataPace, 'stallMs'>;
}

export interface DatahubDownloadDeps {
  client: DatahubClient;
  tuning: () => DatahubDownloadTuning;
  agents?: KeepAliveAgents;
}

export function downloadTargetPath(params: Pick<DatahubDownloadParams, 'folder' | 'fileName'>): string {
  return join(params.folder, params.fileName);
}

export async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** "data.csv" → "data (1).csv", "data (2).csv", … the first name not taken in `folder`. */
export async function keepBothName(folder: string, name: string): Promise<string> {
  const ext = extname(name);
  const stem = ext && ext !== name ? name.slice(0, -ext.length) : name;
  for (let n = 1; n < 10_000; n++) {
    const candidate = `${stem} (${n})${ext === name ? '' : ext}`;
    if (!(await fileExists(join(folder, candidate))) && !(await fileExists(join(folder, candidate + PART_SUFFIX)))) return candidate;
  }
  throw new Error(`no free name for ${name} in ${folder}`);
}

/** A remote file name must stay one plain name inside the target folder. */
export function safeLocalName(remoteName: string): string {
  const base = remoteName.split(/[\\/]/).filter(Boolean).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f<>:"|?*]/g, '_').trim();
  if (!cleaned || cleaned === '.' || cleaned === '..') throw new ApiError('datahub', 200, 'BAD_RESPONSE', `download/presign answered an unusable file name "${remoteName}"`);
  return cleaned;
}

export class DatahubDownloadProtocol implements Protocol<DatahubDownloadParams, DownloadCheckpoint> {
  readonly kind = DATAHUB_DOWNLOAD_KIND;

  constructor(private readonly deps: DatahubDownloadDeps) {}

  /** A control call (status, presign) under the same retry policy as the data. */
  private control<T>(fn: () => Promise<T>, signal?: AbortSignal, giveUp?: AbortSignal): Promise<T> {
    return withRetry(fn, { retries: this.deps.tuning().retries, signal, giveUp });
  }

  async run(run: Run): Promise<void> {
    const params = run.record.params;
    const tuning = this.deps.tuning();
    const cp = run.record.checkpoint;
    const finalPath = downloadTargetPath(params);
    const partPath = finalPath + PART_SUFFIX;
    if (cp.renamed) return;

    await mkdir(params.folder, { recursive: true });
    // Checked before any byte moves, and again (atomically) at the rename.
    if (!params.overwrite && (await fileExists(finalPath))) throw existsError(finalPath);
    // 000's status is the subtask's, whichever transfer works on it: a download reports it as an upload does.
    await this.control(() => this.deps.client.updateStatus(params.subtaskId, SubtaskStatus.Running, run.signal), run.signal);

    let presigned: string | undefined;
    const url = async (fresh: boolean): Promise<string> => {
      if (presigned && !fresh) return presigned;
      if (fresh) run.logger.info(`download of ${params.fileName}: presigned URL refused; asking for a new one`);
      const answer = await this.control(() => this.deps.client.presignDownload(params.subtaskId, run.signal), run.signal);
      presigned = answer.download_url;
      return presigned;
    };

    const recorded = (): RangeState | undefined =>
      typeof cp.size === 'number' && typeof cp.partSize === 'number'
        ? { size: cp.size, etag: cp.etag ?? '', partSize: cp.partSize, done: cp.done ?? [], file: cp.partFile ?? undefined }
        : undefined;
    let state: RangedDownloadResult | undefined = recorded();
    let bytes = doneBytes(state);
    const report = (delta: number): void => {
      bytes += delta;
      run.progress({ bytesDone: bytes, bytesTotal: state?.size ?? run.record.progress.bytesTotal, phase: 'downloading' });
    };
    report(0);

    for (let attempt = 1; ; attempt++) {
      try {
        state = await downloadRanges({
          url,
          path: partPath,
          concurrency: tuning.partConcurrency,
          chunkSize: tuning.chunkSize,
          retries: tuning.retries,
          stallMs: tuning.stallSeconds * 1000,
          floor: tuning.floor,
          signal: run.signal,
          state,
          agents: this.deps.agents,
          // The check runs as the ranges land: the MD5 for a plain ETag, the likely part sizes' for a multipart one.
          hashing: (size, etag) => {
            if (md5FromEtag(etag)) return { compositePartSizes: [] };
            const composite = parseCompositeEtag(etag);
            return composite ? { compositePartSizes: candidatePartSizes(size, composite.parts, tuning.chunkSize) } : undefined;
          },
          onBytes: report,
          onRestart: () => {
            bytes = 0;
            report(0);
          },
          onState: async (s) => {
            state = s;
            await run.checkpoint({ size: s.size, etag: s.etag, partSize: s.partSize, done: s.done, partFile: s.file ?? null });
            report(0);
          },
          onRetry: (what, e, n) => run.logger.info(`download of ${params.fileName}, ${what}: retry ${n} after ${describeError(e)}`),
          parts: run.parts,
        });
        break;
      } catch (error) {
        if (!(error instanceof RemoteChangedError) || attempt > 1 || run.signal.aborted) throw error;
        // The ranges fetched so far belong to another version of the object: start over once, in a new file.
        run.logger.warn(`download of ${params.fileName}: ${error.message}; starting over`);
        await removeOwnPartFile(partPath, state?.file);
        state = undefined;
        bytes = 0;
        await run.checkpoint({ size: null, etag: null, partSize: null, done: [], partFile: null });
      }
    }

    const size = state.size;
    const actual = (await stat(partPath)).size;
    if (actual !== size) throw new ApiError('datahub', undefined, 'SIZE_MISMATCH', `${partPath} has ${actual} bytes, the store said ${size}`);
    await this.verify(run, state, state.hashes);
    await publish(partPath, finalPath, params.overwrite);
    await run.checkpoint({ renamed: true });
    run.progress({ bytesDone: size, bytesTotal: size, phase: 'done' });
  }

  /**
   * Checks the bytes against the ETag — a plain MD5, or a multipart `"<hex>-N"` — from the hashes taken as the
   * ranges landed (no second pass over the file); otherwise says it was by size only.
   */
  private async verify(run: Run, state: RangeState, hashes: OrderedHashResult | undefined): Promise<void> {
    const { etag } = state;
    const name = run.record.params.fileName;
    const expectedMd5 = md5FromEtag(etag);
    const composite = parseCompositeEtag(etag);
    if (!hashes || (!expectedMd5 && !composite)) {
      run.logger.warn(`download of ${name}: the store's ETag ${etag || '(none)'} is not an MD5; its integrity was checked by size only`);
      await run.checkpoint({ integrity: 'size' });
      return;
    }
    if (expectedMd5) {
      if (hashes.md5 !== expectedMd5) {
        // No way to tell which range is wrong: the next attempt fetches everything again.
        await run.checkpoint({ done: [] });
        throw new ApiError('datahub', undefined, 'MD5_MISMATCH', `the downloaded ${name} has MD5 ${hashes.md5}, the store's ETag says ${expectedMd5}; retry to download it again`);
      }
      await run.checkpoint({ md5: hashes.md5, integrity: 'md5' });
      return;
    }
    const partSize = [...hashes.composite].find(([, hex]) => hex === composite?.hex)?.[0];
    if (partSize === undefined) {
      // A wrong part size and damaged bytes look the same: nothing can be concluded beyond the size.
      run.logger.warn(`download of ${name}: no likely part size reproduces the multipart ETag ${etag}; its integrity was checked by size only`);
      await run.checkpoint({ integrity: 'size' });
      return;
    }
    run.logger.info(`download of ${name}: the multipart ETag ${etag} matches parts of ${partSize} bytes`);
    await run.checkpoint({ integrity: 'composite-md5', etagPartSize: partSize });
  }

  /** Cancel removes what was downloaded (the download's own .part only); pause and failure keep it for resume. */
  async onCancelled(record: Record_, { giveUp }: HookContext): Promise<void> {
    const params = record.params;
    if (record.checkpoint.renamed) return;
    await removeOwnPartFile(downloadTargetPath(params) + PART_SUFFIX, record.checkpoint.partFile ?? undefined);
    await this.control(() => this.deps.client.updateStatus(params.subtaskId, SubtaskStatus.Cancelled), undefined, giveUp);
  }

  async onPaused(record: Record_, { giveUp }: HookContext): Promise<void> {
    await this.control(() => this.deps.client.updateStatus(record.params.subtaskId, SubtaskStatus.Paused), undefined, giveUp);
  }

  async onFailed(record: Record_, _error: unknown, { giveUp }: HookContext): Promise<void> {
    await this.control(() => this.deps.client.updateStatus(record.params.subtaskId, SubtaskStatus.Failed), undefined, giveUp);
  }
}

function existsError(path: string): ApiError {
  return new ApiError('datahub', undefined, 'FILE_EXISTS', `${path} exists already; it is not overwritten (choose Overwrite or Keep Both, or --overwrite)`);
}

/** Moves the verified .part to its final name; without `overwrite` an existing file is never replaced, even one that appeared meanwhile. */
async function publish(partPath: string, finalPath: string, overwrite: boolean): Promise<void> {
  if (overwrite) {
    await rename(partPath, finalPath);
    return;
  }
  try {
    // link() fails with EEXIST instead of replacing: an atomic "rename unless it exists".
    await link(partPath, finalPath);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EEXIST') throw existsError(finalPath);
    // A file system without hard links: check, then rename (a small window, but never a silent replace of a known file).
    if (await fileExists(finalPath)) throw existsError(finalPath);
    await rename(partPath, finalPath);
    return;
  }
  await unlink(partPath);
}
