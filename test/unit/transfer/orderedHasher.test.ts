// The download's in-order hasher: any arrival order, chunking and repeats give the file's MD5 and multipart
// ETags, hashed by a worker that reads the written prefix back from the file; a missing range is an error.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { OrderedHasher } from '../../../src/transfer/orderedHasher';
import { planParts } from '../../../src/transfer/parts';
import { tempDir } from '../helpers/emulator';
import { until } from '../helpers/until';

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

/** What a store computes, written here from its definition: MD5 over the binary MD5s of the parts (one for 0 bytes). */
function compositeOf(data: Buffer, partSize: number): string {
  const whole = createHash('md5');
  for (let start = 0; start < Math.max(1, data.length); start += partSize) whole.update(createHash('md5').update(data.subarray(start, start + partSize)).digest());
  return whole.digest('hex');
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

  /** A file of `size` zero bytes being downloaded into, open for reading and writing as the part file is. */
  async function partFile(name: string, size: number): Promise<FileHandle> {
    const handle = await open(join(dir, name), 'w+');
    await handle.truncate(size);
    return handle;
  }

  for (const { size, part, chunk, step, seed } of [
    { size: 0, part: 1024, chunk: 100, step: 1, seed: 1 },
    { size: 1, part: 1024, chunk: 100, step: 1, seed: 2 },
    { size: 10_000, part: 1024, chunk: 100, step: 1, seed: 3 },
    { size: 10_000, part: 1024, chunk: 100, step: 1 << 20, seed: 4 },
    { size: 100_003, part: 8192, chunk: 1000, step: 5000, seed: 5 },
    { size: 3 * 1024 * 1024 + 17, part: 256 * 1024, chunk: 65536, step: 1 << 20, seed: 6 },
  ]) {
    it(`${size} bytes, parts of ${part}, chunks of ${chunk} in any order, handed over every ${step}: MD5 and multipart ETags as a second pass would give`, async () => {
      const data = randomBytes(size);
      const handle = await partFile(`f-${seed}.bin`, size);
      try {
        const hasher = new OrderedHasher({ fd: handle.fd, size, compositePartSizes: [part, 5 * 1024 * 1024], stepBytes: step });
        const random = rng(seed);
        for (const c of arrivals(data, part, chunk, random)) {
          // Written first, then reported, as the download does.
          await handle.write(c.data, 0, c.data.length, c.offset);
          hasher.push(c.offset, c.data.length);
          // A retried range sends some bytes again now and then.
          if (random() < 0.05) hasher.push(c.offset, c.data.length);
        }
        const result = await hasher.finish();
        assert.equal(result.md5, md5(data));
        assert.equal(result.bytesReadBack, size, 'every byte hashed once');
        for (const p of [part, 5 * 1024 * 1024]) assert.equal(result.composite.get(p), compositeOf(data, p), `composite for part size ${p}`);
      } finally {
        await handle.close();
      }
    });
  }

  it('hashes while the download goes on: what was written is hashed before the last range lands, not read again at the end', async () => {
    const size = 4 * 1024 * 1024;
    const tail = 64 * 1024;
    const data = randomBytes(size);
    const handle = await partFile('early.bin', size);
    try {
      const hasher = new OrderedHasher({ fd: handle.fd, size, stepBytes: 64 * 1024 });
      await handle.write(data, 0, size - tail, 0);
      hasher.push(0, size - tail);
      await until('the worker has hashed the written prefix', () => (hasher.hashed === size - tail ? true : undefined));
      // Were those bytes read again at the end, this would change the MD5.
      await handle.write(Buffer.alloc(size - tail), 0, size - tail, 0);
      await handle.write(data, size - tail, tail, size - tail);
      hasher.push(size - tail, tail);
      const result = await hasher.finish();
      assert.equal(result.md5, md5(data));
      assert.equal(result.bytesReadBack, size);
    } finally {
      await handle.close();
    }
  });

  it('a range never written is an error naming the missing bytes, not a wrong MD5', async () => {
    const handle = await partFile('gap.bin', 3000);
    try {
      const hasher = new OrderedHasher({ fd: handle.fd, size: 3000 });
      hasher.push(0, 1000);
      hasher.push(2000, 1000);
      await assert.rejects(hasher.finish(), /bytes 1000–2999 were never reported written/);
    } finally {
      await handle.close();
    }
  });

  it('a file shorter than what was reported written fails finish, naming where it ends', async () => {
    const handle = await partFile('short.bin', 1000);
    try {
      const hasher = new OrderedHasher({ fd: handle.fd, size: 3000 });
      hasher.push(0, 3000);
      await assert.rejects(hasher.finish(), /the file ends at byte 1000 although 3000 bytes were written/);
    } finally {
      await handle.close();
    }
  });

  it('dispose stops the worker of a download that will not finish (nothing keeps running)', async () => {
    const handle = await partFile('cancelled.bin', 10_000);
    try {
      const hasher = new OrderedHasher({ fd: handle.fd, size: 10_000 });
      hasher.push(0, 5000);
      await hasher.dispose();
      assert.equal(hasher['worker'].threadId, -1, 'the worker thread is gone');
    } finally {
      await handle.close();
    }
  });
});
