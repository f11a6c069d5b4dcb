// Protocol multipart-upload (api 004): init → parallel part PUTs → complete → confirm the simulation job;
// resumable with `list`, cancel = abort, an expired part URL = list, then a new init.
import type { KeepAliveAgents } from '../../api/http';
import { open } from 'node:fs/promises';
import { unquoteEtag, validateFileSize, type MultipartClient } from '../../api/multipart/client';
import { describeChange, fingerprintChange, fingerprintOf } from '../fileFingerprint';
import { withRetry } from '../retry';
import { isEmptyCheckpoint, type HookContext, type Protocol, type TransferRecord } from '../types';
import { PartSender, type MultipartUploadTuning } from './multipartPartSender';
import { MULTIPART_UPLOAD_KIND, plannedParts, uploadRef, type MultipartCheckpoint, type MultipartRun, type MultipartUploadParams } from './multipartUploadRecord';

type Record_ = Readonly<TransferRecord<MultipartUploadParams, MultipartCheckpoint>>;

export interface MultipartUploadDeps {
  client: MultipartClient;
  /** The data plane's socket pools (part PUTs). */
  agents: KeepAliveAgents;
  tuning: () => MultipartUploadTuning;
}

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

  async run(run: MultipartRun): Promise<void> {
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
        await new PartSender(this.deps.client, this.deps.agents, run, handle, cp, tuning, save).send();
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
