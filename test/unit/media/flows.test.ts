// The three media protocols on the transfer engine against the emulator: upload a folder, private blocks, download + compose.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MediaStatus } from '../../../src/api/media/types';
import { PRIVATE_DIR } from '../../../src/transfer/blocks/privateBlock';
import { MEDIA_DOWNLOAD_KIND, WAITING_FOR_AUTHORIZATION, downloadCheckpoint, legacyStagingPath, publicStagingPath } from '../../../src/transfer/protocols/mediaDownload';
import { mediaCheckpoint } from '../../../src/transfer/protocols/mediaUpload';
import { tempDir } from '../helpers/emulator';
import { startMediaRig, type MediaRig } from './harness';
import { until } from '../helpers/until';
import { type EmuState, fullMediaFlow, uploadMaster, uploadWithPrivateBlock, waitForPhase } from './scenarios';

describe('media protocols end to end', function () {
  this.timeout(60_000);
  let rig: MediaRig;
  let work: string;
  before(async () => {
    rig = await startMediaRig();
    work = tempDir('datahub-media-flow-');
  });
  after(async () => {
    await rig.close();
    rmSync(work, { recursive: true, force: true });
  });

  const uploadFile = (seriesId: number, path: string, name: string, folderName: string) => uploadMaster(rig, seriesId, path, name, folderName);

  /** Waits until the emulator's download task `taskId` has `status` as its last reported one (reports go out after the transfer settles). */
  const lastStatus = (taskId: unknown, status: number) =>
    until(`status ${status} reported for download task ${String(taskId)}`, async () => ((await rig.admin<EmuState>('GET', '/_emulator/state')).media.downloads.find((d) => d.id === taskId)?.status_history.at(-1) === status ? true : undefined));

  it('uploads two masters, their private blocks, then downloads one whose bytes equal the original', async () => {
    const { sourceId } = await fullMediaFlow(rig, work);
    const dest = join(work, '仙剑奇侠传-downloads');
    // A second download of the same source does not overwrite the first.
    const again = rig.engine.start(MEDIA_DOWNLOAD_KIND, { sourceId, destDir: dest }, { label: 'again', localPath: dest });
    await rig.admin('POST', '/_emulator/media/authorize', { source_id: sourceId });
    const second = await rig.engine.whenSettled(again);
    assert.equal(second.state, 'completed', second.error);
    assert.equal(downloadCheckpoint(second).outputPath, join(dest, 'ep1 (1).mp4'));
  });

  it('runs the same flow for masters named __proto__ and constructor in a series named constructor', async () => {
    await fullMediaFlow(rig, work, ['__proto__', 'constructor'], 'constructor');
  });

  it('retries a status PATCH the backend refuses for a moment, instead of failing the upload', async () => {
    const folder = join(work, 'flaky-status');
    mkdirSync(folder);
    writeFileSync(join(folder, 'f.mp4'), randomBytes(20_000));
    // The first two status reports (1 = chunking, then its retry) answer 503.
    await rig.admin('POST', '/_emulator/media/config', { fail_status_patches: { count: 2, status: 503 } });
    const r = await uploadFile(3, join(folder, 'f.mp4'), 'f.mp4', 'flaky-status');
    assert.equal(r.state, 'completed', r.error);
    const state = await rig.admin<EmuState>('GET', '/_emulator/state');
    assert.equal(state.media.status_failures.refused, 2);
    assert.deepEqual(state.media.uploads.find((u) => u.id === mediaCheckpoint(r).taskId)?.status_history, [0, 1, 2, 3, 8]);
  });

  it('restarts the public block when the bytes on disk run past its end, instead of asking for an offset that cannot be served', async () => {
    const { sourceId, original } = await uploadWithPrivateBlock(rig, work, 4, 'overlong', 'o.mp4', 400_000);
    await rig.admin('POST', '/_emulator/media/authorize', { source_id: sourceId });
    // A staging file left behind, longer than the public block, where the next download task will stage.
    const dest = join(work, 'overlong-dest');
    const nextTaskId = (await rig.admin<EmuState>('GET', '/_emulator/state')).media.next_id;
    mkdirSync(dest);
    writeFileSync(publicStagingPath(rig.staging, nextTaskId), randomBytes(original.length + 5_000));
    const record = rig.engine.start(MEDIA_DOWNLOAD_KIND, { sourceId, destDir: dest }, { label: 'o', localPath: dest });
    const settled = await rig.engine.whenSettled(record);
    assert.equal(downloadCheckpoint(settled).taskId, nextTaskId);
    assert.equal(settled.state, 'completed', settled.error);
    assert.ok(readFileSync(downloadCheckpoint(settled).outputPath as string).equals(original));
    assert.deepEqual(readdirSync(dest), ['o.mp4']);
  });

  it('continues a download an earlier version staged in .datahub-private/ of the destination, then removes that folder', async () => {
    const { sourceId, original } = await uploadWithPrivateBlock(rig, work, 6, 'legacy-staging', 'l.mp4', 300_000);
    await rig.admin('POST', '/_emulator/media/authorize', { source_id: sourceId });
    const dest = join(work, 'legacy-staging-dest');
    const nextTaskId = (await rig.admin<EmuState>('GET', '/_emulator/state')).media.next_id;
    mkdirSync(join(dest, PRIVATE_DIR), { recursive: true });
    // Longer than the block: the download starts that file again from 0, where it lies.
    writeFileSync(legacyStagingPath(dest, nextTaskId), randomBytes(original.length + 1));
    const settled = await rig.engine.whenSettled(rig.engine.start(MEDIA_DOWNLOAD_KIND, { sourceId, destDir: dest }, { label: 'l', localPath: dest }));
    assert.equal(settled.state, 'completed', settled.error);
    assert.ok(readFileSync(join(dest, 'l.mp4')).equals(original));
    assert.deepEqual(readdirSync(dest), ['l.mp4'], 'the emptied .datahub-private/ was left behind');
  });

  it('can be cancelled while it waits for authorization, and reports the error status', async () => {
    const folder = join(work, 'cancel');
    mkdirSync(folder);
    writeFileSync(join(folder, 'c.mp4'), randomBytes(1000));
    const up = await uploadFile(5, join(folder, 'c.mp4'), 'c.mp4', 'cancel');
    assert.equal(up.state, 'completed', up.error);
    const dest = join(work, 'cancel-dest');
    mkdirSync(dest);
    const record = rig.engine.start(MEDIA_DOWNLOAD_KIND, { sourceId: mediaCheckpoint(up).sourceId as number, destDir: dest }, { label: 'c', localPath: dest });
    await waitForPhase(rig, record.id, WAITING_FOR_AUTHORIZATION);
    // Nothing authorizes it: only the cancel can end the wait.
    rig.engine.cancel(record.id);
    const settled = await rig.engine.whenSettled(record);
    assert.equal(settled.state, 'cancelled');
    const taskId = downloadCheckpoint(settled).taskId;
    await lastStatus(taskId, MediaStatus.Error);
    assert.equal(existsSync(publicStagingPath(rig.staging, taskId as number)), false);
    assert.deepEqual(readdirSync(dest), []);
  });

  it('pauses while it waits for authorization and resumes without fetching the public block again', async () => {
    const { sourceId, original } = await uploadWithPrivateBlock(rig, work, 8, 'pause', 'p.mp4', 900_000);

    const dest = join(work, 'pause-dest');
    mkdirSync(dest);
    const record = rig.engine.start(MEDIA_DOWNLOAD_KIND, { sourceId, destDir: dest }, { label: 'p', localPath: dest });
    await waitForPhase(rig, record.id, WAITING_FOR_AUTHORIZATION);
    rig.engine.pause(record.id);
    assert.equal((await rig.engine.whenSettled(record)).state, 'paused');
    const before = (await rig.admin<{ counters: { get_bytes: number } }>('GET', '/_emulator/state')).counters.get_bytes;
    await rig.admin('POST', '/_emulator/media/authorize', { source_id: sourceId });
    rig.engine.resume(record.id);
    const settled = await rig.engine.whenSettled(record);
    assert.equal(settled.state, 'completed', settled.error);
    const fetched = (await rig.admin<{ counters: { get_bytes: number } }>('GET', '/_emulator/state')).counters.get_bytes - before;
    // Only the private block (a few hundred bytes) came over the wire after the resume.
    assert.ok(fetched < 2000, `fetched ${fetched} bytes after the resume`);
    assert.ok(readFileSync(downloadCheckpoint(settled).outputPath as string).equals(original));
  });

  it('refuses a private block that does not open the public block, writes nothing and reports status 9', async () => {
    const folder = join(work, 'swap');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.mp4'), randomBytes(50_000));
    writeFileSync(join(folder, 'b.mp4'), randomBytes(50_000));
    const [a, b] = await Promise.all([uploadFile(9, join(folder, 'a.mp4'), 'a.mp4', 'swap'), uploadFile(9, join(folder, 'b.mp4'), 'b.mp4', 'swap')]);
    // b's task gets a's private block: same size, wrong key.
    const aBytes = await rig.keys.bytes(mediaCheckpoint(a).uuid as string);
    assert.ok(aBytes);
    writeFileSync(join(work, 'a.mp4.private.json'), aBytes);
    const aBlock = await rig.ipfs.addFile(join(work, 'a.mp4.private.json'));
    await rig.client.reportPrivate(mediaCheckpoint(b).taskId as number, { status: MediaStatus.Done, name: 'b.mp4', file: 'swap', hash: aBlock.cid, size: aBlock.size, ip: 'QmPeer' });
    const dest = join(work, 'swap-dest');
    mkdirSync(dest);
    const sourceId = mediaCheckpoint(b).sourceId as number;
    await rig.admin('POST', '/_emulator/media/authorize', { source_id: sourceId });
    const record = rig.engine.start(MEDIA_DOWNLOAD_KIND, { sourceId, destDir: dest }, { label: 'b', localPath: dest });
    const settled = await rig.engine.whenSettled(record);
    assert.equal(settled.state, 'failed');
    assert.match(settled.error ?? '', /does not match its private block \(authentication failed\)/);
    assert.deepEqual(readdirSync(dest), []);
    await lastStatus(downloadCheckpoint(settled).taskId, MediaStatus.Error);
  });

  it('fails with status 9 and a clear reason when the IPFS node is unreachable', async () => {
    const folder = join(work, 'noipfs');
    mkdirSync(folder);
    writeFileSync(join(folder, 'n.mp4'), randomBytes(1000));
    await rig.admin('POST', '/_emulator/faults', { route: 'ipfs_add', reset_rate: 1 });
    try {
      const r = await uploadFile(6, join(folder, 'n.mp4'), 'n.mp4', 'noipfs');
      assert.equal(r.state, 'failed');
      assert.match(r.error ?? '', /ipfs/i);
      const status = await until('the upload task reported as failed', async () => {
        const task = (await rig.admin<EmuState>('GET', '/_emulator/state')).media.uploads.find((u) => u.id === mediaCheckpoint(r).taskId);
        return task?.status === MediaStatus.Error ? task.status : undefined;
      });
      assert.equal(status, MediaStatus.Error);
    } finally {
      await rig.admin('DELETE', '/_emulator/faults');
    }
  });
});
