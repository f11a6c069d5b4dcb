// The Datahub client (api 000) against the emulator: every endpoint, the envelope, and its error paths.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DatahubClient, unwrapDatahubEnvelope, validateSubtaskId } from '../../../src/api/datahub/client';
import { ApiError, ValidationError } from '../../../src/api/errors';
import { silentLogger } from '../../../src/api/logger';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';

describe('Datahub client (api 000)', () => {
  let emu: TestEmulator;
  let client: DatahubClient;

  before(async () => {
    emu = await startTestEmulator();
    client = new DatahubClient({ baseUrl: () => emu.url, token: async () => 'secret-token', logger: silentLogger });
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: 'client-1', input_file: { name: 'input.csv', size: 1000, seed: 7 } });
  });
  after(async () => emu.close());

  it('init → PUT → complete stores the object', async () => {
    const body = Buffer.from('hello datahub');
    const md5 = createHash('md5').update(body).digest('hex');
    const init = await client.initUpload({ subtask_id: 'client-1', file_name: 'hello.txt', file_size: body.length, file_md5: md5 });
    assert.equal(init.part_upload_urls.length, 1);
    assert.equal(init.part_upload_urls[0].index, 1);
    const put = await fetch(init.part_upload_urls[0].url, { method: 'PUT', body });
    assert.equal(put.status, 200);
    const etag = put.headers.get('etag') ?? '';
    assert.equal(etag, `"${md5}"`);
    await client.completeUpload({ upload_id: init.upload_id, subtask_id: 'client-1', file_name: 'hello.txt', parts: [{ index: 1, etag }] });
    const state = await emu.admin<{ objects: { subtask_id: string; file_name: string; md5: string }[] }>('GET', '/_emulator/state');
    assert.ok(state.objects.some((o) => o.subtask_id === 'client-1' && o.file_name === 'hello.txt' && o.md5 === md5));
  });

  it('asks for multipart when chunk_size is set', async () => {
    const init = await client.initUpload({ subtask_id: 'client-1', file_name: 'big.bin', file_size: 25, file_md5: 'a'.repeat(32), chunk_size: 10 });
    assert.deepEqual(init.part_upload_urls.map((p) => p.index), [1, 2, 3]);
  });

  it('presigns the download of the input file, which honours Range', async () => {
    const presign = await client.presignDownload('client-1');
    assert.equal(presign.file_name, 'input.csv');
    const ranged = await fetch(presign.download_url, { headers: { Range: 'bytes=10-19' } });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers.get('content-range'), 'bytes 10-19/1000');
    assert.equal((await ranged.arrayBuffer()).byteLength, 10);
  });

  it('reports status, heartbeat and result', async () => {
    await client.updateStatus('client-1', 1);
    await client.heartbeat('client-1', 42.7);
    await client.submitResult('client-1', { total_counts: 3, success_counts: 2 });
    const state = await emu.admin<{ subtasks: Record<string, { status_history: { status: number }[]; heartbeats: number; last_process: number; result: unknown }> }>('GET', '/_emulator/state');
    const sub = state.subtasks['client-1'];
    assert.equal(sub.status_history.at(-1)?.status, 1);
    assert.equal(sub.heartbeats, 1);
    assert.equal(sub.last_process, 42);
    assert.deepEqual(sub.result, { total_counts: 3, success_counts: 2 });
  });

  it('turns an error envelope into ApiError with the backend code and message', async () => {
    await assert.rejects(
      client.updateStatus('no-such-subtask', 1),
      (e: unknown) => e instanceof ApiError && e.service === 'datahub' && e.httpStatus === 404 && e.code !== 0 && /no-such-subtask/.test(e.message),
    );
  });

  it('names the field the server refused', async () => {
    await assert.rejects(
      client.heartbeat('client-1', 50).then(() => fetch(`${emu.url}/api/task/heartbeat`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"subtask_id":"client-1","timestamp":"soon","process":5}' }).then(async (r) => unwrapDatahubEnvelope(await r.json(), r.status))),
      (e: unknown) => e instanceof ApiError && /timestamp/.test(e.message),
    );
  });

  it('refuses only subtask ids that cannot be sent (empty, whitespace, control characters) and bad MD5s', async () => {
    assert.throws(() => validateSubtaskId(''), ValidationError);
    assert.throws(() => validateSubtaskId('   '), /empty/);
    assert.throws(() => validateSubtaskId('\t\n'), /empty/);
    for (const bad of ['a\u0000b', 'line\nbreak', 'tab\there', 'del\u007f', 'c1\u0085']) assert.throws(() => validateSubtaskId(bad), /control characters/, JSON.stringify(bad));
    // The document gives subtask ids no format: anything else is the server's to answer.
    for (const id of ['has space', '../etc', 'a/b', '任务 1', '__proto__', 'constructor', '?x=1#y', 'x'.repeat(300)]) assert.equal(validateSubtaskId(id), id);
    assert.equal(validateSubtaskId(' task_abc_001 '), 'task_abc_001');
    await assert.rejects(client.initUpload({ subtask_id: 'client-1', file_name: 'x', file_size: 1, file_md5: 'nope' }), /file_md5/);
  });

  it('an unknown subtask id of any shape is answered with a 404 error envelope by every endpoint', async () => {
    const notFound = (id: string) => (e: unknown) => e instanceof ApiError && e.httpStatus === 404 && e.code !== 0 && e.message.includes(id);
    for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '../etc', 'has space', '任务', 'a/b', '?x=1#y']) {
      await assert.rejects(client.updateStatus(id, 1), notFound(id), `update_status ${id}`);
      await assert.rejects(client.heartbeat(id, 5), notFound(id), `heartbeat ${id}`);
      await assert.rejects(client.submitResult(id, { total_counts: 1, success_counts: 1 }), notFound(id), `result ${id}`);
      await assert.rejects(client.presignDownload(id), notFound(id), `presign ${id}`);
      await assert.rejects(client.initUpload({ subtask_id: id, file_name: 'x.txt', file_size: 1, file_md5: 'a'.repeat(32) }), notFound(id), `init ${id}`);
    }
  });

  it('works end to end with subtask ids outside the old pattern, "__proto__" included', async () => {
    for (const id of ['任务 1 (copy)', '__proto__', 'constructor']) {
      await emu.admin('POST', '/_emulator/subtasks', { subtask_id: id, input_file: { name: 'in put.csv', size: 300, seed: 3 } });
      await client.updateStatus(id, 1);
      await client.heartbeat(id, 10);
      const presign = await client.presignDownload(id);
      assert.equal(presign.file_name, 'in put.csv');
      const got = await fetch(presign.download_url);
      assert.equal(got.status, 200, id);
      assert.equal((await got.arrayBuffer()).byteLength, 300);
      const body = Buffer.from(`for ${id}`);
      const md5 = createHash('md5').update(body).digest('hex');
      const init = await client.initUpload({ subtask_id: id, file_name: 'out.txt', file_size: body.length, file_md5: md5 });
      const put = await fetch(init.part_upload_urls[0].url, { method: 'PUT', body });
      await client.completeUpload({ upload_id: init.upload_id, subtask_id: id, file_name: 'out.txt', parts: [{ index: 1, etag: put.headers.get('etag') ?? '' }] });
    }
    const state = await emu.admin<{ objects: { subtask_id: string; file_name: string }[]; subtasks: Record<string, { status_history: { status: number }[]; heartbeats: number }> }>('GET', '/_emulator/state');
    for (const id of ['任务 1 (copy)', '__proto__', 'constructor']) {
      assert.ok(Object.prototype.hasOwnProperty.call(state.subtasks, id), `${id} is listed in the state`);
      assert.deepEqual(state.subtasks[id].status_history.map((h) => h.status), [1], id);
      assert.equal(state.subtasks[id].heartbeats, 1, id);
      assert.ok(state.objects.some((o) => o.subtask_id === id && o.file_name === 'out.txt'), id);
    }
    // Ids that only look like Object.prototype members are still unknown.
    await assert.rejects(client.updateStatus('valueOf', 1), (e: unknown) => e instanceof ApiError && e.httpStatus === 404);
  });

  it('reports a server that does not answer as a network ApiError naming the URL', async () => {
    const dead = new DatahubClient({ baseUrl: () => 'http://127.0.0.1:1', token: async () => undefined, logger: silentLogger });
    await assert.rejects(dead.updateStatus('client-1', 1), (e: unknown) => e instanceof ApiError && e.retryable && /127\.0\.0\.1:1/.test(e.message));
  });

  it('sends the token as a bearer header, and a missing base URL is named', async () => {
    const noBase = new DatahubClient({ baseUrl: () => '', token: async () => undefined, logger: silentLogger });
    await assert.rejects(noBase.updateStatus('client-1', 1), /no base URL/);
    await client.heartbeat('client-1', 1);
    const state = await emu.admin<{ datahub: { auth: { bearer: number; last: string } } }>('GET', '/_emulator/state');
    assert.ok(state.datahub.auth.bearer > 0);
    assert.equal(state.datahub.auth.last, 'bearer');
  });
});
