// The emulated object store as strict as each real one: signatures over what is signed, its XML refusals, its
// ETags, its completion rules; the profile and its switches chosen per run and through the admin API.
import assert from 'node:assert/strict';
import { presignV2 } from '../../../emulator/store/sigv2';
import { presignV4 } from '../../../emulator/store/sigv4';
import { STORE_PROFILES, type StoreProfileName } from '../../../emulator/store/profiles';
import { MP_CONTENT_TYPE, md5, putPart, randomData, rawRequest, startTestEmulator, type TestEmulator } from './helpers';
import { pastExpiry } from '../helpers/until';

interface InitData {
  upload_id: string;
  part_upload_urls: { index: number; url: string }[];
}

const KIB = 1024;

/** AWS's published examples (S3 query-string authentication, SigV2 and SigV4), with its documented example keys. */
const AWS_EXAMPLE_KEYS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', hmacKey: Buffer.alloc(0) };

describe('emulator · store profiles', () => {
  it('signs AWS\'s documented SigV2 and SigV4 presigned-URL examples to their published signatures', () => {
    const v2 = new URL(presignV2('s3', AWS_EXAMPLE_KEYS, { method: 'GET', path: '/johnsmith/photos/puppy.jpg', subresources: [], ttlSeconds: 1175139620, baseUrl: 'http://s3.amazonaws.com', nowMs: 0 }));
    assert.equal(v2.searchParams.get('Signature'), 'NpgCjnDzrM+WFzoENXmpNDUsSn8=');
    const v4 = new URL(presignV4(AWS_EXAMPLE_KEYS, { method: 'GET', path: '/test.txt', subresources: [], ttlSeconds: 86400, baseUrl: 'https://examplebucket.s3.amazonaws.com', nowMs: Date.UTC(2013, 4, 24) }));
    assert.equal(v4.searchParams.get('X-Amz-Signature'), 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
  });

  for (const profile of STORE_PROFILES) {
    describe(profile, () => {
      let t: TestEmulator;
      let n = 0;
      before(async () => {
        t = await startTestEmulator(['datahub', 'multipart'], undefined, { profile });
        await t.call('POST', '/_emulator/subtasks', { subtask_id: 'sp' });
      });
      after(() => t.stop());
      afterEach(async () => {
        await t.call('DELETE', '/_emulator/faults');
        await t.call('POST', '/_emulator/store', { datahub_content_type: null, min_part_size: null });
      });

      async function init(size: number, chunk?: number): Promise<InitData & { name: string }> {
        const name = `f${++n}.bin`;
        const answer = await t.call('POST', '/api/task/upload/init', { subtask_id: 'sp', file_name: name, file_size: size, file_md5: md5(''), ...(chunk ? { chunk_size: chunk } : {}) });
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        return { ...(answer.body.data as InitData), name };
      }

      const signsContentType = profile === 's3-sigv2' || profile === 'oss';
      const xmlOf = (body: Buffer): string => body.toString('utf8');

      it('issues URLs with this store\'s parameters, sub-resources included for parts', async () => {
        const { upload_id, part_upload_urls } = await init(20, 10);
        const q = new URL(part_upload_urls[1].url).searchParams;
        assert.deepEqual([q.get('partNumber'), q.get('uploadId')], ['2', upload_id]);
        const expected: Record<StoreProfileName, string[]> = {
          's3-sigv2': ['AWSAccessKeyId', 'Expires', 'Signature'],
          oss: ['OSSAccessKeyId', 'Expires', 'Signature'],
          's3-sigv4': ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'],
          lenient: ['X-Expires', 'X-Signature'],
        };
        assert.deepEqual([...q.keys()].filter((k) => k !== 'partNumber' && k !== 'uploadId'), expected[profile]);
      });

      it(signsContentType ? 'refuses an unsigned Content-Type or Content-MD5 with 403 SignatureDoesNotMatch in its XML' : 'accepts headers its signature does not cover', async () => {
        const { part_upload_urls } = await init(10);
        const url = part_upload_urls[0].url;
        for (const header of [{ 'Content-Type': 'application/octet-stream' }, { 'Content-MD5': 'AAAAAAAAAAAAAAAAAAAAAA==' }] as Record<string, string>[]) {
          const res = await rawRequest('PUT', url, randomData(10), header);
          if (!signsContentType) {
            assert.equal(res.status, 200, JSON.stringify(header));
            continue;
          }
          assert.equal(res.status, 403, JSON.stringify(header));
          const xml = xmlOf(res.body);
          assert.match(xml, /<Code>SignatureDoesNotMatch<\/Code>/);
          assert.match(xml, /<StringToSign>PUT\n/);
          if (profile === 'oss') {
            assert.match(xml, /<EC>0002-00000040<\/EC>/);
            assert.match(String(res.headers['x-oss-request-id']), /^[0-9A-F]{24}$/);
          } else {
            assert.match(xml, /<RequestId>[0-9A-F]{16}<\/RequestId><HostId>/);
          }
        }
        assert.equal((await putPart(url, randomData(10))).status, 200, 'only Content-Length: accepted');
      });

      it('a URL presigned with a Content-Type wants exactly it', async () => {
        await t.call('POST', '/_emulator/store', { datahub_content_type: 'application/octet-stream' });
        const { part_upload_urls } = await init(10);
        const url = part_upload_urls[0].url;
        const bare = await putPart(url, randomData(10));
        assert.equal(bare.status, profile === 'lenient' ? 200 : 403);
        if (profile !== 'lenient') assert.match(xmlOf(bare.body), /SignatureDoesNotMatch/);
        assert.equal((await putPart(url, randomData(10), 'application/octet-stream')).status, 200);
      });

      if (profile === 's3-sigv4') {
        it('refuses an x-amz-* header the URL did not sign (AccessDenied, HeadersNotSigned)', async () => {
          const { part_upload_urls } = await init(10);
          const res = await rawRequest('PUT', part_upload_urls[0].url, randomData(10), { 'x-amz-meta-note': 'hi' });
          assert.equal(res.status, 403);
          assert.match(xmlOf(res.body), /<Code>AccessDenied<\/Code><Message>There were headers present in the request which were not signed<\/Message><HeadersNotSigned>x-amz-meta-note<\/HeadersNotSigned>/);
        });
      }

      it('answers an expired URL the way this store does', async () => {
        await t.call('POST', '/_emulator/faults', { route: 'part_put', url_ttl_s: 0 });
        const { part_upload_urls } = await init(10);
        await pastExpiry(part_upload_urls[0].url);
        const res = await putPart(part_upload_urls[0].url, randomData(10));
        assert.equal(res.status, 403);
        const xml = xmlOf(res.body);
        if (profile === 'oss') assert.match(xml, /<Code>AccessDenied<\/Code>\s*<Message>Request has expired\.<\/Message>[\s\S]*<Expires>[\s\S]*<EC>0002-00000069<\/EC>/);
        else if (profile === 's3-sigv4') assert.match(xml, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message><X-Amz-Expires>0<\/X-Amz-Expires><Expires>/);
        else assert.match(xml, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message><Expires>/);
      });

      it(`answers ETags in ${profile === 'oss' ? 'upper' : 'lower'}-case hex and completes parts into "<hex>-N"`, async () => {
        await t.call('POST', '/_emulator/store', { min_part_size: 0 });
        const data = randomData(25);
        const answer = await t.call('POST', '/api/task/upload/init', { subtask_id: 'sp', file_name: 'etag.bin', file_size: 25, file_md5: md5(data), chunk_size: 10 });
        const { upload_id, part_upload_urls } = answer.body.data as InitData;
        const etags: string[] = [];
        for (const { index, url } of part_upload_urls) etags.push(String((await putPart(url, data.subarray((index - 1) * 10, index * 10))).headers.etag));
        const hex = (s: string): string => (profile === 'oss' ? s.toUpperCase() : s);
        assert.deepEqual(etags, [0, 1, 2].map((i) => `"${hex(md5(data.subarray(i * 10, i * 10 + 10)))}"`));
        if (profile === 'oss') {
          const lower = await t.call('POST', '/api/task/upload/complete', { upload_id, subtask_id: 'sp', file_name: 'etag.bin', parts: etags.map((e, i) => ({ index: i + 1, etag: e.toLowerCase() })) });
          assert.equal(lower.status, 400);
          assert.match(String(lower.body.message), /^parts\[0\]\.etag: InvalidPart — .*exactly as the PUT answered it, in its case/);
        }
        const done = await t.call('POST', '/api/task/upload/complete', { upload_id, subtask_id: 'sp', file_name: 'etag.bin', parts: etags.map((etag, i) => ({ index: i + 1, etag })) });
        assert.equal(done.status, 200, JSON.stringify(done.body));
        const composite = md5(Buffer.concat([0, 1, 2].map((i) => Buffer.from(md5(data.subarray(i * 10, i * 10 + 10)), 'hex'))));
        const objects = (await t.state()).objects as { file_name: string; etag: string }[];
        assert.equal(objects.find((o) => o.file_name === 'etag.bin')?.etag, `"${hex(composite)}-3"`);
      });

      it(profile === 'lenient' ? 'has no part-size minimum and takes parts in any order' : 'refuses a non-last part under its minimum (EntityTooSmall) and parts out of order (InvalidPartOrder); the switch relaxes the size', async () => {
        const small = 60 * KIB;
        const data = randomData(small * 2);
        const answer = await t.call('POST', '/api/task/upload/init', { subtask_id: 'sp', file_name: `small${n}.bin`, file_size: data.length, file_md5: md5(data), chunk_size: small });
        const { upload_id, part_upload_urls } = answer.body.data as InitData;
        const etags: string[] = [];
        for (const { index, url } of part_upload_urls) etags.push(String((await putPart(url, data.subarray((index - 1) * small, index * small))).headers.etag));
        const body = (parts: { index: number; etag: string }[]) => ({ upload_id, subtask_id: 'sp', file_name: `small${n}.bin`, parts });
        const reversed = await t.call('POST', '/api/task/upload/complete', body([{ index: 2, etag: etags[1] }, { index: 1, etag: etags[0] }]));
        if (profile === 'lenient') {
          assert.equal(reversed.status, 200, JSON.stringify(reversed.body));
          return;
        }
        assert.equal(reversed.status, 400);
        assert.match(String(reversed.body.message), /^parts\[1\]\.index: InvalidPartOrder — /);
        const inOrder = body([{ index: 1, etag: etags[0] }, { index: 2, etag: etags[1] }]);
        const tooSmall = await t.call('POST', '/api/task/upload/complete', inOrder);
        assert.equal(tooSmall.status, 400);
        assert.match(String(tooSmall.body.message), new RegExp(`^parts\\[0\\]: EntityTooSmall — .*part 1 has ${small} bytes, every part but the last must have at least ${profile === 'oss' ? 100 * KIB : 5 * KIB * KIB}`));
        await t.call('POST', '/_emulator/store', { min_part_size: 0 });
        assert.equal((await t.call('POST', '/api/task/upload/complete', inOrder)).status, 200);
      });

      it('api 004: parts are signed for application/octet-stream; after an abort a PUT gets NoSuchUpload and complete too', async () => {
        const init4 = await t.call('POST', '/tasks/upload/multipart/init', { filename: `m${++n}.zip`, file_size: 20, file_type: 'master', content_type: 'application/zip', chunk_size: 10 });
        const mp = init4.body as { task_id: string; upload_id: string; object_key: string; parts: { upload_url: string }[] };
        const without = await putPart(mp.parts[0].upload_url, randomData(10));
        // Every signing profile covers the Content-Type 004's URLs are issued for (SigV4 lists it in the signed headers).
        assert.equal(without.status, profile === 'lenient' ? 200 : 403);
        const ok = await putPart(mp.parts[0].upload_url, randomData(10), MP_CONTENT_TYPE);
        assert.equal(ok.status, 200);
        const ref = { task_id: mp.task_id, upload_id: mp.upload_id, object_key: mp.object_key };
        assert.equal((await t.call('POST', '/tasks/upload/multipart/abort', ref)).status, 200);
        const late = await putPart(mp.parts[1].upload_url, randomData(10), MP_CONTENT_TYPE);
        assert.equal(late.status, 404);
        assert.match(xmlOf(late.body), /<Code>NoSuchUpload<\/Code>/);
        const complete = await t.call('POST', '/tasks/upload/multipart/complete', { ...ref, file_type: 'master', parts: [{ part_number: 1, etag: String(ok.headers.etag).slice(1, -1) }] });
        assert.equal(complete.status, 404);
        assert.match(String(complete.body.detail), /NoSuchUpload/);
      });
    });
  }

  describe('chosen per run and through the admin API', () => {
    let t: TestEmulator;
    before(async () => {
      t = await startTestEmulator(['datahub']);
    });
    after(() => t.stop());

    it('defaults to the strictest profile and reports it in GET /_emulator/store and the state', async () => {
      const store = await t.call('GET', '/_emulator/store');
      assert.deepEqual(store.body, { profile: 's3-sigv2', min_part_size: 5 * 1024 * 1024, datahub_content_type: null });
      assert.deepEqual((await t.state()).store, store.body);
    });

    it('switches profile and switches; refuses unknown values naming the field', async () => {
      const changed = await t.call('POST', '/_emulator/store', { profile: 'oss', min_part_size: 0 });
      assert.deepEqual(changed.body, { profile: 'oss', min_part_size: 0, datahub_content_type: null });
      assert.deepEqual((await t.call('POST', '/_emulator/store', { min_part_size: null })).body, { profile: 'oss', min_part_size: 100 * 1024, datahub_content_type: null });
      const bad = await t.call('POST', '/_emulator/store', { profile: 'gcs' });
      assert.equal(bad.status, 400);
      assert.match(String(bad.body.error), /^profile: must be one of s3-sigv2, oss, s3-sigv4, lenient/);
      assert.match(String((await t.call('POST', '/_emulator/store', { colour: 'x' })).body.error), /^colour: unknown setting/);
      await t.call('POST', '/_emulator/store', { profile: 's3-sigv2' });
    });

    it('a URL issued under one profile is still judged by its own scheme after a switch', async () => {
      await t.call('POST', '/_emulator/subtasks', { subtask_id: 'switch' });
      const answer = await t.call('POST', '/api/task/upload/init', { subtask_id: 'switch', file_name: 'a.bin', file_size: 3, file_md5: md5('abc') });
      const url = (answer.body.data as InitData).part_upload_urls[0].url;
      await t.call('POST', '/_emulator/store', { profile: 'lenient' });
      try {
        assert.equal((await rawRequest('PUT', url, Buffer.from('abc'), { 'Content-Type': 'text/plain' })).status, 403);
        assert.equal((await putPart(url, Buffer.from('abc'))).status, 200);
      } finally {
        await t.call('POST', '/_emulator/store', { profile: 's3-sigv2' });
      }
    });
  });
});
