// The part phase of one multipart-upload run: init or reconcile with `list`, PUT the missing parts, renew expired URLs.
import type { KeepAliveAgents } from '../../api/http';
import type { FileHandle } from 'node:fs/promises';
import { ApiError, describeError } from '../../api/errors';
import { unquoteEtag, type MultipartClient } from '../../api/multipart/client';
import { followPlan } from '../../api/multipart/plan';
import { isExpiredUrl, putFileRange } from '../dataPlane';
import { choosePartSize, planParts, type PartRange } from '../parts';
import { runPool } from '../pool';
import { PartAttempts, trackPart } from '../partActivity';
import { isTransient, sleep, withRetry } from '../retry';
import type { DataPace } from '../stallGuard';
import { plannedParts, uploadRef, type MultipartCheckpoint, type MultipartRun, type MultipartUploadParams } from './multipartUploadRecord';

/** How many times one run starts a new upload because the part URLs expired, before it gives up. */
const MAX_RENEWALS = 5;

export interface MultipartUploadTuning {
  /** The part size asked for at init (004's own setting, 5 MB = 5242880 bytes by default); the server's plan decides. */
  partSize: number;
  partConcurrency: number;
  retries: number;
  stallSeconds: number;
  /** A minimum throughput of each part PUT over a window; none when unset. */
  floor?: Omit<DataPace, 'stallMs'>;
}

/** A part URL the store no longer honours (expired, or its upload is gone): only a new init helps. */
class UploadUrlGone extends ApiError {}

const MD5_HEX = /^[0-9a-f]{32}$/i;

function partLength(part: PartRange): number {
  return part.end - part.start;
}

/** The part phase of one run: init or reconcile with `list`, PUT what is missing, renew expired URLs. */
export class PartSender {
  /** The current upload's plan; a new init may bring another. */
  private parts: PartRange[];
  private uploaded = 0;
  /** Bytes of the parts the server acknowledged: the speed and time left are computed from them. */
  private confirmed = 0;

  constructor(
    private readonly client: MultipartClient,
    private readonly agents: KeepAliveAgents,
    private readonly run: MultipartRun,
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
            agents: this.agents,
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
