// The `datahub` CLI against a store we did not write: s3rver (it verifies presigned SigV2 and SigV4 query
// signatures) behind a Datahub 000 front that presigns with the AWS SDK, as a real Datahub would.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startS3rver } from '../../scripts/lib/thirdPartyServers.mjs';
import { cli, type CliResult } from '../unit/helpers/cli';
import { useTempDir } from '../unit/helpers/emulator';
import { writeRandomFile } from '../unit/helpers/files';
import { DatahubFront, type SignatureStyle } from './datahubFront';

const MIB = 1024 * 1024;
const CHUNK = 5 * MIB;
const BUCKET = 'datahub';
const TOKEN = 'third-party-token';
/** 0 B, 1 B, exactly one part, one part + 1, many parts (4). */
const SIZES = [0, 1, CHUNK, CHUNK + 1, 3 * CHUNK + 2 * MIB + 7];

const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');

describe('third-party S3 store (s3rver) behind a Datahub 000 front', function () {
  this.timeout(180_000);
  const dir = useTempDir('datahub-s3rver-files-');
  let store: { url: string; stop(): Promise<void> };
  const fronts: DatahubFront[] = [];

  before(async function () {
    this.timeout(600_000); // the first run installs s3rver and the SDK into the tool cache
    store = await startS3rver({ buckets: [BUCKET] });
  });
  after(async () => {
    for (const front of fronts) await front.stop();
    await store?.stop();
  });

  async function front(signature: SignatureStyle, partContentType?: string): Promise<DatahubFront> {
    const started = await DatahubFront.start({ storeUrl: store.url, bucket: BUCKET, signature, partContentType, token: TOKEN });
    fronts.push(started);
    return started;
  }

  function upload(f: DatahubFront, path: string, subtask: string, extra: string[] = []): Promise<CliResult> {
    const args = ['upload', path, '--subtask', subtask, '--endpoint', f.url, '--token', TOKEN, '--chunk-size', String(CHUNK), '--retries', '2', '--json', '--state-dir', join(dir.path, `state-${subtask}`), ...extra];
    return cli(args).done;
  }

  async function uploadsByteIdentical(signature: SignatureStyle, sizes: number[], partContentType?: string): Promise<void> {
    const f = await front(signature, partContentType);
    for (const size of sizes) {
      const subtask = `${signature}-${partContentType ? 'typed' : 'plain'}-${size}`;
      const file = writeRandomFile(dir.path, `${subtask}.bin`, size);
      const result = await upload(f, file.path, subtask, partContentType ? ['--part-content-type', partContentType] : []);
      assert.equal(result.code, 0, `${size} B: ${result.stderr}`);
      const stored = await f.stored(DatahubFront.keyOf(subtask, `${subtask}.bin`));
      assert.equal(stored.length, size, `${size} B: stored length`);
      assert.equal(md5(stored), file.md5, `${size} B: stored bytes differ`);
    }
    assert.equal(f.callsTo('/api/task/upload/init').length, sizes.length, 'one init per file: no URL was refreshed');
  }

  it('uploads 0 B, 1 B, one part, one part + 1 and many parts byte-identical with SigV2 query auth (no Content-Type signed)', async () => {
    await uploadsByteIdentical('s3', SIZES);
  });

  it('uploads the same sizes byte-identical with SigV4 query auth', async () => {
    await uploadsByteIdentical('v4', SIZES);
  });

  it('uploads with a Content-Type the server signs, set through --part-content-type', async () => {
    await uploadsByteIdentical('s3', [1, CHUNK + 1], 'binary/octet-stream');
  });

  it("fails at once with the store's own words when a part PUT does not match its signature, without asking for new URLs", async () => {
    const f = await front('s3', 'binary/octet-stream');
    const file = writeRandomFile(dir.path, 'unsigned-type.bin', CHUNK + 1);
    const result = await upload(f, file.path, 'unsigned-type');
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /SignatureDoesNotMatch/);
    assert.match(result.stderr, /signature we calculated does not match/);
    assert.equal(f.callsTo('/api/task/upload/init').length, 1, 'a refused signature is not an expired URL');
  });

  it('downloads a multipart object in ranges, byte-identical, and reports how it checked it', async () => {
    const f = await front('s3');
    const data = writeRandomFile(dir.path, 'multi.bin', 3 * CHUNK + 12_345);
    await f.putMultipart('inputs/multi.bin', data.data, CHUNK);
    f.setInput('multi-in', 'inputs/multi.bin', 'multi-copy.bin');
    const out = join(dir.path, 'downloads');
    const result = await cli(['download', '--subtask', 'multi-in', '--out', out, '--endpoint', f.url, '--token', TOKEN, '--chunk-size', String(CHUNK), '--concurrency', '4', '--json', '--state-dir', join(dir.path, 'state-dl')]).done;
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as { size: number; md5: string | null; state: string; etag: string | null; integrity: string | null };
    assert.equal(summary.state, 'completed');
    assert.equal(summary.size, data.data.length);
    assert.ok(readFileSync(join(out, 'multi-copy.bin')).equals(data.data));
    // s3rver gives an object completed from parts the MD5 of its bytes as ETag (S3 itself gives "<md5 of part md5s>-N"):
    // the transfer checks the bytes against that ETag, and says so.
    assert.equal(summary.md5, data.md5);
    assert.equal(summary.etag, `"${data.md5}"`);
    assert.equal(summary.integrity, 'md5');
  });
});
