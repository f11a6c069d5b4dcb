// Protocol media-private-upload (api 002): add a matched private block file to IPFS (3), then PATCH its hash (8).
import { MediaStatus } from '../../api/media/types';
import { fingerprintChange } from '../fileFingerprint';
import type { Json, Protocol, ProtocolRun, TransferRecord } from '../types';
import { percentOf, retrying, statusReporter, type KnownBlockFields, type MediaProtocolDeps, type MediaViewState } from './mediaShared';

export const MEDIA_PRIVATE_UPLOAD = 'media-private-upload';

export interface MediaPrivateUploadParams {
  taskId: number;
  seriesId: number;
  /** The private block file. */
  path: string;
  size: number;
  mtimeMs: number;
  /** The task's name and folder (sent back with the hash). */
  name: string;
  folderName: string;
}

interface PrivateCheckpoint extends MediaViewState {
  /** The uploading node's peer id (the task's `ip`). */
  ip?: string;
}

/** What a private-block status PATCH can say at this point (api 002 wants all five when known). */
function knownFields(p: MediaPrivateUploadParams, cp: PrivateCheckpoint): KnownBlockFields {
  return { name: p.name, file: p.folderName, size: p.size, hash: cp.hash, ip: cp.ip };
}

export function mediaPrivateParams(record: Readonly<TransferRecord>): MediaPrivateUploadParams {
  return record.params as unknown as MediaPrivateUploadParams;
}

export class MediaPrivateUploadProtocol implements Protocol {
  readonly name = MEDIA_PRIVATE_UPLOAD;

  constructor(private readonly deps: MediaProtocolDeps) {}

  async run(run: ProtocolRun): Promise<void> {
    const p = mediaPrivateParams(run.record);
    const cp = run.record.checkpoint as PrivateCheckpoint;
    const { client, ipfs } = this.deps;
    const save = (update: PrivateCheckpoint): Promise<void> => run.checkpoint(update as unknown as { [key: string]: Json });
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

  async onFailed(record: Readonly<TransferRecord>): Promise<void> {
    const p = mediaPrivateParams(record);
    const cp = record.checkpoint as PrivateCheckpoint;
    cp.mediaStatus = MediaStatus.Error;
    await retrying(this.deps, undefined, () => this.deps.client.reportPrivate(p.taskId, { status: MediaStatus.Error, ...knownFields(p, cp) }));
  }

  async onCancelled(record: Readonly<TransferRecord>): Promise<void> {
    await this.onFailed(record);
  }
}
