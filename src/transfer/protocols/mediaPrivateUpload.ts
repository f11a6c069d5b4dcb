// Protocol media-private-upload (api 002): add a matched private block (from the key store, or a file the user chose)
// to IPFS (3), then PATCH its hash (8).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { MediaStatus } from '../../api/media/types';
import { writeOwnerOnlyFile } from '../ownerOnlyFile';
import { fingerprintChange } from '../fileFingerprint';
import { wholeNumber } from '../schemas';
import { asTransferOf, defineKind, type HookContext, type Protocol, type ProtocolRun, type TransferRecord } from '../types';
import { mediaViewEntries, percentOf, retrying, statusReporter, type KnownBlockFields, type MediaProtocolDeps } from './mediaShared';

export const MEDIA_PRIVATE_UPLOAD = 'media-private-upload';

const paramsSchema = v.object({
  taskId: v.number(),
  seriesId: v.number(),
  /** The private block in the key store (what an upload made here); the file is written to staging only for the add. */
  blockId: v.optional(v.string()),
  /** Or a private block file the user chose (one received from elsewhere). */
  path: v.optional(v.string()),
  size: wholeNumber,
  mtimeMs: v.pipe(v.number(), v.finite()),
  /** The task's name and folder (sent back with the hash). */
  name: v.string(),
  folderName: v.string(),
});

const checkpointSchema = v.object({
  ...mediaViewEntries,
  /** The uploading node's peer id (the task's `ip`). */
  ip: v.optional(v.string()),
});

export type MediaPrivateUploadParams = v.InferOutput<typeof paramsSchema>;
type PrivateCheckpoint = v.InferOutput<typeof checkpointSchema>;
export const MEDIA_PRIVATE_UPLOAD_KIND = defineKind<MediaPrivateUploadParams, PrivateCheckpoint>(MEDIA_PRIVATE_UPLOAD, 'upload', paramsSchema, checkpointSchema);
type Record_ = Readonly<TransferRecord<MediaPrivateUploadParams, PrivateCheckpoint>>;

export function mediaPrivateParams(record: TransferRecord): MediaPrivateUploadParams {
  return asTransferOf(MEDIA_PRIVATE_UPLOAD_KIND, record).params;
}

/** What a private-block status PATCH can say at this point (api 002 wants all five when known). */
function knownFields(p: MediaPrivateUploadParams, cp: PrivateCheckpoint): KnownBlockFields {
  return { name: p.name, file: p.folderName, size: p.size, hash: cp.hash, ip: cp.ip };
}

export class MediaPrivateUploadProtocol implements Protocol<MediaPrivateUploadParams, PrivateCheckpoint> {
  readonly kind = MEDIA_PRIVATE_UPLOAD_KIND;

  constructor(private readonly deps: MediaProtocolDeps) {}

  async run(run: ProtocolRun<MediaPrivateUploadParams, PrivateCheckpoint>): Promise<void> {
    const p = run.record.params;
    const cp = run.record.checkpoint;
    const { client, ipfs } = this.deps;
    const save = (update: PrivateCheckpoint): Promise<void> => run.checkpoint(update);
    const file = await this.blockFile(run.record);
    if (!cp.ip) await save({ ip: await retrying(this.deps, run.signal, () => ipfs.id(run.signal)) });
    const reporter = statusReporter(this.deps, run, (status, percent) => client.reportPrivate(p.taskId, { status, percent, ...knownFields(p, cp) }, run.signal));
    await reporter.now(MediaStatus.Uploading, 0);
    await save({ taskId: p.taskId, mediaStatus: MediaStatus.Uploading });
    let sent = 0;
    run.progress({ phase: 'uploading', bytesDone: 0, bytesTotal: p.size });
    const added = await ipfs
      .addFile(file.path, {
        signal: run.signal,
        onBytes: (n) => {
          sent += n;
          run.progress({ phase: 'uploading', bytesDone: sent, bytesTotal: p.size });
          reporter.update(MediaStatus.Uploading, percentOf(sent, p.size));
        },
      })
      .finally(file.done);
    await save({ hash: added.cid });
    await reporter.now(MediaStatus.Done, 100, () => client.reportPrivate(p.taskId, { status: MediaStatus.Done, percent: 100, ...knownFields(p, cp), size: added.size }, run.signal));
    await save({ mediaStatus: MediaStatus.Done });
  }

  /** The file to add: the user's (unchanged since it was chosen), or the stored block written to staging for the add only. */
  private async blockFile(record: Record_): Promise<{ path: string; done: () => Promise<void> }> {
    const p = record.params;
    if (p.blockId !== undefined) {
      const bytes = await this.deps.privateBlocks.bytes(p.blockId);
      if (!bytes) throw new Error(`the private block of ${p.name} is no longer in this machine's key store; upload it from a file instead`);
      const path = join(this.deps.stagingDir(), `${record.id}.private.json`);
      await writeOwnerOnlyFile(path, bytes);
      return { path, done: () => rm(path, { force: true }) };
    }
    if (p.path === undefined) throw new Error('the private block upload names neither a stored block nor a file');
    const change = await fingerprintChange({ path: p.path, size: p.size, mtimeMs: p.mtimeMs });
    if (change) throw new Error(`${change}; private block upload refused`);
    return { path: p.path, done: async () => undefined };
  }

  async onFailed(record: Record_, _error: unknown, { giveUp }: HookContext): Promise<void> {
    const p = record.params;
    const cp = record.checkpoint;
    cp.mediaStatus = MediaStatus.Error;
    await retrying(this.deps, undefined, () => this.deps.client.reportPrivate(p.taskId, { status: MediaStatus.Error, ...knownFields(p, cp) }), giveUp);
  }

  async onCancelled(record: Record_, context: HookContext): Promise<void> {
    await this.onFailed(record, undefined, context);
  }
}
