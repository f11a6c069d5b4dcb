// Emulated Datahub uploads: init validation, part planning, part PUT + ETag, complete checks, assembled MD5.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { envelopeMessage, md5, putPart, randomData, startTestEmulator, type TestEmulator } from './helpers';
import { until } from '../helpers/until';

interface InitData {
  upload_id: string;
  part_upload_urls: { index: number; url: string }[];
}

describe('emulator · datahub upload', () => {
  let t: TestEmulator;
  const subtask = 'sub-upload-1';

  before(async () => {
    t = await startTestEmulator(['datahub'], undefined, { minPartSize: 0 });
    const created = await t.call('POST', '/_emulator/subtasks', { subtask_id: subtask });
    assert.equal(created.status, 201);
  });
  after(() => t.stop());

  async function init(body: Record<string, unknown>): Promise<InitData> {
    const answer = await t.call('POST', '/api/task/upload/init', body);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 0);
    return answer.body.data as InitData;
  }

  /** Uploads `data` in `chunk`-sized parts and returns the ETags as the PUTs answered them. */
  async function uploadParts(data: Buffer, chunk: number, fileName: string): Promise<{ uploadId: string; etags: string[] }> {
    const { upload_id, part_upload_urls } = await init({ subtask_id: subtask, file_name: fileName, file_size: data.length, file_md5: md5(data), chunk_size: chunk });
    const etags: string[] = [];
    for (const { index, url } of part_upload_urls) {
      const res = await putPart(url, data.subarray((index - 1) * chunk, index * chunk));
      assert.equal(res.status, 200);
      etags.push(String(res.headers.etag));
    }
    return { uploadId: upload_id, etags };
  }

  describe('init validation names the field', () => {
    const good = { subtask_id: subtask, file_name: 'a.bin', file_size: 10, file_md5: md5('0123456789') };
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['missing subtask_id', { ...good, subtask_id: undefined }, /^subtask_id: required/],
      ['bad file_md5', { ...good, file_md5: 'md5hash' }, /^file_md5: must be 32 hex characters/],
      ['file_name going up', { ...good, file_name: '../a.bin' }, /^file_name: must be a relative name made of plain names: ".."/],
      ['absolute file_name', { ...good, file_name: '/etc/a.bin' }, /^file_name: must be a relative name, not an absolute path/],
      ['file_name with a backslash', { ...good, file_name: 'dir\\a.bin' }, /^file_name: must use "\/"/],
      ['file_name with an empty folder', { ...good, file_name: 'dir//a.bin' }, /^file_name: must be a relative name made of plain names: "" must not be empty/],
      ['empty file_name', { ...good, file_name: '' }, /^file_name: must not be empty/],
      ['negative file_size', { ...good, file_size: -1 }, /^file_size: must be at least 0/],
      ['string file_size', { ...good, file_size: '10' }, /^file_size: must be a number/],
      ['zero chunk_size', { ...good, chunk_size: 0 }, /^chunk_size: must be at least 1/],
      ['more than 10,000 parts', { ...good, file_size: 10_001, chunk_size: 1 }, /^chunk_size: 1 would make 10001 parts/],
    ];
    for (const [name, body, pattern] of cases) {
      it(name, async () => {
        const answer = await t.call('POST', '/api/task/upload/init', body);
        assert.equal(answer.status, 400);
        assert.match(envelopeMessage(answer), pattern);
      });
    }

    it('refuses an unknown subtask with 404', async () => {
      const answer = await t.call('POST', '/api/task/upload/init', { ...good, subtask_id: 'nope' });
      assert.equal(answer.status, 404);
      assert.match(envelopeMessage(answer), /^subtask_id: no such subtask "nope"/);
    });

    it('refuses a body that is not JSON', async () => {
      const answer = await t.call('POST', '/api/task/upload/init', '{not json');
      assert.equal(answer.status, 400);
      assert.match(envelopeMessage(answer), /JSON/);
    });
  });

  describe('part planning', () => {
    const cases: [string, number, number | undefined, number][] = [
      ['0 bytes', 0, 1024, 1],
      ['1 byte', 1, 1024, 1],
      ['exactly one chunk', 1024, 1024, 1],
      ['one chunk + 1', 1025, 1024, 2],
      ['many parts', 10 * 1024 + 5, 1024, 11],
      ['no chunk_size = one part', 50_000, undefined, 1],
      ['exactly 10,000 parts', 10_000, 1, 10_000],
    ];
    for (const [name, size, chunk, parts] of cases) {
      it(`${name} → ${parts} part(s), indexes from 1`, async () => {
        const data = await init({ subtask_id: subtask, file_name: 'plan.bin', file_size: size, file_md5: md5(''), chunk_size: chunk });
        assert.equal(data.part_upload_urls.length, parts);
        assert.deepEqual(data.part_upload_urls.slice(0, 3).map((p) => p.index), [1, 2, 3].slice(0, Math.min(3, parts)));
        assert.equal(data.part_upload_urls[parts - 1].index, parts);
        // The default store profile (s3-sigv2): PutObject without chunk_size, UploadPart (partNumber, uploadId) with it.
        const url = new URL(data.part_upload_urls[0].url);
        assert.equal(url.pathname, `/_store/datahub/${data.upload_id}/plan.bin`);
        assert.deepEqual([url.searchParams.get('partNumber'), url.searchParams.get('uploadId')], chunk === undefined ? [null, null] : ['1', data.upload_id]);
        assert.match(url.searchParams.get('Signature') ?? '', /^[A-Za-z0-9+/]{27}=$/);
        assert.match(url.searchParams.get('AWSAccessKeyId') ?? '', /^AKIA[A-Z0-9]{16}$/);
        const ttl = Number(url.searchParams.get('Expires')) - Date.now() / 1000;
        assert.ok(ttl > 3590 && ttl <= 3600, `URL lifetime ${ttl}s`);
      });
    }
  });

  it('uploads, assembles and records an object whose MD5 is the file MD5', async () => {
    const before = (await t.state()).counters as Record<string, number>;
    const data = randomData(2500);
    const { uploadId, etags } = await uploadParts(data, 1024, 'whole.bin');
    assert.deepEqual(etags, [0, 1, 2].map((i) => `"${md5(data.subarray(i * 1024, (i + 1) * 1024))}"`));
    const parts = etags.map((etag, i) => ({ index: i + 1, etag }));
    const done = await t.call('POST', '/api/task/upload/complete', { upload_id: uploadId, subtask_id: subtask, file_name: 'whole.bin', parts });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.code, 0);

    const onDisk = readFileSync(join(t.dataDir, 'datahub', 'objects', subtask, 'whole.bin'));
    assert.ok(onDisk.equals(data));
    const state = await t.state();
    const objects = state.objects as { subtask_id: string; file_name: string; size: number; md5: string; etag: string }[];
    // An object completed from parts has the store's multipart ETag: MD5 of the parts' binary MD5s, "-3".
    const composite = md5(Buffer.concat([0, 1, 2].map((i) => Buffer.from(md5(data.subarray(i * 1024, (i + 1) * 1024)), 'hex'))));
    assert.deepEqual(objects.find((o) => o.file_name === 'whole.bin'), { subtask_id: subtask, file_name: 'whole.bin', size: 2500, md5: md5(data), etag: `"${composite}-3"` });
    const counters = state.counters as Record<string, number>;
    assert.equal(counters.put_bytes - before.put_bytes, 2500);
    assert.equal((counters.assembled_while_uploading ?? 0) - (before.assembled_while_uploading ?? 0), 1, 'assembled while the parts arrived');
    const completes = (state.subtasks as Record<string, { completes: { upload_id: string; parts: unknown[]; ok: boolean }[] }>)[subtask].completes;
    const mine = completes.filter((c) => c.upload_id === uploadId);
    assert.equal(mine.length, 1);
    assert.equal(mine[0].ok, true);
    assert.deepEqual(mine[0].parts, parts);

    // A retry of the same complete (first answer lost) is answered the same; a different one is refused.
    const again = await t.call('POST', '/api/task/upload/complete', { upload_id: uploadId, subtask_id: subtask, file_name: 'whole.bin', parts });
    assert.equal(again.status, 200);
    const other = await t.call('POST', '/api/task/upload/complete', { upload_id: uploadId, subtask_id: subtask, file_name: 'whole.bin', parts: parts.slice(0, 1) });
    assert.equal(other.status, 400);
    assert.match(envelopeMessage(other), /already completed/);
  });

  it('uploads a 0-byte file as one empty part', async () => {
    const data = Buffer.alloc(0);
    const { uploadId, etags } = await uploadParts(data, 1024, 'empty.bin');
    assert.deepEqual(etags, [`"${md5('')}"`]);
    const done = await t.call('POST', '/api/task/upload/complete', { upload_id: uploadId, subtask_id: subtask, file_name: 'empty.bin', parts: [{ index: 1, etag: etags[0] }] });
    assert.equal(done.status, 200, JSON.stringify(done.body));
  });

  it('accepts a relative name from a folder upload and stores it under that path', async () => {
    const data = randomData(100);
    const { uploadId, etags } = await uploadParts(data, 1024, 'batch/nested/b.csv');
    const done = await t.call('POST', '/api/task/upload/complete', { upload_id: uploadId, subtask_id: subtask, file_name: 'batch/nested/b.csv', parts: [{ index: 1, etag: etags[0] }] });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.ok(readFileSync(join(t.dataDir, 'datahub', 'objects', subtask, 'batch', 'nested', 'b.csv')).equals(data));
  });

  it('refuses, with 409 naming file_name, an object that would be a folder of a stored one', async () => {
    const data = randomData(10);
    const { uploadId, etags } = await uploadParts(data, 1024, 'batch/nested');
    const clash = await t.call('POST', '/api/task/upload/complete', { upload_id: uploadId, subtask_id: subtask, file_name: 'batch/nested', parts: [{ index: 1, etag: etags[0] }] });
    assert.equal(clash.status, 409, JSON.stringify(clash.body));
    assert.match(JSON.stringify(clash.body), /file_name.*batch\/nested\/b\.csv/);
  });

  it('a re-PUT replaces the part and both attempts are counted', async () => {
    const data = randomData(2048);
    const urls = await init({ subtask_id: subtask, file_name: 'replace.bin', file_size: 2048, file_md5: md5(data), chunk_size: 1024 });
    const wrong = await putPart(urls.part_upload_urls[1].url, randomData(1024));
    assert.equal(wrong.status, 200);
    const right = await putPart(urls.part_upload_urls[1].url, data.subarray(1024));
    assert.equal(right.headers.etag, `"${md5(data.subarray(1024))}"`);
    const first = await putPart(urls.part_upload_urls[0].url, data.subarray(0, 1024));
    const done = await t.call('POST', '/api/task/upload/complete', {
      upload_id: urls.upload_id,
      subtask_id: subtask,
      file_name: 'replace.bin',
      parts: [{ index: 1, etag: first.headers.etag }, { index: 2, etag: right.headers.etag }],
    });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const uploads = ((await t.state()).datahub as { uploads: { upload_id: string; put_attempts: Record<string, number> }[] }).uploads;
    assert.deepEqual(uploads.find((u) => u.upload_id === urls.upload_id)?.put_attempts, { 1: 1, 2: 2 });
    assert.ok(readFileSync(join(t.dataDir, 'datahub', 'objects', subtask, 'replace.bin')).equals(data));
  });

  it('a PUT cut off half way stores nothing and keeps the part uploaded before', async () => {
    const data = randomData(1000);
    const urls = await init({ subtask_id: subtask, file_name: 'cut.bin', file_size: 1000, file_md5: md5(data) });
    const good = await putPart(urls.part_upload_urls[0].url, data);
    assert.equal(good.status, 200);
    const countersBefore = (await t.state()).counters as Record<string, number>;
    const cutOffBefore = countersBefore.part_puts_cut_off ?? 0;
    // Declares 1000 bytes, sends 400 of other data, and once they have arrived the connection dies (a killed client).
    const target = new URL(urls.part_upload_urls[0].url);
    const socket = connect(Number(target.port), target.hostname);
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(`PUT ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Length: 1000\r\n\r\n`);
    socket.write(randomData(400));
    await until('the 400 bytes received', async () => (((await t.state()).counters as Record<string, number>).put_bytes - countersBefore.put_bytes >= 400 ? true : undefined));
    socket.destroy();
    await closed;
    const counters = await until('the cut-off PUT counted', async () => {
      const now = (await t.state()).counters as Record<string, number>;
      return (now.part_puts_cut_off ?? 0) !== cutOffBefore ? now : undefined;
    });
    assert.equal(counters.part_puts_cut_off - cutOffBefore, 1);
    const done = await t.call('POST', '/api/task/upload/complete', { upload_id: urls.upload_id, subtask_id: subtask, file_name: 'cut.bin', parts: [{ index: 1, etag: good.headers.etag }] });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.ok(readFileSync(join(t.dataDir, 'datahub', 'objects', subtask, 'cut.bin')).equals(data));
  });

  describe('complete refuses a parts list that does not match the upload', () => {
    let uploadId = '';
    let etags: string[] = [];
    const data = randomData(3000);
    before(async () => {
      ({ uploadId, etags } = await uploadParts(data, 1024, 'checked.bin'));
    });
    const body = (parts: unknown) => ({ upload_id: uploadId, subtask_id: subtask, file_name: 'checked.bin', parts });
    const cases: [string, () => unknown, RegExp][] = [
      ['empty parts', () => [], /^parts: must not be empty/],
      ['a duplicated index', () => [{ index: 1, etag: etags[0] }, { index: 1, etag: etags[0] }, { index: 2, etag: etags[1] }], /^parts\[1\]\.index: part 1 appears more than once/],
      ['a missing part', () => [{ index: 1, etag: etags[0] }, { index: 3, etag: etags[2] }], /^parts: 1 part\(s\) missing \(2\)/],
      ['an unknown index', () => [{ index: 4, etag: etags[0] }], /^parts\[0\]\.index: part 4 is not part of this upload/],
      ['an ETag without its quotes', () => etags.map((e, i) => ({ index: i + 1, etag: e.replace(/"/g, '') })), /^parts\[0\]\.etag: .*quotes included/],
      ['a wrong ETag', () => etags.map((_e, i) => ({ index: i + 1, etag: `"${md5('x')}"` })), /^parts\[0\]\.etag: .* does not match/],
      ['an index that is not a number', () => [{ index: 'one', etag: etags[0] }], /^parts\[0\]\.index: must be a number/],
      ['parts not an array', () => 'all', /^parts: must be an array/],
    ];
    for (const [name, parts, pattern] of cases) {
      it(name, async () => {
        const answer = await t.call('POST', '/api/task/upload/complete', body(parts()));
        assert.equal(answer.status, 400);
        assert.match(envelopeMessage(answer), pattern);
      });
    }

    it('an unknown upload_id is a 404', async () => {
      const answer = await t.call('POST', '/api/task/upload/complete', { ...body([{ index: 1, etag: etags[0] }]), upload_id: 'upload_nope' });
      assert.equal(answer.status, 404);
      assert.match(envelopeMessage(answer), /^upload_id: no such upload/);
    });

    it('a file name other than the one given at init is refused', async () => {
      const answer = await t.call('POST', '/api/task/upload/complete', { ...body([]), file_name: 'other.bin' });
      assert.equal(answer.status, 400);
      assert.match(envelopeMessage(answer), /^file_name: "other.bin" is not the file name given at init/);
    });

    it('records every call, refused ones included, and then accepts the right list', async () => {
      const parts = etags.map((etag, i) => ({ index: i + 1, etag }));
      const answer = await t.call('POST', '/api/task/upload/complete', body(parts));
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const completes = ((await t.state()).subtasks as Record<string, { completes: { upload_id: string; ok: boolean; error?: string }[] }>)[subtask].completes.filter(
        (c) => c.upload_id === uploadId,
      );
      assert.equal(completes.length, cases.length + 1);
      assert.deepEqual(completes.map((c) => c.ok), [...cases.map(() => false), true]);
      assert.ok(completes.slice(0, -1).every((c) => typeof c.error === 'string' && c.error.length > 0));
    });
  });

  it('refuses the complete when the assembled MD5 is not the file_md5 given at init', async () => {
    const data = randomData(1500);
    const answer = await t.call('POST', '/api/task/upload/init', { subtask_id: subtask, file_name: 'badmd5.bin', file_size: 1500, file_md5: md5('something else'), chunk_size: 1024 });
    const { upload_id, part_upload_urls } = answer.body.data as InitData;
    const etags = [];
    for (const { index, url } of part_upload_urls) etags.push(String((await putPart(url, data.subarray((index - 1) * 1024, index * 1024))).headers.etag));
    const done = await t.call('POST', '/api/task/upload/complete', { upload_id, subtask_id: subtask, file_name: 'badmd5.bin', parts: etags.map((etag, i) => ({ index: i + 1, etag })) });
    assert.equal(done.status, 400);
    assert.match(envelopeMessage(done), new RegExp(`^file_md5: the assembled file's MD5 is ${md5(data)}`));
    const objects = (await t.state()).objects as { file_name: string }[];
    assert.ok(!objects.some((o) => o.file_name === 'badmd5.bin'));
  });

  it('refuses the complete when the parts do not add up to file_size', async () => {
    const data = randomData(2048);
    const { upload_id, part_upload_urls } = await init({ subtask_id: subtask, file_name: 'short.bin', file_size: 2048, file_md5: md5(data), chunk_size: 1024 });
    const e1 = String((await putPart(part_upload_urls[0].url, data.subarray(0, 1024))).headers.etag);
    const e2 = String((await putPart(part_upload_urls[1].url, data.subarray(1024, 2000))).headers.etag);
    const done = await t.call('POST', '/api/task/upload/complete', { upload_id, subtask_id: subtask, file_name: 'short.bin', parts: [{ index: 1, etag: e1 }, { index: 2, etag: e2 }] });
    assert.equal(done.status, 400);
    assert.match(envelopeMessage(done), /^file_size: the parts add up to 2000 bytes, init said 2048/);
  });

  it('refuses an object that would be a folder of a stored one, or inside one, at any depth; a replaced object is one object', async () => {
    const put = async (name: string, content: string): Promise<{ status: number; message: string }> => {
      const data = Buffer.from(content);
      const { upload_id, part_upload_urls } = await init({ subtask_id: subtask, file_name: name, file_size: data.length, file_md5: md5(data) });
      const res = await putPart(part_upload_urls[0].url, data);
      const done = await t.call('POST', '/api/task/upload/complete', { upload_id, subtask_id: subtask, file_name: name, parts: [{ index: 1, etag: String(res.headers.etag) }] });
      return { status: done.status, message: done.status === 200 ? '' : envelopeMessage(done) };
    };
    assert.equal((await put('tree/a/b/leaf.txt', 'leaf')).status, 200);
    const asFolder = await put('tree/a', 'x');
    assert.equal(asFolder.status, 409);
    assert.match(asFolder.message, /"tree\/a" clashes with the stored object "tree\/a\/b\/leaf.txt"/);
    const inside = await put('tree/a/b/leaf.txt/more', 'y');
    assert.equal(inside.status, 409);
    assert.match(inside.message, /clashes with the stored object "tree\/a\/b\/leaf.txt"/);
    assert.equal((await put('tree/a/b/leaf.txt', 'leaf, again')).status, 200);
    assert.equal((await put('tree/a/sibling.txt', 's')).status, 200);
    const objects = (await t.state()).objects as { subtask_id: string; file_name: string; size: number }[];
    const mine = objects.filter((o) => o.subtask_id === subtask && o.file_name.startsWith('tree/'));
    assert.deepEqual(mine.map((o) => [o.file_name, o.size]), [['tree/a/b/leaf.txt', 11], ['tree/a/sibling.txt', 1]]);
    assert.equal(readFileSync(join(t.dataDir, 'datahub', 'objects', subtask, 'tree', 'a', 'b', 'leaf.txt'), 'utf8'), 'leaf, again');
  });
});
