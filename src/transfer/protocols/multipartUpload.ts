// Protocol multipart-upload (api 004): init → parallel part PUTs → complete → confirm the simulation job;
// resumable with `list`, cancel = abort, an expired part URL = list, then a new init.
import type { AxiosInstance } from 'axios';
import { open, type FileHandle } from 'node:fs/promises';
import { extname } from 'node:path';
import * as v from 'valibot';
import { ApiError, describeError } from '../../api/errors';
import { MultipartClient, unquoteEtag, validateFileSize } from '../../api/multipart/client';
import { followPlan } from '../../api/multipart/plan';
import type { UploadRef } from '../../api/multipart/types';
import { isExpiredUrl, putFileRange } from '../dataPlane';
import { describeChange, fingerprintChange, fingerprintOf } from '../fileFingerprint';
import { choosePartSize, planParts, type PartRange } from '../parts';
import { runPool } from '../pool';
import { PartAttempts, trackPart } from '../partActivity';
import { isTransient, sleep, withRetry } from '../retry';
import { wholeNumber } from '../schemas';
import type { DataPace } from '../stallGuard';
import { asTransferOf, defineKind, isEmptyCheckpoint, type HookContext, type Protocol, type ProtocolRun, type TransferRecord } from '../types';

export const MULTIPART_UPLOAD = 'multipart-upload';

/** How many times one run starts a new upload because the part URLs expired, before it gives up. */
const MAX_RENEWALS = 5;

const jobSchema = v.object({
  profile_name: v.string(),
  version: v.string(),
  job_name: v.string(),
  submitter: v.string(),
  thread_count: v.string(),
  priority: v.string(),
});

const paramsSchema = v.object({
  path: v.string(),
  /** Sent as `filename`: the base name. */
  name: v.string(),
  size: wholeNumber,
  mtimeMs: v.pipe(v.number(), v.finite()),
  /** "master": the simulation's master file. */
  fileType: v.string(),
  contentType: v.string(),
  /** Sent to confirm once the object is complete. */
  job: jobSchema,
});

const plannedPartSchema = v.object({ part_number: v.pipe(wholeNumber, v.minValue(1)), start_byte: wholeNumber, end_byte: wholeNumber });

/** What the journal keeps, written after every part. */
const checkpointSchema = v.object({
  /** The chunk_size asked for at the first init, never recomputed. */
  partSize: v.optional(v.pipe(wholeNumber, v.minValue(1))),
  taskId: v.optional(v.string()),
  uploadId: v.optional(v.string()),
  objectKey: v.optional(v.string()),
  /** The server's part plan of the current upload (from init), followed as given. */
  plan: v.optional(v.array(plannedPartSchema)),
  /** Presigned part URLs of the current upload, by part number (keys are the plan's integers, never other text). */
  urls: v.optional(v.record(v.string(), v.string())),
  /** Parts the server acknowledged, by part number, ETags without quotes. */
  etags: v.optional(v.record(v.string(), v.string())),
  completed: v.optional(v.boolean()),
  confirmed: v.optional(v.boolean()),
  jobId: v.optional(v.string()),
});

export type MultipartUploadParams = v.InferOutput<typeof paramsSchema>;
export type MultipartCheckpoint = v.InferOutput<typeof checkpointSchema>;
export const MULTIPART_UPLOAD_KIND = defineKind<MultipartUploadParams, MultipartCheckpoint>(MULTIPART_UPLOAD, 'upload', paramsSchema, checkpointSchema);

type Run = ProtocolRun<MultipartUploadParams, MultipartCheckpoint>;

export function multipartUploadParams(record: TransferRecord): MultipartUploadParams {
  return asTransferOf(MULTIPART_UPLOAD_KIND, record).params;
}

export function multipartCheckpoint(record: TransferRecord): MultipartCheckpoint {
  return asTransferOf(MULTIPART_UPLOAD_KIND, record).checkpoint;
}
type Record_ = Readonly<TransferRecord<MultipartUploadParams, MultipartCheckpoint>>;

export interface MultipartUploadTuning {
  /** The part size asked for at init (004's own setting, 5 MB = 5242880 bytes by default); the server's plan decides. */
  partSize: number;
  partConcurrency: number;
  retries: number;
  stallSeconds: number;
  /** A minimum throughput of each part PUT over a window; none when unset. */
  floor?: Omit<DataPace, 'stallMs'>;
}

export interface MultipartUploadDeps {
  client: MultipartClient;
  data: AxiosInstance;
  tuning: () => MultipartUploadTuning;
}

