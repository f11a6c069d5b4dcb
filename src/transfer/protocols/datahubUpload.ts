// Protocol datahub-upload (api 000), the transfer as a whole: status, heartbeat and result reported to the subtask,
// the files of a folder several at a time (each through datahubUploadFile.ts), one bad file not stopping the others.
import type { KeepAliveAgents } from '../../api/http';
import { open } from 'node:fs/promises';
import { describeError } from '../../api/errors';
import type { Logger } from '../../api/logger';
import type { DatahubClient } from '../../api/datahub/client';
import { SubtaskStatus } from '../../api/datahub/types';
import { isUnreachable } from '../networkWait';
import { describeChange, fingerprintChange, fingerprintOf } from '../fileFingerprint';
import type { HashCache } from '../hashCache';
import { runPool } from '../pool';
import { withRetry } from '../retry';
import type { DataPace } from '../stallGuard';
import { isEmptyCheckpoint, type FileActivity, type HookContext, type Protocol, type ProtocolRun, type TransferRecord } from '../types';
import {
  bytesRecorded,
  DATAHUB_UPLOAD_KIND,
  dict,
  fileCheckpoints,
  openUploadIds,
  own,
  type DatahubUploadCheckpoint,
  type DatahubUploadFile,
  type DatahubUploadParams,
  type FileCheckpoint,
} from './datahubUploadState';
import { sendFile, type FileProgress } from './datahubUploadFile';

export { DATAHUB_UPLOAD, DATAHUB_UPLOAD_KIND, type DatahubUploadCheckpoint, type DatahubUploadFile, type DatahubUploadParams } from './datahubUploadState';

export interface DatahubUploadTuning {
  chunkSize: number;
  partConcurrency: number;
  /** Files of a folder upload sent at the same time (each with up to partConcurrency parts in flight); 1 when unset. */
  fileConcurrency?: number;
  retries: number;
  heartbeatSeconds: number;
  stallSeconds: number;
  /** A minimum throughput of each part PUT over a window; none when unset. */
  floor?: Omit<DataPace, 'stallMs'>;
  /** The Content-Type part PUTs send; none by default (the part URLs are presigned without one). */
  partContentType?: string;
}

export interface DatahubUploadDeps {
  client: DatahubClient;
  /** The data plane's socket pools (part PUTs). */
  agents: KeepAliveAgents;
  tuning: () => DatahubUploadTuning;
  /** Where cancel and start-over log the upload ids they leave open on the store. */
  logger?: Logger;
  /** MD5s of files hashed before (by identity): an unchanged file is not read twice. */
  hashCache?: HashCache;
}

type Run = ProtocolRun<DatahubUploadParams, DatahubUploadCheckpoint>;
type Record_ = Readonly<TransferRecord<DatahubUploadParams, DatahubUploadCheckpoint>>;

export class DatahubUploadProtocol implements Protocol<DatahubUploadParams, DatahubUploadCheckpoint> {
  readonly kind = DATAHUB_UPLOAD_KIND;

  constructor(private readonly deps: DatahubUploadDeps) {}

  /** A control call (status, init, complete, result) under the same retry policy as the data. */
  private control<T>(fn: () => Promise<T>, signal?: AbortSignal, giveUp?: AbortSignal): Promise<T> {
    return withRetry(fn, { retries: this.deps.tuning().retries, signal, giveUp });
  }

  async checkResumable(record: Record_): Promise<string | undefined> {
    const files = fileCheckpoints(record.checkpoint);
    for (const file of record.params.files) {
      const cp = own(files, file.name);
      if (!cp || cp.done) continue;
      const change = await fingerprintChange({ path: file.path, size: file.size, mtimeMs: file.mtimeMs });
      if (change) return `${change}. Start the upload over to send the new content.`;
    }
    return undefined;
  }

