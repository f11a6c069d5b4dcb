// Protocol media-upload (api 002): create the task → encrypt the master into a public block (1, 2), its private block
// into the key store (never beside the master) → IPFS add (3) → PATCH hash (8).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { MediaStatus } from '../../api/media/types';
import { encryptToPublicBlock } from '../blocks/encrypt';
import { fingerprintChange } from '../fileFingerprint';
import { wholeNumber } from '../schemas';
import { asTransferOf, defineKind, type HookContext, type Protocol, type ProtocolRun, type TransferRecord } from '../types';
import { mediaViewEntries, percentOf, retrying, statusReporter, type KnownBlockFields, type MediaProtocolDeps } from './mediaShared';

export const MEDIA_UPLOAD = 'media-upload';

const paramsSchema = v.object({
  seriesId: v.number(),
  /** The master file. */
  path: v.string(),
  /** Its file name (the task's source_name and the private block's name). */
  sourceName: v.string(),
  /** The folder's name (the task's `file`, the series name). */
  folderName: v.string(),
  size: wholeNumber,
  mtimeMs: v.pipe(v.number(), v.finite()),
});

const checkpointSchema = v.object({
  ...mediaViewEntries,
  uuid: v.optional(v.string()),
  stage: v.optional(v.picklist(['created', 'encrypted', 'added', 'done'])),
  publicPath: v.optional(v.string()),
  /** The private block's id in the key store (the task's uuid). */
  privateBlockId: v.optional(v.string()),
  /** Where versions before the key store wrote the private block (`.datahub-private/` beside the master): read only to migrate it. */
  privatePath: v.optional(v.string()),
  publicSize: v.optional(wholeNumber),
  ip: v.optional(v.string()),
});

export type MediaUploadParams = v.InferOutput<typeof paramsSchema>;
type UploadCheckpoint = v.InferOutput<typeof checkpointSchema>;
export const MEDIA_UPLOAD_KIND = defineKind<MediaUploadParams, UploadCheckpoint>(MEDIA_UPLOAD, 'upload', paramsSchema, checkpointSchema);
type Record_ = Readonly<TransferRecord<MediaUploadParams, UploadCheckpoint>>;

export function mediaUploadParams(record: TransferRecord): MediaUploadParams {
  return asTransferOf(MEDIA_UPLOAD_KIND, record).params;
}

export function mediaCheckpoint(record: TransferRecord): UploadCheckpoint {
  return asTransferOf(MEDIA_UPLOAD_KIND, record).checkpoint;
}

/** What an upload status PATCH can say about the public block at this point (api 002 wants all five when known). */
function knownFields(p: MediaUploadParams, cp: UploadCheckpoint): KnownBlockFields {
  return { name: p.sourceName, file: p.folderName, size: cp.publicSize, hash: cp.hash, ip: cp.ip };
}

export class MediaUploadProtocol implements Protocol<MediaUploadParams, UploadCheckpoint> {
  readonly kind = MEDIA_UPLOAD_KIND;

  constructor(private readonly deps: MediaProtocolDeps) {}

  async checkResumable(record: Record_): Promise<string | undefined> {
    const p = record.params;
    const cp = record.checkpoint;
    if (cp.stage === 'added' || cp.stage === 'done') return undefined;
    const change = await fingerprintChange({ path: p.path, size: p.size, mtimeMs: p.mtimeMs });
    return change ? `${change}. Cancel and upload the folder again.` : undefined;
  }