const CONTENT_TYPES = new Map([
  ['.zip', 'application/zip'],
  ['.json', 'application/json'],
  ['.txt', 'text/plain'],
  ['.csv', 'text/csv'],
  ['.xml', 'application/xml'],
  ['.gz', 'application/gzip'],
  ['.tar', 'application/x-tar'],
  ['.7z', 'application/x-7z-compressed'],
]);

/** The content_type sent to init, from the file's extension. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES.get(extname(file).toLowerCase()) ?? 'application/octet-stream';
}

/**
 * The parts of the current upload: the server's plan; before any init, or in a journal written before
 * plans were kept (when the server's plan had to equal ours), the plan of `partSize`.
 */
export function plannedParts(cp: MultipartCheckpoint, fileSize: number): PartRange[] {
  if (cp.plan) return cp.plan.map((p) => ({ index: p.part_number, start: p.start_byte, end: p.end_byte }));
  return cp.partSize ? planParts(fileSize, cp.partSize).parts : [];
}

/** A part URL the store no longer honours (expired, or its upload is gone): only a new init helps. */
class UploadUrlGone extends ApiError {}

const MD5_HEX = /^[0-9a-f]{32}$/i;

export class MultipartUploadProtocol implements Protocol<MultipartUploadParams, MultipartCheckpoint> {
  readonly kind = MULTIPART_UPLOAD_KIND;

  constructor(private readonly deps: MultipartUploadDeps) {}

  async checkResumable(record: Record_): Promise<string | undefined> {
    // Once complete, the local file is not read again: only confirm is left.
    if (record.checkpoint.completed) return undefined;
    const p = record.params;
    const change = await fingerprintChange({ path: p.path, size: p.size, mtimeMs: p.mtimeMs });
    return change ? `${change}. Start the upload over to send the new content.` : undefined;
  }

  async run(run: Run): Promise<void> {
    const params = run.record.params;
    const tuning = this.deps.tuning();
    const control = <T>(fn: () => Promise<T>): Promise<T> => withRetry(fn, { retries: tuning.retries, signal: run.signal });
    const cp: MultipartCheckpoint = { ...run.record.checkpoint };
    const save = (): Promise<void> => run.checkpoint(cp);

    if (!cp.completed) {
      // One handle for the whole run: the file is looked up by path once, when it is opened.
      const handle = await open(params.path, 'r');
      try {
        const now = await fingerprintOf(handle, params.path);
        if (isEmptyCheckpoint(run.record.checkpoint)) {
          // A first run, or a start over after a change: describe the file as it is now.
          params.size = now.size;
          params.mtimeMs = now.mtimeMs;
        }
        validateFileSize(params.size);
        const changed = describeChange(params, now);
        if (changed) throw new Error(`${changed}; upload refused`);
        await new PartSender(this.deps.client, this.deps.data, run, handle, cp, tuning, save).send();
        const changedDuring = await fingerprintChange(params, handle);
        if (changedDuring) throw new Error(`${changedDuring} during the upload; upload refused (the parts sent no longer match it)`);
      } finally {
        await handle.close();
      }
      run.progress({ bytesDone: params.size, bytesTotal: params.size, phase: 'completing' });
      // The document: ETags without their quotes, parts sorted by part_number (the client enforces both again).
      const parts = plannedParts(cp, params.size).map((p) => ({ part_number: p.index, etag: unquoteEtag((cp.etags ?? {})[String(p.index)] ?? '') }));
      await control(() => this.deps.client.complete({ ...uploadRef(cp), file_type: params.fileType, parts }, run.signal));
      cp.completed = true;
      cp.urls = undefined;
      await save();
    }
    const total = params.size;
    if (!cp.confirmed) {
      run.progress({ bytesDone: total, bytesTotal: total, phase: 'confirming' });
      const answer = await control(() => this.deps.client.confirm({ task_id: cp.taskId ?? '', master_object_key: cp.objectKey ?? '', ...params.job }, run.signal));
      cp.confirmed = true;
      if (typeof answer.job_id === 'string') cp.jobId = answer.job_id;
      await save();
      run.logger.info(`${params.name}: submitted as job ${cp.jobId ?? '(no id)'} of task ${cp.taskId ?? ''}`);
    }
    run.progress({ bytesDone: total, bytesTotal: total, phase: 'done' });
  }

  /** Nothing to tell the server: its parts stay for the resume. */
  async onPaused(): Promise<void> {
    return undefined;
  }

  /** Cancel cleans up: the server drops the parts of an upload that was not completed. */
  async onCancelled(record: Record_, { giveUp }: HookContext): Promise<void> {
    const cp = record.checkpoint;
    if (!cp.uploadId || cp.completed) return;
    await withRetry(() => this.deps.client.abort(uploadRef(cp)), { retries: this.deps.tuning().retries, giveUp });
  }

