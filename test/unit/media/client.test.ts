// The media client against the emulated backend: FormData, Token, envelope, path spellings, the task lifecycle.
import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, ValidationError } from '../../../src/api/errors';
import { silentLogger } from '../../../src/api/logger';
import { MediaClient } from '../../../src/api/media/client';
import { MediaStatus } from '../../../src/api/media/types';
import { startMediaRig, type MediaRig } from './harness';
import { until } from '../helpers/until';

describe('media client against the emulator', function () {
  this.timeout(20_000);
  let rig: MediaRig;
  before(async () => {
    rig = await startMediaRig();
  });
  after(async () => rig.close());

  it('is refused with 401 and a hint without a token', async () => {
    const anonymous = new MediaClient({ baseUrl: () => rig.emulator.url, token: async () => undefined, logger: silentLogger });
    await assert.rejects(anonymous.listPrivateTasks(), (e: unknown) => e instanceof ApiError && e.httpStatus === 401 && /Set Credentials/.test(e.message));
    await rig.admin('POST', '/_emulator/media/config', { tokens: ['right'] });
    const wrong = new MediaClient({ baseUrl: () => rig.emulator.url, token: async () => 'wrong', logger: silentLogger });
    await assert.rejects(wrong.listPrivateTasks(), (e: unknown) => e instanceof ApiError && e.httpStatus === 401);
    const right = new MediaClient({ baseUrl: () => rig.emulator.url, token: async () => 'right', logger: silentLogger });
    assert.deepEqual((await right.listPrivateTasks()).tasks, []);
    await rig.admin('POST', '/_emulator/media/config', { tokens: null });
  });

  it('runs a task through upload, private block and an authorised download', async () => {
    const task = await rig.client.createUploadTask({ seriesId: 7, uuid: 'u-1', sourceName: 'ep1.mp4' });
    assert.equal(task.status, MediaStatus.NotStarted);
    assert.equal(task.series_id, 7);
    // Not downloadable before its public block is up.
    await assert.rejects(rig.client.createDownloadTask(task.source_id), (e: unknown) => e instanceof ApiError && e.httpStatus === 400 && /尚未上载完成/.test(e.message));
    // The document marks name, file, hash, size and ip required: each as soon as it can exist.
    await assert.rejects(rig.client.reportUpload(task.id, { status: MediaStatus.Chunking }), (e: unknown) => e instanceof ApiError && e.httpStatus === 400 && /name: 该字段是必填项/.test(e.message));
    await rig.client.reportUpload(task.id, { status: MediaStatus.Chunking, name: 'ep1.mp4', file: '仙剑' });
    await assert.rejects(rig.client.reportUpload(task.id, { status: MediaStatus.Uploading, percent: 40, name: 'ep1.mp4', file: '仙剑' }), (e: unknown) => e instanceof ApiError && /size: 该字段是必填项/.test(e.message));
    await rig.client.reportUpload(task.id, { status: MediaStatus.Uploading, percent: 40, name: 'ep1.mp4', file: '仙剑', size: 10, ip: 'QmPeer' });
    await assert.rejects(rig.client.reportUpload(task.id, { status: MediaStatus.Done, name: 'ep1.mp4', file: '仙剑', size: 10, ip: 'QmPeer' }), (e: unknown) => e instanceof ApiError && /hash: 该字段是必填项/.test(e.message));
    await rig.client.reportUpload(task.id, { status: MediaStatus.Error, name: 'ep1.mp4', file: '仙剑' });
    const done = await rig.client.reportUpload(task.id, { status: MediaStatus.Done, percent: 100, name: 'ep1.mp4', file: '仙剑', hash: 'QmPublic', size: 10, ip: 'QmPeer' });
    assert.equal(done.hash, 'QmPublic');

    const list = await rig.client.listPrivateTasks();
    assert.equal(list.tasks.length, 1);
    assert.equal(list.tasks[0].file, '仙剑');
    assert.ok(list.statusChoices.some((c) => c.code === 8));

    const download = await rig.client.createDownloadTask(done.source_id);
    assert.equal(download.hash, 'QmPublic');
    assert.equal(download.private_hash, '');
    await rig.client.reportDownload(download.id, { status: MediaStatus.WaitingForAuthorization });
    await rig.client.reportPrivate(task.id, { status: MediaStatus.Done, name: 'ep1.mp4', file: '仙剑', hash: 'QmPrivate', size: 300, ip: 'QmPeer' });
    // Uploaded but not authorised yet: still hidden.
    assert.equal((await rig.client.getDownloadTask(download.id)).private_hash, '');
    await rig.admin('POST', '/_emulator/media/authorize', { task_id: download.id });
    const detail = await rig.client.getDownloadTask(download.id);
    assert.equal(detail.private_hash, 'QmPrivate');
    assert.equal(detail.status, MediaStatus.WaitingForAuthorization);
  });

  it('shows the private block by itself after the configured authorization delay', async () => {
    const task = await rig.client.createUploadTask({ seriesId: 8, uuid: 'u-delay', sourceName: 'd.mp4' });
    await rig.client.reportUpload(task.id, { status: MediaStatus.Done, name: 'd.mp4', file: 'd', hash: 'QmD', size: 1, ip: 'QmPeer' });
    await rig.client.reportPrivate(task.id, { status: MediaStatus.Done, name: 'd.mp4', file: 'd', hash: 'QmDPrivate', size: 1, ip: 'QmPeer' });
    const delayMs = 300;
    await rig.admin('POST', '/_emulator/media/config', { authorize_delay_ms: delayMs });
    try {
      const asked = Date.now();
      const download = await rig.client.createDownloadTask(task.source_id);
      const early = (await rig.client.getDownloadTask(download.id)).private_hash;
      // Hidden while the delay runs (only checked when this machine did answer within it).
      if (Date.now() - asked < delayMs) assert.equal(early, '');
      await until('the private block shown', async () => ((await rig.client.getDownloadTask(download.id)).private_hash === 'QmDPrivate' ? true : undefined));
      assert.ok(Date.now() - asked >= delayMs, 'shown before the delay');
    } finally {
      await rig.admin('POST', '/_emulator/media/config', { authorize_delay_ms: null });
    }
  });

  it('validates before sending', async () => {
    await assert.rejects(rig.client.createUploadTask({ seriesId: -1, uuid: 'x', sourceName: 'a' }), ValidationError);
    await assert.rejects(rig.client.createUploadTask({ seriesId: 1, uuid: ' ', sourceName: 'a' }), ValidationError);
    await assert.rejects(rig.client.reportDownload(1, { status: 12 }), ValidationError);
  });

  it('reproduces the backend path quirks and refuses JSON bodies', async () => {
    const h = { Token: 't' };
    const u = rig.emulator.url;
    assert.equal((await fetch(`${u}/api/v1/tasks/upload/public/`, { method: 'POST', headers: h })).status, 404);
    assert.equal((await fetch(`${u}/api/v1/tasks/upload/pbulic`, { method: 'POST', headers: h })).status, 500);
    assert.equal((await fetch(`${u}/api/v1/tasks/upload/private`, { headers: h, redirect: 'manual' })).status, 301);
    assert.equal((await fetch(`${u}/api/v1/tasks/upload/private/1/`, { method: 'PATCH', headers: h })).status, 404);
    const json = await fetch(`${u}/api/v1/tasks/upload/pbulic/`, { method: 'POST', headers: { ...h, 'Content-Type': 'application/json' }, body: '{"series_id":1}' });
    assert.equal(json.status, 400);
    assert.match(((await json.json()) as { message: string }).message, /FormData/);
  });

  it('hands a non-empty message of a successful answer to the user', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ data: [], message: '私有块列表已更新', meta: {} }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const seen: string[] = [];
    const c = new MediaClient({ baseUrl: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: async () => 't', logger: silentLogger, onMessage: (m) => seen.push(m) });
    await c.listPrivateTasks();
    server.close();
    assert.deepEqual(seen, ['私有块列表已更新']);
  });
});
