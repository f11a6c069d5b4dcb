// Protocol media-download (api 002): create the task → cat the public block (4) → wait for the private
// block (5) → cat it (6) → compose and verify (7) → 8. The public block download continues from its bytes on disk.
import { existsSync } from 'node:fs';
import { mkdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { MediaStatus } from '../../api/media/types';
import { composeOriginal } from '../blocks/compose';
import { MAX_PRIVATE_BLOCK_BYTES, PRIVATE_DIR, parsePrivateBlock } from '../blocks/privateBlock';
import { sleep } from '../retry';
import { wholeNumber } from '../schemas';
import { asTransferOf, defineKind, type HookContext, type Protocol, type ProtocolRun, type TransferRecord } from '../types';
import { mediaViewEntries, percentOf, retrying, statusReporter, uniquePath, type MediaProtocolDeps } from './mediaShared';

export const MEDIA_DOWNLOAD = 'media-download';
export const WAITING_FOR_AUTHORIZATION = 'waiting for authorization';

const paramsSchema = v.object({
  sourceId: v.number(),
  /** The folder the original is written into. */
  destDir: v.string(),
});

const checkpointSchema = v.object({
  ...mediaViewEntries,
  size: v.optional(wholeNumber),
  sourceName: v.optional(v.string()),
  seriesId: v.optional(v.number()),
  stage: v.optional(v.picklist(['created', 'public', 'done'])),
  /** The composed original (for Reveal in Explorer). */
  outputPath: v.optional(v.string()),
});

export type MediaDownloadParams = v.InferOutput<typeof paramsSchema>;
type DownloadCheckpoint = v.InferOutput<typeof checkpointSchema>;
export const MEDIA_DOWNLOAD_KIND = defineKind<MediaDownloadParams, DownloadCheckpoint>(MEDIA_DOWNLOAD, 'download', paramsSchema, checkpointSchema);
type Record_ = Readonly<TransferRecord<MediaDownloadParams, DownloadCheckpoint>>;

export function mediaDownloadParams(record: TransferRecord): MediaDownloadParams {
  return asTransferOf(MEDIA_DOWNLOAD_KIND, record).params;
}

export function downloadCheckpoint(record: TransferRecord): DownloadCheckpoint {
  return asTransferOf(MEDIA_DOWNLOAD_KIND, record).checkpoint;
}

/** The public block's staging file, in the extension's private staging folder (nothing is written into the destination but the original). */
export function publicStagingPath(stagingDir: string, taskId: number): string {
  return join(stagingDir, `download-${taskId}.public`);
}

/** Where earlier versions staged it: `.datahub-private/` in the destination; a download begun there continues there. */
export function legacyStagingPath(destDir: string, taskId: number): string {
  return join(destDir, PRIVATE_DIR, `download-${taskId}.public`);
}

/** Removes a legacy staging folder once nothing is left in it (never an empty `.datahub-private/` behind). */
async function removeLegacyDir(destDir: string): Promise<void> {
  await rmdir(join(destDir, PRIVATE_DIR)).catch(() => undefined);
}

/**
 * Where a public block download continues: after the bytes already on disk, when they can belong to
 * the block. More bytes than the block has (or a block of unknown size) restart it from 0: a node asked
 * for an offset past the end answers nothing, and asking again cannot succeed.
 */
export async function resumeOffset(staging: string, total: number): Promise<number> {
  if (!existsSync(staging)) return 0;
  const onDisk = (await stat(staging)).size;
  return total > 0 && onDisk <= total ? onDisk : 0;
}

export class MediaDownloadProtocol implements Protocol<MediaDownloadParams, DownloadCheckpoint> {
  readonly kind = MEDIA_DOWNLOAD_KIND;

  constructor(private readonly deps: MediaProtocolDeps) {}

  async run(run: ProtocolRun<MediaDownloadParams, DownloadCheckpoint>): Promise<void> {
    const p = run.record.params;
    const cp = run.record.checkpoint;
    const { client, ipfs } = this.deps;
    const save = (update: DownloadCheckpoint): Promise<void> => run.checkpoint(update);

    if (cp.taskId === undefined) {
      const task = await retrying(this.deps, run.signal, () => client.createDownloadTask(p.sourceId, run.signal));
      if (!task.hash) throw new Error(`source ${p.sourceId} has no public block hash yet`);
      await save({ taskId: task.id, sourceId: task.source_id, hash: task.hash, size: task.size, sourceName: task.source_name, seriesId: task.series_id, stage: 'created', mediaStatus: task.status });
    }
    const taskId = cp.taskId as number;
    const reporter = statusReporter(this.deps, run, (status, percent) => client.reportDownload(taskId, { status, percent }, run.signal));
    const setStatus = async (status: MediaStatus, percent?: number): Promise<void> => {
      await reporter.now(status, percent);
      await save({ mediaStatus: status });
    };
    const legacy = legacyStagingPath(p.destDir, taskId);
    const staging = existsSync(legacy) ? legacy : publicStagingPath(this.deps.stagingDir(), taskId);

    if (cp.stage === 'created' || (cp.stage === 'public' && !existsSync(staging))) {
      await mkdir(this.deps.stagingDir(), { recursive: true });
      const total = cp.size ?? 0;
      const offset = await resumeOffset(staging, total);
      await setStatus(MediaStatus.Downloading, percentOf(offset, total));
      let done = offset;
      run.progress({ phase: 'downloading', bytesDone: done, bytesTotal: total });
      const size = await retrying(this.deps, run.signal, async () => {
        const from = await resumeOffset(staging, total);
        done = from;
        return ipfs.catToFile(cp.hash as string, staging, {
          offset: from,
          signal: run.signal,
          onBytes: (n) => {
            done += n;
            run.progress({ phase: 'downloading', bytesDone: done, bytesTotal: total });
            reporter.update(MediaStatus.Downloading, percentOf(done, total));
          },
        });
      });
      if (total > 0 && size !== total) throw new Error(`the public block is ${size} bytes, the task says ${total}`);
      await save({ stage: 'public' });
    }

    if (cp.stage !== 'done') {
      await setStatus(MediaStatus.WaitingForAuthorization);
      run.progress({ phase: WAITING_FOR_AUTHORIZATION });
      let privateHash = '';
      for (;;) {
        const task = await retrying(this.deps, run.signal, () => client.getDownloadTask(taskId, run.signal));
        if (task.private_hash) {
          privateHash = task.private_hash;
          break;
        }
        await sleep(this.deps.pollMs(), run.signal);
      }
      await setStatus(MediaStatus.DownloadingKey);
      run.progress({ phase: 'downloading key' });
      const bytes = await retrying(this.deps, run.signal, () => ipfs.catBytes(privateHash, { maxBytes: MAX_PRIVATE_BLOCK_BYTES, signal: run.signal }));
      const block = parsePrivateBlock(bytes);
      await setStatus(MediaStatus.Composing, 0);
      const outputPath = uniquePath(p.destDir, block.name);
      let done = 0;
      run.progress({ phase: 'composing', bytesDone: 0, bytesTotal: block.size });
      await composeOriginal(staging, block, outputPath, {
        signal: run.signal,
        onBytes: (n) => {
          done += n;
          run.progress({ phase: 'composing', bytesDone: done, bytesTotal: block.size });
          reporter.update(MediaStatus.Composing, percentOf(done, block.size));
        },
      });
      await save({ stage: 'done', outputPath });
      await rm(staging, { force: true });
      if (staging === legacy) await removeLegacyDir(p.destDir);
      await setStatus(MediaStatus.Done, 100);
    }
    run.progress({ phase: 'done' });
  }

  async onFailed(record: Record_, _error: unknown, { giveUp }: HookContext): Promise<void> {
    const cp = record.checkpoint;
    if (cp.taskId === undefined || cp.stage === 'done') return;
    cp.mediaStatus = MediaStatus.Error;
    await this.reportError(cp.taskId, giveUp);
  }

  private reportError(taskId: number, giveUp: AbortSignal): Promise<unknown> {
    return retrying(this.deps, undefined, () => this.deps.client.reportDownload(taskId, { status: MediaStatus.Error }), giveUp);
  }

  async onCancelled(record: Record_, { giveUp }: HookContext): Promise<void> {
    const cp = record.checkpoint;
    if (cp.taskId === undefined) return;
    await rm(publicStagingPath(this.deps.stagingDir(), cp.taskId), { force: true });
    await rm(legacyStagingPath(record.params.destDir, cp.taskId), { force: true });
    await removeLegacyDir(record.params.destDir);
    if (cp.stage !== 'done') {
      cp.mediaStatus = MediaStatus.Error;
      await this.reportError(cp.taskId, giveUp);
    }
  }
}