  async run(run: ProtocolRun<MediaUploadParams, UploadCheckpoint>): Promise<void> {
    const p = run.record.params;
    const cp = run.record.checkpoint;
    const { client, ipfs } = this.deps;
    const save = (update: UploadCheckpoint): Promise<void> => run.checkpoint(update);
    if (!cp.uuid) await save({ uuid: randomUUID() });
    if (cp.taskId === undefined) {
      const task = await retrying(this.deps, run.signal, () => client.createUploadTask({ seriesId: p.seriesId, uuid: cp.uuid as string, sourceName: p.sourceName }, run.signal));
      await save({ taskId: task.id, sourceId: task.source_id, stage: 'created', mediaStatus: task.status });
    }
    const taskId = cp.taskId as number;
    // The node's peer id is the task's `ip`: asked first, so that every status report carries it and an
    // unreachable node is found before the master is encrypted.
    if (!cp.ip) await save({ ip: await retrying(this.deps, run.signal, () => ipfs.id(run.signal)) });
    const reporter = statusReporter(this.deps, run, (status, percent) => client.reportUpload(taskId, { status, percent, ...knownFields(p, cp) }, run.signal));
    const setStatus = async (status: MediaStatus, percent?: number): Promise<void> => {
      await reporter.now(status, percent);
      await save({ mediaStatus: status });
    };

    const staged = cp.stage === 'encrypted' && cp.publicPath !== undefined && existsSync(cp.publicPath) && cp.privateBlockId !== undefined && (await this.deps.privateBlocks.has(cp.privateBlockId));
    const encrypted = staged || cp.stage === 'added' || cp.stage === 'done';
    if (!encrypted) {
      const change = await fingerprintChange({ path: p.path, size: p.size, mtimeMs: p.mtimeMs });
      if (change) throw new Error(`${change}; upload refused`);
      // The IPFS chunking happens in the add; the document's "chunking" step is reported as the start of local processing.
      await setStatus(MediaStatus.Chunking, 0);
      await setStatus(MediaStatus.Encrypting, 0);
      await mkdir(this.deps.stagingDir(), { recursive: true });
      const publicPath = join(this.deps.stagingDir(), `${run.record.id}.public`);
      await rm(publicPath, { force: true });
      let done = 0;
      run.progress({ phase: 'encrypting', bytesDone: 0, bytesTotal: p.size });
      const block = await encryptToPublicBlock(p.path, publicPath, {
        signal: run.signal,
        name: p.sourceName,
        onBytes: (n) => {
          done += n;
          run.progress({ phase: 'encrypting', bytesDone: done, bytesTotal: p.size });
          reporter.update(MediaStatus.Encrypting, percentOf(done, p.size));
        },
      });
      // Stored under the task's uuid: a master encrypted again replaces its block, and the private task (which carries
      // the uuid) finds it.
      const uuid = cp.uuid as string;
      const privateBlockId = await this.deps.privateBlocks.save(block, { sourceName: p.sourceName, uuid, seriesId: p.seriesId, folderName: p.folderName, masterPath: p.path }, uuid);
      await save({ stage: 'encrypted', publicPath, privateBlockId, publicSize: block.size });
    }

    if (cp.stage !== 'added' && cp.stage !== 'done') {
      await setStatus(MediaStatus.Uploading, 0);
      let sent = 0;
      const total = cp.publicSize ?? p.size;
      run.progress({ phase: 'uploading', bytesDone: 0, bytesTotal: total });
      const added = await ipfs.addFile(cp.publicPath as string, {
        name: p.sourceName,
        signal: run.signal,
        onBytes: (n) => {
          sent += n;
          run.progress({ phase: 'uploading', bytesDone: sent, bytesTotal: total });
          reporter.update(MediaStatus.Uploading, percentOf(sent, total));
        },
      });
      await save({ stage: 'added', hash: added.cid, publicSize: added.size });
    }

    if (cp.stage !== 'done') {
      const task = await reporter.now(MediaStatus.Done, 100, () => client.reportUpload(taskId, { status: MediaStatus.Done, percent: 100, ...knownFields(p, cp) }, run.signal));
      // The source id to download with is the one this answer carries (the document says so).
      await save({ stage: 'done', mediaStatus: MediaStatus.Done, sourceId: task.source_id });
      if (cp.publicPath) await rm(cp.publicPath, { force: true });
    }
    run.progress({ phase: 'done', bytesDone: p.size, bytesTotal: p.size });
  }

  async onFailed(record: Record_, _error: unknown, { giveUp }: HookContext): Promise<void> {
    const cp = record.checkpoint;
    if (cp.taskId === undefined || cp.stage === 'done') return;
    cp.mediaStatus = MediaStatus.Error;
    await this.reportError(record, cp.taskId, giveUp);
  }

  private reportError(record: Record_, taskId: number, giveUp: AbortSignal): Promise<unknown> {
    const fields = knownFields(record.params, record.checkpoint);
    return retrying(this.deps, undefined, () => this.deps.client.reportUpload(taskId, { status: MediaStatus.Error, ...fields }), giveUp);
  }

  async onCancelled(record: Record_, { giveUp }: HookContext): Promise<void> {
    const cp = record.checkpoint;
    if (cp.publicPath) await rm(cp.publicPath, { force: true });
    // The backend has no "cancelled" status: a task the user gave up on is reported as an error.
    if (cp.taskId !== undefined && cp.stage !== 'done') {
      cp.mediaStatus = MediaStatus.Error;
      await this.reportError(record, cp.taskId, giveUp);
    }
  }
}
