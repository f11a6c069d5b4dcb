// Multipart ETags "<hex>-N": parsed in any case, the part size inferred from N and the size, verified in one read
// (the download's hasher, as the product checks them).
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { candidatePartSizes, parseCompositeEtag, type CompositeEtag } from '../../../src/transfer/compositeEtag';
import { OrderedHasher } from '../../../src/transfer/orderedHasher';
import { useTempDir } from '../helpers/emulator';

const MIB = 1024 * 1024;

/** What a store computes, written here from its definition: MD5 over the binary MD5s of the parts. */
function compositeOf(data: Buffer, partSize: number): string {
  const whole = createHash('md5');
  for (let start = 0; start < Math.max(1, data.length); start += partSize) whole.update(createHash('md5').update(data.subarray(start, start + partSize)).digest());
  return `"${whole.digest('hex')}-${Math.max(1, Math.ceil(data.length / partSize))}"`;
}

/** The candidate part size whose composite is `etag`'s, hashing the file as a finished download; and the bytes read. */
async function verify(path: string, size: number, etag: CompositeEtag, chunk: number): Promise<{ found: number | undefined; read: number }> {
  const handle = await open(path, 'r');
  try {
    const hasher = new OrderedHasher({ fd: handle.fd, size, compositePartSizes: candidatePartSizes(size, etag.parts, chunk) });
    hasher.alreadyWritten(0, size);
    const result = await hasher.finish();
    return { found: [...result.composite].find(([, hex]) => hex === etag.hex)?.[0], read: result.bytesReadBack };
  } finally {
    await handle.close();
  }
}

describe('composite (multipart) ETags', () => {
  const dir = useTempDir();

  it('parses quoted and bare, upper- and lower-case forms; refuses plain MD5s and nonsense', () => {
    assert.deepEqual(parseCompositeEtag('"9B2CF535F27731C974343645A3985328-3"'), { hex: '9b2cf535f27731c974343645a3985328', parts: 3 });
    assert.deepEqual(parseCompositeEtag('9b2cf535f27731c974343645a3985328-10000'), { hex: '9b2cf535f27731c974343645a3985328', parts: 10000 });
    for (const bad of ['"9b2cf535f27731c974343645a3985328"', '"xyz-3"', '"9b2cf535f27731c974343645a3985328-0"', '']) assert.equal(parseCompositeEtag(bad), undefined, bad);
  });

  it('tries 5, 8 and 16 MiB and the configured chunk first, and only sizes that give N parts', () => {
    const size = 40 * MIB + 3;
    assert.deepEqual(candidatePartSizes(size, 9, 7 * MIB).slice(0, 1), [5 * MIB]);
    assert.deepEqual(candidatePartSizes(size, 6, 7 * MIB).slice(0, 2), [8 * MIB, 7 * MIB]);
    assert.deepEqual(candidatePartSizes(size, 3, 7 * MIB)[0], 16 * MIB);
    for (const n of [2, 3, 6, 9]) {
      for (const p of candidatePartSizes(size, n, 7 * MIB)) assert.equal(Math.ceil(size / p), n, `${p} gives ${n} parts`);
    }
    assert.ok(candidatePartSizes(size, 9, 7 * MIB).length <= 8);
  });

  for (const [label, size, partSize, chunk] of [
    ['8 MiB parts (a common client default)', 8 * MIB * 2 + 5, 8 * MIB, 5 * MIB],
    ['the configured chunk', 3 * 300_000 + 1, 300_000, 300_000],
    ['whole MiB not in the first list', 6 * MIB * 3 + 1, 6 * MIB, 5 * MIB],
    ['one part', 1234, 5 * MIB, 5 * MIB],
    ['an empty object', 0, 5 * MIB, 5 * MIB],
  ] as const) {
    it(`verifies an object uploaded in ${label}`, async () => {
      const data = randomBytes(size);
      const path = join(dir.path, `c-${size}.bin`);
      writeFileSync(path, data);
      const etag = parseCompositeEtag(compositeOf(data, partSize));
      assert.ok(etag);
      const { found, read } = await verify(path, size, etag, chunk);
      assert.equal(Math.max(1, Math.ceil(size / (found ?? 1))), etag.parts);
      assert.notEqual(found, undefined);
      assert.equal(read, size, 'the file is read once');
    });
  }

  it('finds nothing when a byte differs (or the part size is not a likely one)', async () => {
    const data = randomBytes(2 * 5 * MIB + 7);
    const path = join(dir.path, 'damaged.bin');
    const etag = parseCompositeEtag(compositeOf(data, 5 * MIB));
    data[12345] ^= 1;
    writeFileSync(path, data);
    assert.ok(etag);
    assert.equal((await verify(path, data.length, etag, 5 * MIB)).found, undefined);
  });
});
