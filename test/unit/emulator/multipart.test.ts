// Emulated resumable multipart backend (api 004): init plan, PUT, list, sorted complete, confirm, abort, limits.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MP_CONTENT_TYPE, md5, putPart, randomData, startTestEmulator, type TestEmulator } from './helpers';
import { pastExpiry } from '../helpers/until';

interface InitAnswer {
  task_id: string;
  upload_id: string;
  object_key: string;
  total_chunks: number;
  parts: { part_number: number; upload_url: string; start_byte: number; end_byte: number; size: number }[];
}

describe('emulator · multipart (004)', () => {
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator(['multipart'], undefined, { minPartSize: 0 });
  });
  after(() => t.stop());
  afterEach(() => t.call('DELETE', '/_emulator/faults'));

  async function init(size: number, chunk: number, filename = 'model.zip'): Promise<InitAnswer> {
    const answer = await t.call('POST', '/tasks/upload/multipart/init', { filename, file_size: size, file_type: 'master', content_type: 'application/zip', chunk_size: chunk });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body as unknown as InitAnswer;
  }

  const ids = (a: InitAnswer) => ({ task_id: a.task_id, upload_id: a.upload_id, object_key: a.object_key });

  /** PUTs part n (from 1) and returns its ETag with the quotes removed, as the document asks. */
  async function put(a: InitAnswer, data: Buffer, n: number): Promise<string> {
    const part = a.parts[n - 1];
    const res = await putPart(part.upload_url, data.subarray(part.start_byte, part.end_byte), MP_CONTENT_TYPE);
    assert.equal(res.status, 200);
    const etag = String(res.headers.etag);
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    return etag.slice(1, -1);
  }

  it('plans parts from 1 with exclusive end_byte, like the document example', async () => {
    const a = await init(12_000, 5000);
    assert.equal(a.total_chunks, 3);
    assert.equal(a.object_key, `speos_tasks/${a.task_id}/model.zip`);
    assert.deepEqual(
      a.parts.map((p) => [p.part_number, p.start_byte, p.end_byte, p.size]),
      [[1, 0, 5000, 5000], [2, 5000, 10_000, 5000], [3, 10_000, 12_000, 2000]],
    );
    const ttl = Number(new URL(a.parts[0].upload_url).searchParams.get('Expires')) - Date.now() / 1000;
    assert.ok(ttl > 3590 && ttl <= 3600);
  });

  it('uses 5 MB parts when chunk_size is left out', async () => {
    const answer = await t.call('POST', '/tasks/upload/multipart/init', { filename: 'a.zip', file_size: 524_288_000, file_type: 'master', content_type: 'application/zip' });
    assert.equal(answer.status, 200);
    assert.equal((answer.body as unknown as InitAnswer).total_chunks, 100);
  });

  it('accepts 500 MB (524288000 bytes) and refuses one byte more', async () => {
    assert.equal((await init(524_288_000, 5_242_880)).total_chunks, 100);
    const answer = await t.call('POST', '/tasks/upload/multipart/init', { filename: 'big.zip', file_size: 524_288_001, file_type: 'master', content_type: 'application/zip', chunk_size: 5_242_880 });
    assert.equal(answer.status, 400);
    assert.match(String(answer.body.detail), /^file_size: 524288001 bytes is over the 500 MB limit/);
  });

  const invalidInit: [string, Record<string, unknown>, number, RegExp][] = [
    ['missing filename', { file_size: 1, file_type: 'master', content_type: 'x', chunk_size: 1 }, 422, /^filename: required/],
    ['filename with a path', { filename: 'a/b.zip', file_size: 1, file_type: 'master', content_type: 'x', chunk_size: 1 }, 400, /^filename: .*path separators/],
    ['file_size as a string', { filename: 'a', file_size: '1', file_type: 'master', content_type: 'x', chunk_size: 1 }, 422, /^file_size: must be a number/],
    ['missing file_type', { filename: 'a', file_size: 1, content_type: 'x', chunk_size: 1 }, 422, /^file_type: required/],
    ['zero chunk_size', { filename: 'a', file_size: 1, file_type: 'master', content_type: 'x', chunk_size: 0 }, 400, /^chunk_size: must be at least 1/],
  ];
  for (const [name, body, status, pattern] of invalidInit) {
    it(`init refuses ${name} with ${status} {"detail"} naming the field`, async () => {
      const answer = await t.call('POST', '/tasks/upload/multipart/init', body);
      assert.equal(answer.status, status);
      assert.match(String(answer.body.detail), pattern);
    });
  }

  it('full cycle: list after a partial upload, complete with sorted unquoted ETags, confirm', async () => {
    const data = randomData(12_345);
    const a = await init(data.length, 4096);
    assert.equal(a.total_chunks, 4);
    const etags: Record<number, string> = {};
    etags[1] = await put(a, data, 1);
    etags[3] = await put(a, data, 3);

    const listed = await t.call('POST', '/tasks/upload/multipart/list', ids(a));
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body, { parts: [{ part_number: 1, etag: etags[1] }, { part_number: 3, etag: etags[3] }] });

    const early = await t.call('POST', '/tasks/upload/multipart/complete', { ...ids(a), file_type: 'master', parts: [1, 3].map((n) => ({ part_number: n, etag: etags[n] })) });
    assert.equal(early.status, 400);
    assert.match(String(early.body.detail), /^parts: 2 part\(s\) missing \(2, 4\)/);

    etags[2] = await put(a, data, 2);
    etags[4] = await put(a, data, 4);
    const parts = [1, 2, 3, 4].map((n) => ({ part_number: n, etag: etags[n] }));

    const unsorted = await t.call('POST', '/tasks/upload/multipart/complete', { ...ids(a), file_type: 'master', parts: [parts[1], parts[0], parts[2], parts[3]] });
    assert.equal(unsorted.status, 400);
    assert.match(String(unsorted.body.detail), /^parts: must be sorted by part_number \(parts\[1\]\.part_number 1 comes after 2\)/);

    const quoted = await t.call('POST', '/tasks/upload/multipart/complete', { ...ids(a), file_type: 'master', parts: parts.map((p) => ({ ...p, etag: `"${p.etag}"` })) });
    assert.equal(quoted.status, 400);
    assert.match(String(quoted.body.detail), /^parts\[0\]\.etag: remove the surrounding quotes/);

    const wrong = await t.call('POST', '/tasks/upload/multipart/complete', { ...ids(a), file_type: 'master', parts: parts.map((p, i) => (i === 2 ? { ...p, etag: md5('x') } : p)) });
    assert.equal(wrong.status, 400);
    assert.match(String(wrong.body.detail), /^parts\[2\]\.etag: .* does not match the ETag of part 3/);

    const done = await t.call('POST', '/tasks/upload/multipart/complete', { ...ids(a), file_type: 'master', parts });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.size, data.length);
    assert.equal(done.body.md5, md5(data));
    assert.equal(done.body.object_key, a.object_key);
    assert.ok(readFileSync(join(t.dataDir, 'multipart', 'objects', ...a.object_key.split('/'))).equals(data));

    const confirmBody = { task_id: a.task_id, master_object_key: a.object_key, profile_name: 'Standard', version: 'v252', job_name: '任务名', submitter: '提交者', thread_count: '8', priority: '2' };
    const numeric = await t.call('POST', '/tasks/upload/confirm', { ...confirmBody, thread_count: 8 });
    assert.equal(numeric.status, 422);
    assert.match(String(numeric.body.detail), /^thread_count: must be a string of digits/);
    const badPriority = await t.call('POST', '/tasks/upload/confirm', { ...confirmBody, priority: 'high' });
    assert.equal(badPriority.status, 400);
    assert.match(String(badPriority.body.detail), /^priority: must be a string of digits/);
    const wrongKey = await t.call('POST', '/tasks/upload/confirm', { ...confirmBody, master_object_key: 'speos_tasks/other' });
    assert.equal(wrongKey.status, 400);
    assert.match(String(wrongKey.body.detail), /^master_object_key:/);

    const confirmed = await t.call('POST', '/tasks/upload/confirm', confirmBody);
    assert.equal(confirmed.status, 200);
    assert.equal(confirmed.body.task_id, a.task_id);
    assert.equal(confirmed.body.status, 'submitted');
    const again = await t.call('POST', '/tasks/upload/confirm', confirmBody);
    assert.equal(again.body.job_id, confirmed.body.job_id, 'a retried confirm is answered the same');

    const state = (await t.state()).multipart as {
      objects: { task_id: string; object_key: string; size: number; md5: string }[];
      confirms: { task_id: string; job_name: string; thread_count: string }[];
      uploads: { upload_id: string; state: string; put_attempts: Record<string, number>; completes: { ok: boolean }[] }[];
    };
    assert.deepEqual(state.objects.find((o) => o.task_id === a.task_id), { task_id: a.task_id, object_key: a.object_key, size: data.length, md5: md5(data) });
    assert.deepEqual(state.confirms.filter((c) => c.task_id === a.task_id).map((c) => [c.job_name, c.thread_count]), [['任务名', '8']]);
    const upload = state.uploads.find((u) => u.upload_id === a.upload_id);
    assert.equal(upload?.state, 'completed');
    assert.deepEqual(upload?.completes.map((c) => c.ok), [false, false, false, false, true]);

    const listAfter = await t.call('POST', '/tasks/upload/multipart/list', ids(a));
    assert.equal(listAfter.status, 404);
  });

  it('list and complete refuse ids that do not belong together', async () => {
    const a = await init(10, 10);
    const b = await init(10, 10);
    const mixed = await t.call('POST', '/tasks/upload/multipart/list', { ...ids(a), task_id: b.task_id });
    assert.equal(mixed.status, 400);
    assert.match(String(mixed.body.detail), /^task_id:/);
    const unknown = await t.call('POST', '/tasks/upload/multipart/list', { ...ids(a), upload_id: 'nope' });
    assert.equal(unknown.status, 404);
    assert.match(String(unknown.body.detail), /^upload_id: no such upload/);
  });

  it('abort deletes the parts; list and PUT then fail', async () => {
    const data = randomData(300);
    const a = await init(data.length, 100);
    await put(a, data, 1);
    await put(a, data, 2);
    const aborted = await t.call('POST', '/tasks/upload/multipart/abort', ids(a));
    assert.equal(aborted.status, 200);
    assert.equal(aborted.body.status, 'aborted');
    assert.equal((await t.call('POST', '/tasks/upload/multipart/list', ids(a))).status, 404);
    const res = await putPart(a.parts[2].upload_url, data.subarray(200), MP_CONTENT_TYPE);
    assert.equal(res.status, 404);
    assert.match(res.body.toString(), /NoSuchUpload/);
    const uploads = ((await t.state()).multipart as { uploads: { upload_id: string; parts: number[]; state: string }[] }).uploads;
    const upload = uploads.find((u) => u.upload_id === a.upload_id);
    assert.deepEqual([upload?.state, upload?.parts], ['aborted', []]);
    assert.equal(existsSync(join(t.dataDir, 'multipart', 'uploads', a.upload_id)), false, 'part files deleted');
  });

  it('refuses an expired part URL (url_ttl_s on mp_part_put) and a tampered one', async () => {
    await t.call('POST', '/_emulator/faults', { route: 'mp_part_put', url_ttl_s: 0 });
    const a = await init(10, 10);
    await pastExpiry(a.parts[0].upload_url);
    const expired = await putPart(a.parts[0].upload_url, randomData(10), MP_CONTENT_TYPE);
    assert.equal(expired.status, 403);
    assert.match(expired.body.toString(), /Request has expired/);
    await t.call('DELETE', '/_emulator/faults');
    const b = await init(20, 10);
    const tampered = new URL(b.parts[0].upload_url);
    tampered.searchParams.set('partNumber', '2');
    assert.equal((await putPart(tampered.toString(), randomData(10), MP_CONTENT_TYPE)).status, 403);
  });
});
