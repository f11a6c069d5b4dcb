// Protocol media-private-upload (api 002): add a matched private block file to IPFS (3), then PATCH its hash (8).
import { MediaStatus } from '../../api/media/types';
import { fingerprintChange } from '../fileFingerprint';
import type { Json, Protocol, ProtocolRun, TransferRecord } from '../types';
import { percentOf, retrying, StatusReporter, type MediaProtocolDeps, type MediaViewState } from './mediaShared';

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

export function mediaPrivateParams(record: Readonly<TransferRecord>): MediaPrivateUploadParams {
  return record.params as unknown as MediaPrivateUploadParams;
}

export class MediaPrivateUploadProtocol implements Protocol {
  readonly name = MEDIA_PRIVATE_UPLOAD;

  constructor(private readonly deps: MediaProtocolDeps) {}

  async run(run: ProtocolRun): Promise<void> {
    const p = mediaPrivateParams(run.record);
    const { client, ipfs } = this.deps;
    const save = (update: MediaViewState): Promise<void> => run.checkpoint(update as unknown as { [key: string]: Json });
    const change = await fingerprintChange({ path: p.path, size: p.size, mtimeMs: p.mtimeMs });
    if (change) throw new Error(`${change}; private block upload refused`);
    const reporter = new StatusReporter((status, percent) => client.reportPrivate(p.taskId, { status, percent }, run.signal), run.logger);
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
    const ip = await retrying(this.deps, run.signal, () => ipfs.id(run.signal));
    await reporter.now(MediaStatus.Done, 100, () =>
      retrying(this.deps, run.signal, () =>
        client.reportPrivate(p.taskId, { status: MediaStatus.Done, percent: 100, name: p.name, file: p.folderName, hash: added.cid, size: added.size, ip }, run.signal),
      ),
    );
    await save({ mediaStatus: MediaStatus.Done, hash: added.cid });
  }

  async onFailed(record: Readonly<TransferRecord>): Promise<void> {
    const p = mediaPrivateParams(record);
    (record.checkpoint as MediaViewState).mediaStatus = MediaStatus.Error;
    await this.deps.client.reportPrivate(p.taskId, { status: MediaStatus.Error });
  }

  async onCancelled(record: Readonly<TransferRecord>): Promise<void> {
    await this.onFailed(record);
  }
}
