// The 004 client against the in-process emulator: every endpoint, its validation and its error paths.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import { ApiError, ValidationError } from '../../../src/api/errors';
import { silentLogger } from '../../../src/api/logger';
import { MultipartClient, normalizeCompleteParts, parseMultipartError, unquoteEtag } from '../../../src/api/multipart/client';
import type { ConfirmJob, InitResponse } from '../../../src/api/multipart/types';

interface MpState {
  multipart: {
    uploads: { upload_id: string; state: string; parts: number[]; completes: { parts: { part_number: number; etag: string }[]; ok: boolean }[] }[];
    objects: { task_id: string; object_key: string; size: number; md5: string }[];
    confirms: (ConfirmJob & { task_id: string; master_object_key: string })[];
    auth: { bearer: number; none: number; last: string | null };
  };
}

const JOB: ConfirmJob = { profile_name: 'Standard', version: 'v252', job_name: '任务名', submitter: '提交者', thread_count: '8', priority: '2' };
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

describe('multipart client (api 004) against the emulator', function () {
  this.timeout(20_000);
  let emu: RunningEmulator;
  let dataDir: string;
  let token: string | undefined;
  let client: MultipartClient;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mp-client-'));
    emu = await startEmulator({ port: 0, dataDir, backends: ['multipart'], store: { minPartSize: 0 } });
    client = new MultipartClient({ baseUrl: () => emu.url, token: async () => token, logger: silentLogger });
  });
  after(async () => {
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const state = async (): Promise<MpState> => (await (await fetch(`${emu.url}/_emulator/state`)).json()) as MpState;
  const upload = (id: string, s: MpState) => s.multipart.uploads.find((u) => u.upload_id === id);

  async function putPart(url: string, body: Buffer): Promise<string> {
    const res = await fetch(url, { method: 'PUT', body: new Uint8Array(body), headers: { 'Content-Type': 'application/octet-stream' } });
    assert.equal(res.status, 200, await res.text());
    return String(res.headers.get('etag'));
  }

  async function uploadAll(data: Buffer, chunk: number, name = 'model.zip'): Promise<{ init: InitResponse; etags: string[] }> {
    const init = await client.init({ filename: name, file_size: data.length, file_type: 'master', content_type: 'application/zip', chunk_size: chunk });
    const etags: string[] = [];
    for (const p of init.parts) etags.push(await putPart(p.upload_url, data.subarray(p.start_byte, p.end_byte)));
    return { init, etags };
  }

  it('init plans the parts from 1 with exclusive end bytes', async () => {
    const init = await client.init({ filename: 'model.zip', file_size: 12_000, file_type: 'master', content_type: 'application/zip', chunk_size: 5000 });
    assert.equal(init.total_chunks, 3);
    assert.match(init.object_key, /^speos_tasks\/.+\/model\.zip$/);
    assert.deepEqual(init.parts.map((p) => [p.part_number, p.start_byte, p.end_byte]), [[1, 0, 5000], [2, 5000, 10_000], [3, 10_000, 12_000]]);
  });

  it('init accepts 524288000 bytes and refuses one more before sending anything', async () => {
    const before = (await state()).multipart.uploads.length;
    await assert.rejects(client.init({ filename: 'big.zip', file_size: 524_288_001, file_type: 'master', content_type: 'application/zip' }), (e: unknown) => e instanceof ValidationError && e.field === 'file_size' && /500 MB/.test(e.message));
    assert.equal((await state()).multipart.uploads.length, before, 'nothing was sent');
    const ok = await client.init({ filename: 'big.zip', file_size: 524_288_000, file_type: 'master', content_type: 'application/zip' });
    assert.equal(ok.total_chunks, 100, 'the default 5 MB part size applies');
  });

  for (const [label, request, field] of [
    ['an empty file name', { filename: '  ', file_size: 1, file_type: 'master', content_type: 'x' }, 'filename'],
    ['a file name with a path', { filename: 'a/b.zip', file_size: 1, file_type: 'master', content_type: 'x' }, 'filename'],
    ['a negative size', { filename: 'a', file_size: -1, file_type: 'master', content_type: 'x' }, 'file_size'],
    ['an empty file type', { filename: 'a', file_size: 1, file_type: '', content_type: 'x' }, 'file_type'],
    ['a zero chunk size', { filename: 'a', file_size: 1, file_type: 'master', content_type: 'x', chunk_size: 0 }, 'chunk_size'],
  ] as const) {
    it(`init refuses ${label} locally (ValidationError naming ${field})`, async () => {
      await assert.rejects(client.init(request), (e: unknown) => e instanceof ValidationError && e.field === field);
    });
  }

  it('turns a FastAPI {"detail"} refusal into an ApiError with status and message', async () => {
    // 10,001 parts: only the server knows its part limit.
    await assert.rejects(client.init({ filename: 'a.zip', file_size: 10_001, file_type: 'master', content_type: 'x', chunk_size: 1 }), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.service, 'multipart');
      assert.equal(e.httpStatus, 400);
      assert.match(e.message, /^chunk_size: .*10000/);
      assert.equal(e.retryable, false);
      return true;
    });
  });

  it('complete sends the ETags unquoted and sorted, whatever order and quoting it is given', async () => {
    const data = randomBytes(13_000);
    const { init, etags } = await uploadAll(data, 5000);
    assert.ok(etags.every((e) => /^"[0-9a-f]{32}"$/.test(e)), 'the store quotes its ETags');
    const parts = [3, 1, 2].map((n) => ({ part_number: n, etag: etags[n - 1] }));
    await client.complete({ task_id: init.task_id, upload_id: init.upload_id, object_key: init.object_key, file_type: 'master', parts });
    const s = await state();
    const sent = upload(init.upload_id, s)?.completes.at(-1);
    assert.deepEqual(sent?.parts, [1, 2, 3].map((n) => ({ part_number: n, etag: etags[n - 1].slice(1, -1) })));
    assert.equal(sent?.ok, true);
    assert.equal(s.multipart.objects.find((o) => o.object_key === init.object_key)?.md5, md5(data));
  });

  it('complete with a part missing is refused by the server with its reason', async () => {
    const data = randomBytes(9000);
    const init = await client.init({ filename: 'gap.zip', file_size: data.length, file_type: 'master', content_type: 'x', chunk_size: 5000 });
    const etag = await putPart(init.parts[0].upload_url, data.subarray(0, 5000));
    await assert.rejects(
      client.complete({ ...init, file_type: 'master', parts: [{ part_number: 1, etag }] }),
      (e: unknown) => e instanceof ApiError && e.httpStatus === 400 && /missing/.test(e.message),
    );
  });

  it('complete refuses a part listed twice or an empty list before sending', async () => {
    assert.throws(() => normalizeCompleteParts([]), ValidationError);
    assert.throws(() => normalizeCompleteParts([{ part_number: 2, etag: 'a' }, { part_number: 2, etag: 'b' }]), /more than once/);
    assert.throws(() => normalizeCompleteParts([{ part_number: 0, etag: 'a' }]), /parts\[0\]\.part_number/);
    assert.equal(unquoteEtag('W/"abc"'), 'abc');
  });

  it('list answers what the server really has; after complete it is 404', async () => {
    const data = randomBytes(15_000);
    const init = await client.init({ filename: 'list.zip', file_size: data.length, file_type: 'master', content_type: 'x', chunk_size: 5000 });
    assert.deepEqual(await client.list(init), []);
    const e3 = await putPart(init.parts[2].upload_url, data.subarray(10_000));
    const e1 = await putPart(init.parts[0].upload_url, data.subarray(0, 5000));
    assert.deepEqual(await client.list(init), [{ part_number: 1, etag: e1.slice(1, -1) }, { part_number: 3, etag: e3.slice(1, -1) }]);
    const e2 = await putPart(init.parts[1].upload_url, data.subarray(5000, 10_000));
    await client.complete({ ...init, file_type: 'master', parts: [e1, e2, e3].map((etag, i) => ({ part_number: i + 1, etag })) });
    await assert.rejects(client.list(init), (e: unknown) => e instanceof ApiError && e.httpStatus === 404);
  });

  it('list and abort refuse an incomplete reference locally', async () => {
    await assert.rejects(client.list({ task_id: 't', upload_id: '', object_key: 'k' }), (e: unknown) => e instanceof ValidationError && e.field === 'upload_id');
    await assert.rejects(client.abort({ task_id: '', upload_id: 'u', object_key: 'k' }), (e: unknown) => e instanceof ValidationError && e.field === 'task_id');
  });

  it('abort drops the parts: list is 404 and a later PUT is refused', async () => {
    const data = randomBytes(8000);
    const init = await client.init({ filename: 'abort.zip', file_size: data.length, file_type: 'master', content_type: 'x', chunk_size: 5000 });
    await putPart(init.parts[0].upload_url, data.subarray(0, 5000));
    await client.abort(init);
    assert.equal(upload(init.upload_id, await state())?.state, 'aborted');
    await assert.rejects(client.list(init), (e: unknown) => e instanceof ApiError && e.httpStatus === 404);
    const late = await fetch(init.parts[1].upload_url, { method: 'PUT', body: new Uint8Array(data.subarray(5000)), headers: { 'Content-Type': 'application/octet-stream' } });
    assert.equal(late.status, 404);
  });

  it('an upload id such as __proto__ or constructor is an unknown upload (404), and such file names upload', async () => {
    for (const id of ['__proto__', 'constructor', 'toString']) {
      const ref = { task_id: 't', upload_id: id, object_key: 'k' };
      const notFound = (e: unknown) => e instanceof ApiError && e.httpStatus === 404 && e.message.includes(`no such upload "${id}"`);
      await assert.rejects(client.list(ref), notFound, `list ${id}`);
      await assert.rejects(client.abort(ref), notFound, `abort ${id}`);
      await assert.rejects(client.complete({ ...ref, file_type: 'master', parts: [{ part_number: 1, etag: 'a' }] }), notFound, `complete ${id}`);
    }
    for (const name of ['__proto__', 'constructor']) {
      const data = randomBytes(7000);
      const { init, etags } = await uploadAll(data, 5000, name);
      await client.complete({ ...init, file_type: 'master', parts: etags.map((etag, i) => ({ part_number: i + 1, etag })) });
      assert.equal((await state()).multipart.objects.find((o) => o.task_id === init.task_id)?.md5, md5(data), name);
      await client.confirm({ task_id: init.task_id, master_object_key: init.object_key, ...JOB });
    }
  });

  it('confirm sends thread_count and priority as strings and the server records the job', async () => {
    const data = randomBytes(100);
    const { init, etags } = await uploadAll(data, 5000, 'job.zip');
    await client.complete({ ...init, file_type: 'master', parts: [{ part_number: 1, etag: etags[0] }] });
    // A caller holding numbers still sends strings.
    const answer = await client.confirm({ task_id: init.task_id, master_object_key: init.object_key, ...JOB, thread_count: 16 as unknown as string });
    assert.equal(answer.status, 'submitted');
    assert.equal(typeof answer.job_id, 'string');
    const confirm = (await state()).multipart.confirms.find((c) => c.task_id === init.task_id);
    assert.deepEqual(
      { ...confirm, job_id: undefined, at: undefined, status: undefined },
      { task_id: init.task_id, master_object_key: init.object_key, ...JOB, thread_count: '16', job_id: undefined, at: undefined, status: undefined },
    );
  });

  for (const [field, value] of [['priority', 'high'], ['thread_count', '0'], ['thread_count', '8.5'], ['job_name', ' '], ['submitter', '']] as const) {
    it(`confirm refuses ${field} = ${JSON.stringify(value)} locally`, async () => {
      const before = (await state()).multipart.confirms.length;
      await assert.rejects(client.confirm({ task_id: 't', master_object_key: 'k', ...JOB, [field]: value }), (e: unknown) => e instanceof ValidationError && e.field === field);
      assert.equal((await state()).multipart.confirms.length, before);
    });
  }

  it('confirm of an unknown task is a 404 from the server', async () => {
    await assert.rejects(client.confirm({ task_id: 'no-such-task', master_object_key: 'speos_tasks/x/y', ...JOB }), (e: unknown) => e instanceof ApiError && e.httpStatus === 404 && /no such task/.test(e.message));
  });

  it('sends the bearer token when one is set, and no Authorization header otherwise', async () => {
    token = undefined;
    await client.init({ filename: 'a', file_size: 1, file_type: 'master', content_type: 'x' });
    assert.equal((await state()).multipart.auth.last, 'none');
    token = 'mp-secret';
    await client.init({ filename: 'a', file_size: 1, file_type: 'master', content_type: 'x' });
    assert.equal((await state()).multipart.auth.last, 'bearer');
    token = undefined;
  });

  it('reads both FastAPI error shapes', () => {
    assert.equal(parseMultipartError({ detail: 'task_id: no such task' }, 404).message, 'task_id: no such task');
    assert.equal(parseMultipartError({ detail: [{ loc: ['body', 'file_size'], msg: 'field required', type: 'value_error.missing' }] }, 422).message, 'file_size: field required');
    assert.match(parseMultipartError({ detail: 'Not authenticated' }, 401).message ?? '', /Set Credentials/);
  });

  it('reports an unreachable server as a retryable network ApiError', async () => {
    const offline = new MultipartClient({ baseUrl: () => 'http://127.0.0.1:9', logger: silentLogger });
    await assert.rejects(offline.list({ task_id: 't', upload_id: 'u', object_key: 'k' }), (e: unknown) => e instanceof ApiError && e.retryable && e.httpStatus === undefined);
  });
});
