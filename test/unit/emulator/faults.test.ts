// Emulator fault injection on the Datahub and multipart routes: error rate, reset, latency, route "*", clearing.
import assert from 'node:assert/strict';
import { until } from '../helpers/until';
import { md5, putPart, rawRequest, startTestEmulator, type TestEmulator } from './helpers';

describe('emulator · faults', () => {
  let t: TestEmulator;
  const id = 'sub-faults';
  const heartbeat = () => t.call('POST', '/api/task/heartbeat', { subtask_id: id, timestamp: Math.floor(Date.now() / 1000), process: 1 });

  before(async () => {
    t = await startTestEmulator(['datahub', 'multipart']);
    await t.call('POST', '/_emulator/subtasks', { subtask_id: id });
  });
  after(() => t.stop());
  afterEach(() => t.call('DELETE', '/_emulator/faults'));

  async function partUrl(): Promise<string> {
    const answer = await t.call('POST', '/api/task/upload/init', { subtask_id: id, file_name: 'f.bin', file_size: 4, file_md5: md5('abcd') });
    return (answer.body.data as { part_upload_urls: { url: string }[] }).part_upload_urls[0].url;
  }

  it('error_rate 1 answers the given status on that route group only', async () => {
    await t.call('POST', '/_emulator/faults', { route: 'heartbeat', error_rate: 1, status: 503 });
    assert.equal((await heartbeat()).status, 503);
    assert.equal((await t.call('POST', '/api/task/update_status', { subtask_id: id, status: 1 })).status, 200);
  });

  it('error_rate 1 without a status answers 500', async () => {
    await t.call('POST', '/_emulator/faults', { route: 'init', error_rate: 1 });
    const answer = await t.call('POST', '/api/task/upload/init', { subtask_id: id, file_name: 'f.bin', file_size: 4, file_md5: md5('abcd') });
    assert.equal(answer.status, 500);
  });

  it('reset_rate 1 resets the connection of a part PUT, and nothing is stored', async () => {
    const url = await partUrl();
    await t.call('POST', '/_emulator/faults', { route: 'part_put', reset_rate: 1 });
    await assert.rejects(putPart(url, Buffer.from('abcd')), (err: NodeJS.ErrnoException) => ['ECONNRESET', 'EPIPE'].includes(err.code ?? ''));
    const uploads = ((await t.state()).datahub as { uploads: { parts: number[] }[] }).uploads;
    assert.ok(uploads.every((u) => u.parts.length === 0));
  });

  it('latency_ms delays the answer', async () => {
    await t.call('POST', '/_emulator/faults', { route: 'heartbeat', latency_ms: 300 });
    const started = Date.now();
    assert.equal((await heartbeat()).status, 200);
    assert.ok(Date.now() - started >= 290, `took ${Date.now() - started} ms`);
  });

  it('route "*" applies to every backend route but never to the admin API', async () => {
    await t.call('POST', '/_emulator/faults', { route: '*', error_rate: 1, status: 502 });
    assert.equal((await heartbeat()).status, 502);
    assert.equal((await t.call('GET', '/api/task/download/presign?subtask_id=x')).status, 502);
    const mp = await t.call('POST', '/tasks/upload/multipart/init', { filename: 'a', file_size: 1, file_type: 'master', content_type: 'x', chunk_size: 1 });
    assert.equal(mp.status, 502);
    assert.equal((await t.call('GET', '/_emulator/state')).status, 200);
  });

  it('several specs add up and DELETE clears them', async () => {
    await t.call('POST', '/_emulator/faults', [{ route: 'heartbeat', latency_ms: 100 }, { route: 'heartbeat', latency_ms: 150 }]);
    const started = Date.now();
    await heartbeat();
    assert.ok(Date.now() - started >= 240);
    await t.call('POST', '/_emulator/faults', { route: 'heartbeat', error_rate: 1 });
    assert.equal(((await t.state()).faults as unknown[]).length, 3);
    const cleared = await t.call('DELETE', '/_emulator/faults');
    assert.equal(cleared.status, 200);
    assert.equal((await heartbeat()).status, 200);
    assert.equal(((await t.state()).faults as unknown[]).length, 0);
  });

  it('hold_after N lets N requests through and holds the rest until the faults are cleared, then answers them 503', async () => {
    await t.call('POST', '/_emulator/faults', { route: 'heartbeat', hold_after: 1 });
    assert.equal((await heartbeat()).status, 200);
    let answered = false;
    const held = heartbeat().then((answer) => {
      answered = true;
      return answer;
    });
    await until('the second heartbeat to be held', async () => ((await t.state()).held_requests === 1 ? true : undefined));
    assert.equal(answered, false);
    assert.equal((await t.call('POST', '/api/task/update_status', { subtask_id: id, status: 1 })).status, 200, 'other routes pass');
    const heartbeatsWhileHeld = ((await t.state()).subtasks as Record<string, { heartbeats: number }>)[id].heartbeats;
    await t.call('DELETE', '/_emulator/faults');
    assert.equal((await held).status, 503);
    assert.equal((await t.state()).held_requests, 0);
    assert.equal(((await t.state()).subtasks as Record<string, { heartbeats: number }>)[id].heartbeats, heartbeatsWhileHeld, 'the held request was not served');
    assert.equal((await heartbeat()).status, 200);
  });

  it('refuses a malformed fault spec', async () => {
    assert.equal((await t.call('POST', '/_emulator/faults', { route: 'part_put', hold_after: 1.5 })).status, 400);
    const answer = await t.call('POST', '/_emulator/faults', { route: 'part_put', error_rate: 2 });
    assert.equal(answer.status, 400);
    assert.match(String(answer.body.error), /^error_rate:/);
  });

  it('a faulted PUT does not count as an attempt; the same URL works once the fault is cleared', async () => {
    const url = await partUrl();
    await t.call('POST', '/_emulator/faults', { route: 'part_put', error_rate: 1, status: 500 });
    assert.equal((await putPart(url, Buffer.from('abcd'))).status, 500);
    await t.call('DELETE', '/_emulator/faults');
    const ok = await rawRequest('PUT', url, Buffer.from('abcd'));
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.etag, `"${md5('abcd')}"`);
    const uploadId = new URL(url).pathname.split('/')[3];
    const uploads = ((await t.state()).datahub as { uploads: { upload_id: string; put_attempts: Record<string, number> }[] }).uploads;
    assert.deepEqual(uploads.find((u) => u.upload_id === uploadId)?.put_attempts, { 1: 1 });
  });
});