  /** A start over (the file changed) leaves nothing behind either: the old upload is aborted. */
  async onDiscarded(record: Record_, context: HookContext): Promise<void> {
    await this.onCancelled(record, context);
  }
}

function uploadRef(cp: MultipartCheckpoint): UploadRef {
  return { task_id: cp.taskId ?? '', upload_id: cp.uploadId ?? '', object_key: cp.objectKey ?? '' };
}

function partLength(part: PartRange): number {
  return part.end - part.start;
}

/** The part phase of one run: init or reconcile with `list`, PUT what is missing, renew expired URLs. */
class PartSender {
  /** The current upload's plan; a new init may bring another. */
  private parts: PartRange[];
  private uploaded = 0;
  /** Bytes of the parts the server acknowledged: the speed and time left are computed from them. */
  private confirmed = 0;

  constructor(
    private readonly client: MultipartClient,
    private readonly data: AxiosInstance,
    private readonly run: Run,
    private readonly file: FileHandle,
    private readonly cp: MultipartCheckpoint,
    private readonly tuning: MultipartUploadTuning,
    private readonly save: () => Promise<void>,
  ) {
    // The part size asked for is fixed at the first run and never recomputed on resume.
    cp.partSize ??= choosePartSize(this.params.size, tuning.partSize);
    this.parts = plannedParts(cp, this.params.size);
  }

  private get params(): MultipartUploadParams {
    return this.run.record.params;
  }

  /** A control call (init, list, complete, abort) under the same retry policy as the data. */
  private control<T>(fn: () => Promise<T>): Promise<T> {
    return withRetry(fn, { retries: this.tuning.retries, signal: this.run.signal });
  }

  async send(): Promise<void> {
    const { cp } = this;
    if (!cp.uploadId) {
      await this.init();
    } else if (!(await this.reconcile())) {
      // The server no longer knows the upload (aborted, expired, or completed by an earlier run whose
      // answer was lost): when every part was acknowledged, a complete may still succeed; else start anew.
      if (this.missing().length === 0 && (await this.tryComplete())) return;
      await this.init();
    }
    for (let renewals = 0; ; renewals++) {
      const pending = this.missing();
      if (pending.length === 0) return;
      this.run.parts?.({ type: 'plan', sizes: this.parts.map(partLength), done: this.parts.filter((p) => this.cp.etags?.[String(p.index)]).map((p) => p.index) });
      try {
        await runPool(pending, this.tuning.partConcurrency, (part, signal) => this.sendPart(part, signal), this.run.signal);
        return;
      } catch (error) {
        if (!(error instanceof UploadUrlGone) || this.run.signal.aborted) throw error;
        if (renewals >= MAX_RENEWALS) {
          throw new ApiError('multipart', 403, 'URL_EXPIRED', `the part URLs kept being refused after ${MAX_RENEWALS} new uploads: ${error.message}`);
        }
        // 004 has no endpoint that re-signs URLs: ask what the server has; if it is everything, no new
        // upload is needed, else a new init (new task and upload ids) and the parts are sent again.
        const alive = await this.reconcile();
        if (alive && this.missing().length === 0) return;
        this.run.logger.info(`${this.params.name}: part URLs refused (${error.message}); starting a new upload, the parts are sent again`);
        await sleep(250 * (renewals + 1), this.run.signal);
        if (alive) await this.control(() => this.client.abort(uploadRef(cp))).catch((e: unknown) => this.run.logger.warn(`abort of the old upload failed: ${String(e)}`));
        await this.init();
      }
    }
  }

  private missing(): PartRange[] {
    return this.parts.filter((p) => !this.cp.etags?.[String(p.index)]);
  }

  private report(delta: number, confirm = 0): void {
    this.uploaded += delta;
    this.confirmed += confirm;
    this.run.progress({ bytesDone: this.uploaded, bytesConfirmed: this.confirmed, bytesTotal: this.params.size, phase: 'uploading' });
  }

  /** Recounts the bytes the server holds from the acknowledged parts. */
  private recount(): void {
    this.uploaded = this.parts.filter((p) => this.cp.etags?.[String(p.index)]).reduce((s, p) => s + partLength(p), 0);
    this.confirmed = this.uploaded;
    this.report(0);
  }

