// The object store helpers: streamed receive (with a last-word check), concatenation, deterministic content, Range parsing.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { concatFiles, deterministicChunks, generateFile, receiveToFile } from '../../../emulator/store/files';
import { parseRange } from '../../../emulator/store/range';
import { md5, randomData } from './helpers';

describe('emulator · store helpers', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'datahub-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('receives a stream into a file with its size and MD5, counting bytes', async () => {
    const chunks = [randomData(70_000), randomData(1), randomData(200_000)];
    let counted = 0;
    const stored = await receiveToFile(Readable.from(chunks), join(dir, 'a', 'b.bin'), (n) => (counted += n));
    const whole = Buffer.concat(chunks);
    assert.deepEqual(stored, { size: whole.length, md5: md5(whole) });
    assert.equal(counted, whole.length);
    assert.ok(readFileSync(join(dir, 'a', 'b.bin')).equals(whole));
  });

  it('keeps the previous file and leaves no temp file when the last-word check refuses', async () => {
    const dest = join(dir, 'part');
    writeFileSync(dest, 'good');
    await assert.rejects(receiveToFile(Readable.from([Buffer.from('bad')]), dest, undefined, () => 'cut off'), /cut off/);
    assert.equal(readFileSync(dest, 'utf8'), 'good');
    assert.deepEqual(readdirSync(dir), ['part']);
  });

  it('concatenates files in the order given', async () => {
    const parts = [randomData(1000), randomData(0), randomData(3000)];
    const paths = parts.map((p, i) => {
      const path = join(dir, `p${i}`);
      writeFileSync(path, p);
      return path;
    });
    const result = await concatFiles([paths[2], paths[0], paths[1]], join(dir, 'out'));
    const whole = Buffer.concat([parts[2], parts[0], parts[1]]);
    assert.deepEqual(result, { size: 4000, md5: md5(whole) });
    assert.ok(readFileSync(join(dir, 'out')).equals(whole));
    assert.equal(existsSync(join(dir, 'out')), true);
  });

  it('generates the same content for the same seed, other content for another', async () => {
    const a = await generateFile(join(dir, 'a'), 1_500_000, 'seed');
    const b = Buffer.concat([...deterministicChunks(1_500_000, 'seed', 4096)]);
    const c = await generateFile(join(dir, 'c'), 1_500_000, 'other');
    assert.equal(a.md5, md5(b));
    assert.equal(a.size, 1_500_000);
    assert.notEqual(c.md5, a.md5);
  });

  describe('parseRange', () => {
    const cases: [string | undefined, number, ReturnType<typeof parseRange>][] = [
      [undefined, 10, { kind: 'full' }],
      ['bytes=0-0', 10, { kind: 'partial', start: 0, end: 0 }],
      ['bytes=2-5', 10, { kind: 'partial', start: 2, end: 5 }],
      ['bytes=2-', 10, { kind: 'partial', start: 2, end: 9 }],
      ['bytes=-3', 10, { kind: 'partial', start: 7, end: 9 }],
      ['bytes=5-100', 10, { kind: 'partial', start: 5, end: 9 }],
      ['bytes=10-', 10, { kind: 'unsatisfiable' }],
      ['bytes=-0', 10, { kind: 'unsatisfiable' }],
      ['bytes=0-', 0, { kind: 'unsatisfiable' }],
      ['bytes=5-2', 10, { kind: 'full' }],
      ['bytes=0-1,3-4', 10, { kind: 'full' }],
      ['items=0-1', 10, { kind: 'full' }],
    ];
    for (const [header, size, expected] of cases) {
      it(`${header ?? '(none)'} on ${size} bytes → ${JSON.stringify(expected)}`, () => assert.deepEqual(parseRange(header, size), expected));
    }
  });
});
