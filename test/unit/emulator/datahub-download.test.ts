// Emulated Datahub downloads and presigned URLs: presign, Range (206/416), signatures and expiry.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envelopeMessage, md5, putPart, randomData, rawRequest, startTestEmulator, type TestEmulator } from './helpers';
import { pastExpiry } from '../helpers/until';

describe('emulator · datahub download and signed URLs', () => {
  let t: TestEmulator;
  let tmp: string;
  const content = randomData(10_000);
  const subtask = 'sub-download-1';

  before(async () => {
    t = await startTestEmulator(['datahub']);
    tmp = mkdtempSync(join(tmpdir(), 'datahub-dl-src-'));
    const source = join(tmp, 'input.zip');
    writeFileSync(source, content);
    const created = await t.call('POST', '/_emulator/subtasks', { subtask_id: subtask, input_file: source });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await t.call('POST', '/_emulator/subtasks', { subtask_id: 'sub-no-input' });
  });
  after(async () => {
    await t.stop();
    rmSync(tmp, { recursive: true, force: true });
  });
  afterEach(() => t.call('DELETE', '/_emulator/faults'));

  async function downloadUrl(id = subtask): Promise<string> {
    const answer = await t.call('GET', `/api/task/download/presign?subtask_id=${encodeURIComponent(id)}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const data = answer.body.data as { download_url: string; file_name: string };
    assert.equal(data.file_name, id === subtask ? 'input.zip' : data.file_name);
    return data.download_url;
  }

  describe('presign', () => {
    it('answers a download URL and the file name in the envelope', async () => {
      const url = new URL(await downloadUrl());
      assert.equal(url.pathname, `/_store/datahub-download/${subtask}/input.zip`);
    });
    it('refuses a missing subtask_id', async () => {
      const answer = await t.call('GET', '/api/task/download/presign');
      assert.equal(answer.status, 400);
      assert.match(envelopeMessage(answer), /^subtask_id: required/);
    });
    it('refuses an unknown subtask with 404', async () => {
      const answer = await t.call('GET', '/api/task/download/presign?subtask_id=ghost');
      assert.equal(answer.status, 404);
      assert.match(envelopeMessage(answer), /^subtask_id: no such subtask "ghost"/);
    });
    it('refuses a subtask without an input file with 404', async () => {
      const answer = await t.call('GET', '/api/task/download/presign?subtask_id=sub-no-input');
      assert.equal(answer.status, 404);
      assert.match(envelopeMessage(answer), /has no input file/);
    });
  });

  describe('GET with Range', () => {
    it('serves the whole file with Accept-Ranges, Content-Length and the quoted MD5 as ETag', async () => {
      const before = ((await t.state()).counters as Record<string, number>).get_bytes;
      const res = await rawRequest('GET', await downloadUrl());
      assert.equal(res.status, 200);
      assert.ok(res.body.equals(content));
      assert.equal(res.headers['accept-ranges'], 'bytes');
      assert.equal(res.headers['content-length'], '10000');
      assert.equal(res.headers.etag, `"${md5(content)}"`);
      const after = ((await t.state()).counters as Record<string, number>).get_bytes;
      assert.equal(after - before, 10_000);
    });

    const ranges: [string, number, number][] = [
      ['bytes=100-199', 100, 199],
      ['bytes=9990-', 9990, 9999],
      ['bytes=-25', 9975, 9999],
      ['bytes=9000-20000', 9000, 9999],
      ['bytes=-20000', 0, 9999],
    ];
    for (const [range, start, end] of ranges) {
      it(`${range} → 206 bytes ${start}-${end}/10000`, async () => {
        const res = await rawRequest('GET', await downloadUrl(), undefined, { Range: range });
        assert.equal(res.status, 206);
        assert.equal(res.headers['content-range'], `bytes ${start}-${end}/10000`);
        assert.equal(res.headers['content-length'], String(end - start + 1));
        assert.ok(res.body.equals(content.subarray(start, end + 1)));
      });
    }

    for (const range of ['bytes=10000-', 'bytes=20000-20010', 'bytes=-0']) {
      it(`${range} → 416 with Content-Range bytes */10000`, async () => {
        const res = await rawRequest('GET', await downloadUrl(), undefined, { Range: range });
        assert.equal(res.status, 416);
        assert.equal(res.headers['content-range'], 'bytes */10000');
      });
    }

    it('ignores a range it does not understand (several ranges) and sends the whole file', async () => {
      const res = await rawRequest('GET', await downloadUrl(), undefined, { Range: 'bytes=0-1,5-6' });
      assert.equal(res.status, 200);
      assert.equal(res.body.length, 10_000);
    });

    it('generates deterministic content for {name, size, seed}', async () => {
      const made = [];
      for (const [id, seed] of [['gen-a', 's1'], ['gen-b', 's1'], ['gen-c', 's2']]) {
        const answer = await t.call('POST', '/_emulator/subtasks', { subtask_id: id, input_file: { name: 'gen.bin', size: 300_000, seed } });
        assert.equal(answer.status, 201);
        const res = await rawRequest('GET', await downloadUrl(id));
        assert.equal(res.body.length, 300_000);
        assert.equal(md5(res.body), (answer.body.input_file as { md5: string }).md5);
        made.push(md5(res.body));
      }
      assert.equal(made[0], made[1]);
      assert.notEqual(made[0], made[2]);
    });
  });

  describe('signatures', () => {
    async function partUrl(): Promise<string> {
      await t.call('POST', '/_emulator/subtasks', { subtask_id: 'sub-sign' });
      const answer = await t.call('POST', '/api/task/upload/init', { subtask_id: 'sub-sign', file_name: 'x.bin', file_size: 20, file_md5: md5('x'), chunk_size: 10 });
      return (answer.body.data as { part_upload_urls: { url: string }[] }).part_upload_urls[0].url;
    }

    it('accepts the URL as issued', async () => {
      assert.equal((await putPart(await partUrl(), randomData(10))).status, 200);
    });

    it('refuses a tampered signature with 403 SignatureDoesNotMatch', async () => {
      const url = new URL(await partUrl());
      const sig = url.searchParams.get('Signature') ?? '';
      url.searchParams.set('Signature', (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1));
      const res = await putPart(url.toString(), randomData(10));
      assert.equal(res.status, 403);
      assert.match(res.body.toString(), /<Code>SignatureDoesNotMatch<\/Code>/);
    });

    it('refuses the URL of part 1 used for part 2 (the part number is signed)', async () => {
      const url = new URL(await partUrl());
      url.searchParams.set('partNumber', '2');
      const res = await putPart(url.toString(), randomData(10));
      assert.equal(res.status, 403);
      assert.match(res.body.toString(), /SignatureDoesNotMatch/);
    });

    it('refuses a later expiry than the one signed', async () => {
      const url = new URL(await partUrl());
      url.searchParams.set('Expires', String(Number(url.searchParams.get('Expires')) + 3600));
      assert.equal((await putPart(url.toString(), randomData(10))).status, 403);
    });

    it('refuses a download URL whose file name was changed', async () => {
      const url = new URL(await downloadUrl());
      url.pathname = url.pathname.replace('input.zip', 'other.zip');
      assert.equal((await rawRequest('GET', url.toString())).status, 403);
    });

    it('refuses an expired URL with 403 "Request has expired" (url_ttl_s = 0)', async () => {
      await t.call('POST', '/_emulator/faults', { route: 'part_put', url_ttl_s: 0 });
      const url = await partUrl();
      await pastExpiry(url);
      const res = await putPart(url, randomData(10));
      assert.equal(res.status, 403);
      assert.match(res.body.toString(), /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message><Expires>/);
    });

    it('a malformed %-sequence in the path is a 404 and the emulator keeps serving', async () => {
      const res = await rawRequest('GET', `${t.url}/_store/datahub-download/%E0%A4%A/x`);
      assert.equal(res.status, 404);
      assert.equal((await t.call('GET', '/_emulator/health')).status, 200);
    });

    it('the url_ttl_s of route "*" applies to download URLs too', async () => {
      await t.call('POST', '/_emulator/faults', { route: '*', url_ttl_s: 5 });
      const url = new URL(await downloadUrl());
      const ttl = Number(url.searchParams.get('Expires')) - Date.now() / 1000;
      assert.ok(ttl > 3 && ttl <= 5, `ttl ${ttl}`);
    });
  });
});