  async run(run: Run): Promise<void> {
    const params = run.record.params;
    const tuning = this.deps.tuning();
    // A first run (or a start over after a change) describes each file as it is when it is opened.
    const fresh = isEmptyCheckpoint(run.record.checkpoint);
    const { client } = this.deps;
    // Kept as a sum, not recomputed per progress event: that was O(files) per event, O(files²) for a folder.
    let totalBytes = params.files.reduce((sum, f) => sum + f.size, 0);
    const total = (): number => totalBytes;
    const resize = (file: DatahubUploadFile, size: number): void => {
      totalBytes += size - file.size;
      file.size = size;
    };
    const checkpoints = fileCheckpoints(run.record.checkpoint);
    // Each file's saves name what they change (its checkpoint, its entry in params, which a first run fills in from
    // the file): the journal then compares and writes that much, not the whole folder's record, per save.
    const positions = new Map(params.files.map((f, i) => [f, i]));
    const saveFile = (file: DatahubUploadFile) => (): Promise<void> => run.checkpoint({ files: checkpoints }, [['checkpoint', 'files', file.name], ['params', 'files', positions.get(file) ?? 0]]);

    let uploaded = bytesRecorded(params.files, checkpoints);
    // What the store has answered for (finished part PUTs): the speed and time left are computed from it.
    let confirmed = uploaded;
    // A folder's files in flight, each with its own phase and bytes, for its row under the transfer's.
    const many = params.files.length > 1;
    const live = dict<FileActivity>();
    const inFlight = (): { files?: Record<string, FileActivity> } => (many ? { files: dict(live) } : {});
    const report = (delta: number, confirm = 0): void => {
      uploaded += delta;
      confirmed += confirm;
      run.progress({ bytesDone: uploaded, bytesConfirmed: confirmed, bytesTotal: total(), phase: 'uploading', ...inFlight() });
    };
    const fileProgress = (file: DatahubUploadFile, cp: FileCheckpoint): FileProgress => {
      let sent = 0;
      return {
        hashing: (done) => {
          live[file.name] = { phase: 'hashing', done };
          if (many) run.progress(inFlight());
        },
        sending: () => (sent = bytesRecorded([file], dict({ [file.name]: cp }))),
        sent: (delta, confirm = 0) => {
          sent += delta;
          live[file.name] = { phase: 'uploading', done: Math.max(0, sent) };
          report(delta, confirm);
        },
        end: () => {
          delete live[file.name];
          if (many) run.progress(inFlight());
        },
      };
    };

    await this.control(() => client.updateStatus(params.subtaskId, SubtaskStatus.Running, run.signal), run.signal);
    const heartbeat = setInterval(() => {
      const percent = total() === 0 ? 100 : (uploaded / total()) * 100;
      this.control(() => client.heartbeat(params.subtaskId, percent, run.signal), run.signal).catch((e: unknown) => run.logger.warn(`heartbeat failed: ${String(e)}`));
    }, tuning.heartbeatSeconds * 1000);
    try {
      // Files of a folder go several at a time: a small file is three calls of latency and little else, so one
      // file after another leaves the network and the server idle (and the next files' MD5 passes overlap the PUTs).
      const pending = params.files.filter((f) => !own(checkpoints, f.name)?.done);
      await runPool(
        pending,
        Math.max(1, tuning.fileConcurrency ?? 1),
        async (file) => {
          const cp = own(checkpoints, file.name) ?? (checkpoints[file.name] = {});
          delete cp.error;
          const progress = fileProgress(file, cp);
          const save = saveFile(file);
          try {
            await this.uploadFile(run, file, fresh ? resize : undefined, cp, tuning, save, progress);
          } catch (error) {
            if (run.signal.aborted) throw error;
            if (params.files.length === 1) throw error;
            // The network is away, not this file at fault: the whole run waits for it (the engine's network wait).
            if (isUnreachable(error)) throw error;
            // In a folder upload one bad file does not stop the others; the result counts it.
            cp.error = describeError(error);
            run.logger.error(`upload of ${file.name} failed: ${cp.error}`);
            await save();
          } finally {
            progress.end();
          }
        },
        run.signal,
      );
      const success = params.files.filter((f) => own(checkpoints, f.name)?.done).length;
      if (run.record.checkpoint.resultPosted !== true) {
        await this.control(() => client.submitResult(params.subtaskId, { total_counts: params.files.length, success_counts: success }, run.signal), run.signal);
        await run.checkpoint({ resultPosted: true });
      }
      if (success < params.files.length) {
        const failed = params.files.filter((f) => !own(checkpoints, f.name)?.done).map((f) => `${f.name}: ${own(checkpoints, f.name)?.error ?? 'not uploaded'}`);
        throw new Error(`${params.files.length - success} of ${params.files.length} files failed — ${failed.join('; ')}`);
      }
      run.progress({ bytesDone: total(), bytesTotal: total(), phase: 'done' });
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Uploads one file through one handle held open for the whole upload: it is looked up by path once, when opened. */
  private async uploadFile(
    run: Run,
    file: DatahubUploadFile,
    /** On a first run, describes the file as it is when opened. */
    resize: ((file: DatahubUploadFile, size: number) => void) | undefined,
    cp: FileCheckpoint,
    tuning: DatahubUploadTuning,
    save: () => Promise<void>,
    progress: FileProgress,
  ): Promise<void> {
    const handle = await open(file.path, 'r');
    try {
      const now = await fingerprintOf(handle, file.path);
      if (resize && !cp.md5) {
        resize(file, now.size);
        file.mtimeMs = now.mtimeMs;
      }
      const changed = describeChange(file, now);
      if (changed) throw new Error(`${changed}; upload refused`);
      await sendFile(this.deps, (fn, signal, giveUp) => this.control(fn, signal, giveUp), run, file, handle, cp, tuning, save, progress);
    } finally {
      await handle.close();
    }
  }

  async onPaused(record: Record_, { giveUp }: HookContext): Promise<void> {
    await this.control(() => this.deps.client.updateStatus(record.params.subtaskId, SubtaskStatus.Paused), undefined, giveUp);
  }

  async onCancelled(record: Record_, { giveUp }: HookContext): Promise<void> {
    this.logOpenUploads(record, 'cancelled');
    await this.control(() => this.deps.client.updateStatus(record.params.subtaskId, SubtaskStatus.Cancelled), undefined, giveUp);
  }

  /** Start over throws the checkpoint away: its upload ids are given up (api 000 cannot abort them). */
  onDiscarded(record: Record_): Promise<void> {
    this.logOpenUploads(record, 'started over');
    return Promise.resolve();
  }

  private logOpenUploads(record: Record_, why: string): void {
    const ids = openUploadIds(record.checkpoint);
    if (ids.length > 0) this.deps.logger?.warn(`${record.label} ${why}: ${ids.length} upload id(s) left open on the store (api 000 has no abort): ${ids.join(', ')}`);
  }

  async onFailed(record: Record_, _error: unknown, { giveUp }: HookContext): Promise<void> {
    await this.control(() => this.deps.client.updateStatus(record.params.subtaskId, SubtaskStatus.Failed), undefined, giveUp);
  }
}
