// The emulator keeps Datahub and multipart state across a restart with the same data dir; reset and seed.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MP_CONTENT_TYPE, md5, putPart, randomData, rawRequest, startTestEmulator, type TestEmulator } from './helpers';

describe('emulator · persistence, reset and seed', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'datahub-emu-persist-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a restarted emulator keeps subtasks, objects, open uploads (with their URLs) and multipart parts', async () => {
    const data = randomData(3000);
    let t: TestEmulator = await startTestEmulator(['datahub', 'multipart'], dataDir, { minPartSize: 0 });
    await t.call('POST', '/_emulator/subtasks', { subtask_id: 'keep-1', input_file: { name: 'in.txt', content: 'hello' } });
    await t.call('POST', '/api/task/update_status', { subtask_id: 'keep-1', status: 1 });
    // A finished object …
    let init = await t.call('POST', '/api/task/upload/init', { subtask_id: 'keep-1', file_name: 'done.bin', file_size: 3000, file_md5: md5(data) });
    let upload = init.body.data as { upload_id: string; part_upload_urls: { url: string }[] };
    const etag = String((await putPart(upload.part_upload_urls[0].url, data)).headers.etag);
    assert.equal((await t.call('POST', '/api/task/upload/complete', { upload_id: upload.upload_id, subtask_id: 'keep-1', file_name: 'done.bin', parts: [{ index: 1, etag }] })).status, 200);
    // … an upload left half way …
    init = await t.call('POST', '/api/task/upload/init', { subtask_id: 'keep-1', file_name: 'half.bin', file_size: 3000, file_md5: md5(data), chunk_size: 1500 });
    upload = init.body.data as { upload_id: string; part_upload_urls: { url: string }[] };
    const firstEtag = String((await putPart(upload.part_upload_urls[0].url, data.subarray(0, 1500))).headers.etag);
    // … and a multipart upload with one part.
    const mp = (await t.call('POST', '/tasks/upload/multipart/init', { filename: 'm.zip', file_size: 200, file_type: 'master', content_type: 'application/zip', chunk_size: 100 })).body as {
      task_id: string;
      upload_id: string;
      object_key: string;
      parts: { upload_url: string }[];
    };
    const mpEtag = String((await putPart(mp.parts[0].upload_url, data.subarray(0, 100), MP_CONTENT_TYPE)).headers.etag).slice(1, -1);
    await t.stop(false);

    t = await startTestEmulator(['datahub', 'multipart'], dataDir, { minPartSize: 0 });
    try {
      const state = await t.state();
      assert.deepEqual(state.objects, [{ subtask_id: 'keep-1', file_name: 'done.bin', size: 3000, md5: md5(data), etag: `"${md5(data)}"` }]);
      const sub = (state.subtasks as Record<string, { status_history: { status: number }[]; input_file: { name: string } }>)['keep-1'];
      assert.deepEqual(sub.status_history.map((h) => h.status), [1]);
      assert.equal(sub.input_file.name, 'in.txt');

      // The URL issued before the restart still works (the signing key lives in the data dir), and the
      // part uploaded before the restart is still there: the upload completes with its recorded ETag.
      // (The new emulator listens on another random port; a real restart keeps its port.)
      const sameUrlNewPort = new URL(upload.part_upload_urls[1].url);
      sameUrlNewPort.port = String(t.emu.port);
      const second = await putPart(sameUrlNewPort.toString(), data.subarray(1500));
      assert.equal(second.status, 200);
      const done = await t.call('POST', '/api/task/upload/complete', {
        upload_id: upload.upload_id,
        subtask_id: 'keep-1',
        file_name: 'half.bin',
        parts: [{ index: 1, etag: firstEtag }, { index: 2, etag: second.headers.etag }],
      });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.ok(readFileSync(join(dataDir, 'datahub', 'objects', 'keep-1', 'half.bin')).equals(data));

      const listed = await t.call('POST', '/tasks/upload/multipart/list', { task_id: mp.task_id, upload_id: mp.upload_id, object_key: mp.object_key });
      assert.deepEqual(listed.body, { parts: [{ part_number: 1, etag: mpEtag }] });

      const presign = await t.call('GET', '/api/task/download/presign?subtask_id=keep-1');
      const body = await rawRequest('GET', (presign.body.data as { download_url: string }).download_url);
      assert.equal(body.body.toString(), 'hello');
    } finally {
      await t.stop(false);
    }
    const saved = JSON.parse(readFileSync(join(dataDir, 'datahub', 'state.json'), 'utf8')) as { objects: unknown[] };
    assert.equal(saved.objects.length, 2);
  });

  it('seed creates the sample subtask with its input file; reset clears everything', async () => {
    const t = await startTestEmulator(['datahub', 'multipart'], dataDir);
    try {
      assert.equal((await t.call('POST', '/_emulator/seed')).status, 200);
      const presign = await t.call('GET', '/api/task/download/presign?subtask_id=demo-subtask-001');
      assert.equal((presign.body.data as { file_name: string }).file_name, 'sample-input.csv');
      const csv = await rawRequest('GET', (presign.body.data as { download_url: string }).download_url);
      assert.match(csv.body.toString(), /^id,name,score,updated_at\n1,item-0001,/);

      assert.equal((await t.call('POST', '/_emulator/reset')).status, 200);
      const state = await t.state();
      assert.deepEqual(state.objects, []);
      assert.deepEqual(state.subtasks, {});
      assert.deepEqual((state.multipart as { uploads: unknown[] }).uploads, []);
      assert.equal((state.counters as Record<string, number>).put_bytes, 0);
      assert.equal(existsSync(join(dataDir, 'datahub', 'objects')), false);
      assert.equal((await t.call('GET', '/api/task/download/presign?subtask_id=demo-subtask-001')).status, 404);
    } finally {
      await t.stop(false);
    }
  });
});
