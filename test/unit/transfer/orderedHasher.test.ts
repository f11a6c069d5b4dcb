// The download's in-order hasher: any arrival order, chunking and repeats give the file's MD5 and multipart
// ETags; the window bounds what is held, the rest is read back from the file; a missing range is an error.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { verifyCompositeEtag } from '../../../src/transfer/compositeEtag';
import { OrderedHasher } from '../../../src/transfer/orderedHasher';
import { planParts } from '../../../src/transfer/parts';
import { tempDir } from '../helpers/emulator';

/** A small deterministic generator (the test's shuffles must be reproducible). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

interface Chunk {
  offset: number;
  data: Buffer;
}

/** Ranges of `partSize`, each cut into chunks of up to `chunk` bytes, streams interleaved at random (as concurrent GETs land). */
function arrivals(data: Buffer, partSize: number, chunk: number, random: () => number): Chunk[] {
  const streams = planParts(data.length, partSize).parts.map((p) => {
    const out: Chunk[] = [];
    for (let o = p.start; o < p.end; o += chunk) out.push({ offset: o, data: data.subarray(o, Math.min(p.end, o + chunk)) });
    return out;
  });
  const order: Chunk[] = [];
  const live = streams.filter((s) => s.length > 0);
  while (live.length > 0) {
    const i = Math.floor(random() * Math.min(live.length, 4));
    const next = live[i].shift();
    if (next) order.push(next);
    if (live[i].length === 0) live.splice(i, 1);
  }
  return order;
}

describe('ordered hasher (verify while downloading)', () => {
  const dir = tempDir();
  const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

  for (const { size, part, chunk, window, seed } of [
    { size: 0, part: 1024, chunk: 100, window: 0, seed: 1 },
    { size: 1, part: 1024, chunk: 100, window: 0, seed: 2 },
    { size: 10_000, part: 1024, chunk: 100, window: 1 << 20, seed: 3 },
    { size: 10_000, part: 1024, chunk: 100, window: 0, seed: 4 },
    { size: 100_003, part: 8192, chunk: 1000, window: 5000, seed: 5 },
    { size: 3 * 1024 * 1024 + 17, part: 256 * 1024, chunk: 65536, window: 512 * 1024, seed: 6 },
  ]) {
    it(`${size} bytes, parts of ${part}, chunks of ${chunk}, window ${window}: MD5 and multipart ETags as a second pass would give`, async () => {
      const data = randomBytes(size);
      const path = join(dir, `f-${seed}.bin`);
      writeFileSync(path, data);
      const handle = await open(path, 'r');
      let maxHeld = 0;
      try {
        const hasher = new OrderedHasher({
          size,
          windowBytes: window,
          compositePartSizes: [part, 5 * 1024 * 1024],
          readAt: async (offset, length) => {
            const b = Buffer.alloc(length);
            const { bytesRead } = await handle.read(b, 0, length, offset);
            return b.subarray(0, bytesRead);
          },
        });
        const random = rng(seed);
        for (const c of arrivals(data, part, chunk, random)) {
          hasher.push(c.offset, c.data);
          maxHeld = Math.max(maxHeld, hasher['heldBytes']);
          // A retried range sends some bytes again now and then.
          if (random() < 0.05) hasher.push(c.offset, c.data);
        }
        const result = await hasher.finish();
        assert.equal(result.md5, md5(data));
        for (const p of [part, 5 * 1024 * 1024]) {
          const viaFile = await verifyCompositeEtag(path, size, { hex: result.composite.get(p) ?? '', parts: Math.max(1, Math.ceil(size / p)) }, p);
          assert.ok(viaFile !== undefined, `composite for part size ${p} matches the file's`);
        }
        assert.ok(maxHeld <= window, `held ${maxHeld} bytes, window ${window}`);
        if (window === 0 && size > part) assert.ok(result.bytesReadBack > 0, 'with no window, what came ahead was read back');
        if (window >= size) assert.equal(result.bytesReadBack, 0, 'a window as big as the file reads nothing back');
      } finally {
        await handle.close();
      }
    });
  }

  it('in-order arrival is hashed at once and holds nothing', async () => {
    const data = randomBytes(50_000);
    const hasher = new OrderedHasher({ size: data.length, windowBytes: 0, readAt: () => Promise.reject(new Error('no read-back expected')) });
    for (let o = 0; o < data.length; o += 4096) {
      hasher.push(o, data.subarray(o, o + 4096));
      assert.equal(hasher.position, Math.min(data.length, o + 4096));
    }
    assert.equal((await hasher.finish()).md5, md5(data));
  });

  it('a range never written is an error naming the missing bytes, not a wrong MD5', async () => {
    const data = randomBytes(3000);
    const hasher = new OrderedHasher({ size: 3000, windowBytes: 10_000, readAt: () => Promise.reject(new Error('unexpected')) });
    hasher.push(0, data.subarray(0, 1000));
    hasher.push(2000, data.subarray(2000));
    await assert.rejects(hasher.finish(), /bytes 1000–2999 were never reported written/);
  });

  it('a failing read-back is reported by finish', async () => {
    const data = randomBytes(3000);
    const hasher = new OrderedHasher({ size: 3000, windowBytes: 0, readAt: () => Promise.reject(new Error('EIO: disk gone')) });
    hasher.push(1000, data.subarray(1000));
    hasher.push(0, data.subarray(0, 1000));
    await assert.rejects(hasher.finish(), /EIO: disk gone/);
  });
});
