// Protocol media-private-upload (api 002): add a matched private block file to IPFS (3), then PATCH its hash (8).
import * as v from 'valibot';
import { MediaStatus } from '../../api/media/types';
import { fingerprintChange } from '../fileFingerprint';
import { wholeNumber } from '../schemas';
import { asTransferOf, defineKind, type HookContext, type Protocol, type ProtocolRun, type TransferRecord } from '../types';
import { mediaViewEntries, percentOf, retrying, statusReporter, type KnownBlockFields, type MediaProtocolDeps } from './mediaShared';

export const MEDIA_PRIVATE_UPLOAD = 'media-private-upload';

const paramsSchema = v.object({
  taskId: v.number(),
  seriesId: v.number(),
  /** The private block file. */
  path: v.string(),
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
    const change = await fingerprintChange({ path: p.path, size: p.size, mtimeMs: p.mtimeMs });
    if (change) throw new Error(`${change}; private block upload refused`);
    if (!cp.ip) await save({ ip: await retrying(this.deps, run.signal, () => ipfs.id(run.signal)) });
    const reporter = statusReporter(this.deps, run, (status, percent) => client.reportPrivate(p.taskId, { status, percent, ...knownFields(p, cp) }, run.signal));
    await reporter.now(MediaStatus.Uploading, 0);
    await save({ taskId: p.taskId, mediaStatus: MediaStatus.Uploading });
    let sent = 0;
    run.progress({ phase: 'uploading', bytesDone: 0, bytesTotal: p.size });
    const added = await ipfs.addFile(p.path, {
      signal: run.signal,
      onBytes: (n) => {
        sent += n;
        run.progress({ phase: 'uploading', bytesDone: sent, bytesTotal: p.size });
        reporter.update(MediaStatus.Uploading, percentOf(sent, p.size));
      },
    });
    await save({ hash: added.cid });
    await reporter.now(MediaStatus.Done, 100, () => client.reportPrivate(p.taskId, { status: MediaStatus.Done, percent: 100, ...knownFields(p, cp), size: added.size }, run.signal));
    await save({ mediaStatus: MediaStatus.Done });
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
