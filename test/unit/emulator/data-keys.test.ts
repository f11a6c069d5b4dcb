// Ids that are also names of Object.prototype members ("constructor", "__proto__", "toString") are ordinary ids.
import assert from 'node:assert/strict';
import { MP_CONTENT_TYPE, envelopeMessage, md5, putPart, randomData, startTestEmulator, type TestEmulator } from './helpers';

describe('emulator · ids that are Object.prototype member names', () => {
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator(['datahub', 'multipart']);
  });
  after(() => t.stop());

  for (const id of ['constructor', '__proto__']) {
    it(`subtask "${id}": created once, uploaded to, reported on, kept apart from the others`, async () => {
      assert.equal((await t.call('POST', '/_emulator/subtasks', { subtask_id: id })).status, 201);
      assert.equal((await t.call('POST', '/_emulator/subtasks', { subtask_id: id })).status, 200, 'it exists now');
      const data = randomData(100);
      const init = await t.call('POST', '/api/task/upload/init', { subtask_id: id, file_name: 'a.bin', file_size: 100, file_md5: md5(data) });
      assert.equal(init.status, 200, JSON.stringify(init.body));
      const { upload_id, part_upload_urls } = init.body.data as { upload_id: string; part_upload_urls: { url: string }[] };
      const etag = String((await putPart(part_upload_urls[0].url, data)).headers.etag);
      const done = await t.call('POST', '/api/task/upload/complete', { upload_id, subtask_id: id, file_name: 'a.bin', parts: [{ index: 1, etag }] });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      for (const [path, body] of [
        ['/api/task/update_status', { subtask_id: id, status: 1 }],
        ['/api/task/heartbeat', { subtask_id: id, timestamp: 1_700_000_000, process: 50 }],
        ['/api/task/result', { subtask_id: id, result: { total_counts: 1, success_counts: 1 } }],
      ] as const) {
        assert.equal((await t.call('POST', path, body)).status, 200, path);
      }
      const state = await t.state();
      const subtasks = state.subtasks as Record<string, { status_history: unknown[]; result: unknown }>;
      assert.ok(Object.prototype.hasOwnProperty.call(subtasks, id));
      assert.deepEqual(subtasks[id].result, { total_counts: 1, success_counts: 1 });
      assert.ok((state.objects as { subtask_id: string; md5: string }[]).some((o) => o.subtask_id === id && o.md5 === md5(data)));
      assert.equal(({} as Record<string, unknown>).status_history, undefined, 'Object.prototype untouched');
    });
  }

  it('"toString" is an unknown subtask (404), not an inherited member (500)', async () => {
    const answer = await t.call('POST', '/api/task/update_status', { subtask_id: 'toString', status: 1 });
    assert.equal(answer.status, 404);
    assert.match(envelopeMessage(answer), /no such subtask "toString"/);
    const presign = await t.call('GET', '/api/task/download/presign?subtask_id=constructor');
    assert.equal(presign.status, 404, 'constructor exists but has no input file');
  });

  it('an upload id or part number named like a prototype member is unknown, not a crash', async () => {
    for (const uploadId of ['constructor', '__proto__', 'hasOwnProperty']) {
      const answer = await t.call('POST', '/api/task/upload/complete', { upload_id: uploadId, subtask_id: 'constructor', file_name: 'a.bin', parts: [{ index: 1, etag: '"x"' }] });
      assert.equal(answer.status, 404, uploadId);
      const mp = await t.call('POST', '/tasks/upload/multipart/list', { task_id: 'x', upload_id: uploadId, object_key: 'k' });
      assert.equal(mp.status, 404, uploadId);
    }
    const init = await t.call('POST', '/tasks/upload/multipart/init', { filename: 'm.bin', file_size: 10, file_type: 'master', content_type: 'x', chunk_size: 10 });
    const url = new URL((init.body as { parts: { upload_url: string }[] }).parts[0].upload_url);
    url.pathname = url.pathname.replace(/\/[^/]+\/m\.bin$/, '/constructor/m.bin');
    const res = await putPart(url.toString(), randomData(10), MP_CONTENT_TYPE);
    assert.ok(res.status === 403 || res.status === 404, `status ${res.status}`);
  });
});