  private async init(): Promise<void> {
    const { cp, params } = this;
    const answer = await this.control(() =>
      this.client.init({ filename: params.name, file_size: params.size, file_type: params.fileType, content_type: params.contentType, chunk_size: cp.partSize }, this.run.signal),
    );
    // The server's plan is followed as it is (its part sizes may differ from the chunk_size asked for).
    const plan = followPlan(answer.parts, params.size);
    const ours = planParts(params.size, cp.partSize ?? choosePartSize(params.size, this.tuning.partSize)).parts;
    if (plan.length !== ours.length || plan.some((p, i) => p.start_byte !== ours[i].start || p.end_byte !== ours[i].end)) {
      this.run.logger.info(`${params.name}: the server planned ${plan.length} part(s) of its own sizes instead of ${ours.length} of ${cp.partSize ?? 0} bytes; following its plan`);
    }
    cp.taskId = answer.task_id;
    cp.uploadId = answer.upload_id;
    cp.objectKey = answer.object_key;
    cp.plan = plan;
    this.parts = plannedParts(cp, params.size);
    cp.urls = Object.fromEntries(answer.parts.map((p) => [String(p.part_number), p.upload_url]));
    cp.etags = {};
    await this.save();
    this.recount();
  }

  /** Asks the server which parts it really has and keeps exactly those (with its ETags); false when it no longer knows the upload. */
  private async reconcile(): Promise<boolean> {
    const { cp } = this;
    let listed;
    try {
      listed = await this.control(() => this.client.list(uploadRef(cp), this.run.signal));
    } catch (error) {
      if (error instanceof ApiError && error.httpStatus === 404) {
        this.run.logger.info(`${this.params.name}: the server no longer knows upload ${cp.uploadId ?? ''} (${error.message})`);
        return false;
      }
      throw error;
    }
    const server = new Map(listed.map((p) => [p.part_number, p.etag]));
    const before = Object.keys(cp.etags ?? {}).length;
    cp.etags = Object.fromEntries(this.parts.filter((p) => server.has(p.index)).map((p) => [String(p.index), server.get(p.index) as string]));
    await this.save();
    this.recount();
    this.run.logger.info(`${this.params.name}: the server has ${server.size} of ${this.parts.length} parts (the journal had ${before}); sending ${this.missing().length}`);
    return true;
  }

  private async tryComplete(): Promise<boolean> {
    const parts = this.parts.map((p) => ({ part_number: p.index, etag: (this.cp.etags ?? {})[String(p.index)] }));
    try {
      await this.control(() => this.client.complete({ ...uploadRef(this.cp), file_type: this.params.fileType, parts }, this.run.signal));
      this.run.logger.info(`${this.params.name}: upload ${this.cp.uploadId ?? ''} was already complete`);
      return true;
    } catch (error) {
      if (this.run.signal.aborted) throw error;
      return false;
    }
  }

  private async sendPart(part: PartRange, signal: AbortSignal): Promise<void> {
    const attempts = new PartAttempts(this.run.parts, part.index);
    const etag = await trackPart(attempts, signal, () => withRetry(
      async () => {
        const url = this.cp.urls?.[String(part.index)];
        if (!url) throw new UploadUrlGone('multipart', undefined, 'NO_URL', `no upload URL for part ${part.index}`);
        try {
          const result = await putFileRange({
            http: this.data,
            service: 'multipart',
            url,
            path: this.file,
            start: part.start,
            end: part.end,
            signal,
            stallMs: this.tuning.stallSeconds * 1000,
            floor: this.tuning.floor,
            onBytes: (n) => {
              attempts.bytes(n);
              this.report(n);
            },
            contentType: 'application/octet-stream', // the document's part PUT sends it (its URLs are signed with it)
          });
          const plain = unquoteEtag(result.etag);
          // An ETag that looks like an MD5 must be the MD5 of what was sent; else the bytes were damaged on the way.
          if (MD5_HEX.test(plain) && plain.toLowerCase() !== result.md5) {
            this.report(-partLength(part));
            attempts.gaveBack(partLength(part));
            throw new ApiError('multipart', result.status, 'ETAG_MISMATCH', `part ${part.index}: the store's ETag ${plain} is not the MD5 of the bytes sent (${result.md5})`, true);
          }
          return plain;
        } catch (error) {
          if (error instanceof ApiError && (isExpiredUrl(error) || error.code === 'NoSuchUpload')) {
            throw new UploadUrlGone('multipart', error.httpStatus, error.code, `part ${part.index}: ${error.message}`);
          }
          throw error;
        }
      },
      {
        retries: this.tuning.retries,
        signal,
        isRetryable: (e) => !(e instanceof UploadUrlGone) && isTransient(e),
        onRetry: (e, attempt) => {
          attempts.retrying();
          this.run.logger.info(`part ${part.index} of ${this.params.name}: retry ${attempt} after ${describeError(e)}`);
        },
      },
    ));
    (this.cp.etags ??= {})[String(part.index)] = etag;
    await this.save();
    this.report(0, partLength(part));
  }
}
