// The three media protocols on the transfer engine against the emulator: upload a folder, private blocks, download + compose.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MediaStatus } from '../../../src/api/media/types';
import { PRIVATE_DIR, privateBlockFileName } from '../../../src/transfer/blocks/privateBlock';
import { MEDIA_DOWNLOAD, WAITING_FOR_AUTHORIZATION, downloadCheckpoint } from '../../../src/transfer/protocols/mediaDownload';
import { MEDIA_PRIVATE_UPLOAD } from '../../../src/transfer/protocols/mediaPrivateUpload';
import { MEDIA_UPLOAD, mediaCheckpoint } from '../../../src/transfer/protocols/mediaUpload';
import { tempDir } from '../helpers/emulator';
import { startMediaRig, type MediaRig } from './harness';

interface EmuState {
  media: { uploads: { id: number; source_id: number; status: number; status_history: number[]; hash: string; size: number; private: { hash: string; status: number } }[]; downloads: { id: number; status_history: number[] }[] };
}

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

  async function uploadFile(seriesId: number, path: string, name: string, folderName: string) {
    const s = statSync(path);
    const record = rig.engine.add({ protocol: MEDIA_UPLOAD, direction: 'upload', label: name, localPath: path, params: { seriesId, path, sourceName: name, folderName, size: s.size, mtimeMs: Math.floor(s.mtimeMs) }, bytesTotal: s.size });
    return rig.engine.whenSettled(record.id);
  }

  it('uploads two masters, their private blocks, then downloads one whose bytes equal the original', async () => {
    const folder = join(work, '仙剑奇侠传');
    mkdirSync(folder);
    const originals = { 'ep1.mp4': randomBytes(700_000), 'ep2.mp4': randomBytes(1_300_001) };
    for (const [name, bytes] of Object.entries(originals)) writeFileSync(join(folder, name), bytes);

    const results = await Promise.all(Object.keys(originals).map((name) => uploadFile(42, join(folder, name), name, '仙剑奇侠传')));
    for (const r of results) assert.equal(r.state, 'completed', r.error);
    // Private blocks beside the sources, staging cleaned up.
    for (const name of Object.keys(originals)) assert.ok(existsSync(join(folder, PRIVATE_DIR, privateBlockFileName(name))));
    assert.deepEqual(readdirSync(rig.staging), []);
    const state = await rig.admin<EmuState>('GET', '/_emulator/state');
    for (const u of state.media.uploads) {
      assert.equal(u.status, MediaStatus.Done);
      assert.deepEqual(u.status_history, [0, 1, 2, 3, 8]);
      assert.match(u.hash, /^Qm/);
    }
    const ep1 = results.find((r) => r.label === 'ep1.mp4');
    const sourceId = mediaCheckpoint(ep1!).sourceId as number;

    // The private-block flow: list, match by name, add, PATCH.
    const { tasks } = await rig.client.listPrivateTasks();
    assert.equal(tasks.length, 2);
    for (const task of tasks) {
      const path = join(folder, PRIVATE_DIR, privateBlockFileName(task.source_name));
      const s = statSync(path);
      const r = rig.engine.add({ protocol: MEDIA_PRIVATE_UPLOAD, direction: 'upload', label: task.source_name, params: { taskId: task.id, seriesId: task.series_id, path, size: s.size, mtimeMs: Math.floor(s.mtimeMs), name: task.source_name, folderName: task.file } });
      assert.equal((await rig.engine.whenSettled(r.id)).state, 'completed');
    }

    // Download: it waits, visibly, until the download is authorised.
    const dest = join(work, 'downloads');
    mkdirSync(dest);
    const record = rig.engine.add({ protocol: MEDIA_DOWNLOAD, direction: 'download', label: `source ${sourceId}`, localPath: dest, params: { sourceId, destDir: dest } });
    const deadline = Date.now() + 10_000;
    while (rig.engine.get(record.id)?.progress.phase !== WAITING_FOR_AUTHORIZATION) {
      assert.ok(Date.now() < deadline, 'never waited for authorization');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(rig.engine.get(record.id)?.state, 'running');
    const taskId = downloadCheckpoint(rig.engine.get(record.id)!).taskId;
    await rig.admin('POST', '/_emulator/media/authorize', { task_id: taskId });
    const settled = await rig.engine.whenSettled(record.id);
    assert.equal(settled.state, 'completed', settled.error);
    const out = downloadCheckpoint(settled).outputPath as string;
    assert.equal(out, join(dest, 'ep1.mp4'));
    assert.ok(readFileSync(out).equals(originals['ep1.mp4']));
    // Nothing is left in the staging folder but what the user may want (no public block).
    assert.deepEqual(readdirSync(join(dest, PRIVATE_DIR)), []);
    const after = await rig.admin<EmuState>('GET', '/_emulator/state');
    const dl = after.media.downloads.find((d) => d.id === taskId);
    assert.deepEqual(dl?.status_history, [0, 4, 5, 6, 7, 8]);

    // A second download of the same source does not overwrite the first.
    const again = rig.engine.add({ protocol: MEDIA_DOWNLOAD, direction: 'download', label: 'again', localPath: dest, params: { sourceId, destDir: dest } });
    await rig.admin('POST', '/_emulator/media/authorize', { source_id: sourceId });
    const second = await rig.engine.whenSettled(again.id);
    assert.equal(second.state, 'completed', second.error);
    assert.equal(downloadCheckpoint(second).outputPath, join(dest, 'ep1 (1).mp4'));
  });

  it('can be cancelled while it waits for authorization, and reports the error status', async () => {
    const folder = join(work, 'cancel');
    mkdirSync(folder);
    writeFileSync(join(folder, 'c.mp4'), randomBytes(1000));
    const up = await uploadFile(5, join(folder, 'c.mp4'), 'c.mp4', 'cancel');
    assert.equal(up.state, 'completed', up.error);
    const dest = join(work, 'cancel-dest');
    mkdirSync(dest);
    const record = rig.engine.add({ protocol: MEDIA_DOWNLOAD, direction: 'download', label: 'c', localPath: dest, params: { sourceId: mediaCheckpoint(up).sourceId as number, destDir: dest } });
    while (rig.engine.get(record.id)?.progress.phase !== WAITING_FOR_AUTHORIZATION) await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    rig.engine.cancel(record.id);
    const settled = await rig.engine.whenSettled(record.id);
    assert.equal(settled.state, 'cancelled');
    assert.ok(Date.now() - started < 1000);
    const taskId = downloadCheckpoint(settled).taskId;
    await new Promise((r) => setTimeout(r, 100));
    const state = await rig.admin<EmuState>('GET', '/_emulator/state');
    assert.equal(state.media.downloads.find((d) => d.id === taskId)?.status_history.at(-1), MediaStatus.Error);
    assert.equal(existsSync(join(dest, PRIVATE_DIR, `download-${taskId}.public`)), false);
  });

  it('pauses while it waits for authorization and resumes without fetching the public block again', async () => {
    const folder = join(work, 'pause');
    mkdirSync(folder);
    const original = randomBytes(900_000);
    writeFileSync(join(folder, 'p.mp4'), original);
    const up = await uploadFile(8, join(folder, 'p.mp4'), 'p.mp4', 'pause');
    const sourceId = mediaCheckpoint(up).sourceId as number;
    const { tasks } = await rig.client.listPrivateTasks();
    const task = tasks.find((t) => t.source_id === sourceId)!;
    const blockPath = join(folder, PRIVATE_DIR, privateBlockFileName('p.mp4'));
    const s = statSync(blockPath);
    const pr = rig.engine.add({ protocol: MEDIA_PRIVATE_UPLOAD, direction: 'upload', label: 'p', params: { taskId: task.id, seriesId: 8, path: blockPath, size: s.size, mtimeMs: Math.floor(s.mtimeMs), name: 'p.mp4', folderName: 'pause' } });
    assert.equal((await rig.engine.whenSettled(pr.id)).state, 'completed');

    const dest = join(work, 'pause-dest');
    mkdirSync(dest);
    const record = rig.engine.add({ protocol: MEDIA_DOWNLOAD, direction: 'download', label: 'p', localPath: dest, params: { sourceId, destDir: dest } });
    while (rig.engine.get(record.id)?.progress.phase !== WAITING_FOR_AUTHORIZATION) await new Promise((r) => setTimeout(r, 20));
    rig.engine.pause(record.id);
    assert.equal((await rig.engine.whenSettled(record.id)).state, 'paused');
    const before = (await rig.admin<{ counters: { get_bytes: number } }>('GET', '/_emulator/state')).counters.get_bytes;
    await rig.admin('POST', '/_emulator/media/authorize', { source_id: sourceId });
    rig.engine.resume(record.id);
    const settled = await rig.engine.whenSettled(record.id);
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
    const [, b] = await Promise.all([uploadFile(9, join(folder, 'a.mp4'), 'a.mp4', 'swap'), uploadFile(9, join(folder, 'b.mp4'), 'b.mp4', 'swap')]);
    // b's task gets a's private block: same size, wrong key.
    const aBlock = await rig.ipfs.addFile(join(folder, PRIVATE_DIR, privateBlockFileName('a.mp4')));
    await rig.client.reportPrivate(mediaCheckpoint(b).taskId as number, { status: MediaStatus.Done, name: 'b.mp4', file: 'swap', hash: aBlock.cid, size: aBlock.size, ip: 'QmPeer' });
    const dest = join(work, 'swap-dest');
    mkdirSync(dest);
    const sourceId = mediaCheckpoint(b).sourceId as number;
    await rig.admin('POST', '/_emulator/media/authorize', { source_id: sourceId });
    const record = rig.engine.add({ protocol: MEDIA_DOWNLOAD, direction: 'download', label: 'b', localPath: dest, params: { sourceId, destDir: dest } });
    const settled = await rig.engine.whenSettled(record.id);
    assert.equal(settled.state, 'failed');
    assert.match(settled.error ?? '', /does not match its private block \(authentication failed\)/);
    assert.deepEqual(readdirSync(dest).filter((f) => f !== PRIVATE_DIR), []);
    await new Promise((r) => setTimeout(r, 100));
    const state = await rig.admin<EmuState>('GET', '/_emulator/state');
    assert.equal(state.media.downloads.find((d) => d.id === downloadCheckpoint(settled).taskId)?.status_history.at(-1), MediaStatus.Error);
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
      await new Promise((res) => setTimeout(res, 100));
      const state = await rig.admin<EmuState>('GET', '/_emulator/state');
      const task = state.media.uploads.find((u) => u.id === mediaCheckpoint(r).taskId);
      assert.equal(task?.status, MediaStatus.Error);
    } finally {
      await rig.admin('DELETE', '/_emulator/faults');
    }
  });
});
