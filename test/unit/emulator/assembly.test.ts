// The incremental object assembly: parts in any order, a part replaced after it was appended, a mismatching list.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssemblyTracker, type PartRef } from '../../../emulator/store/assembly';
import { until } from '../helpers/until';
import { md5, randomData } from './helpers';

describe('emulator · incremental assembly', () => {
  let dir: string;
  let parts: Map<number, PartRef>;
  let tracker: AssemblyTracker;
  const lookup = (n: number) => parts.get(n);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'datahub-assembly-'));
    parts = new Map();
    tracker = new AssemblyTracker();
  });
  afterEach(async () => {
    await tracker.disposeAll();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Stores part n the way the PUT route does (temp file + rename, then a new record) and tells the tracker. */
  function store(n: number, data: Buffer): void {
    const path = join(dir, String(n));
    writeFileSync(`${path}.tmp`, data);
    renameSync(`${path}.tmp`, path);
    parts.set(n, { path, record: { size: data.length, md5: md5(data) } });
    tracker.partStored('u1', join(dir, 'assembling'), lookup);
  }

  const records = (n: number) => Array.from({ length: n }, (_x, i) => parts.get(i + 1)?.record ?? { size: -1, md5: '' });

  it('assembles parts that arrive out of order, in part order', async () => {
    const chunks = [randomData(3000), randomData(1), randomData(2_500_000), randomData(0), randomData(10)];
    for (const n of [3, 5, 1, 4, 2]) store(n, chunks[n - 1]);
    const whole = Buffer.concat(chunks);
    const result = await tracker.finish('u1', records(5));
    assert.ok(result, 'assembled while the parts arrived');
    assert.equal(result.size, whole.length);
    assert.equal(result.md5, md5(whole));
    assert.ok(readFileSync(result.path).equals(whole));
  });

  it('rolls back when an appended part is stored again with other content', async () => {
    const a = randomData(5000);
    const b = randomData(7000);
    store(1, a);
    store(2, b);
    // Both parts appended (the partial object has their size) before part 1 comes again.
    await until('parts 1 and 2 appended', () => ((statSync(join(dir, 'assembling'), { throwIfNoEntry: false })?.size ?? 0) === 12_000 ? true : undefined));
    const a2 = randomData(4000);
    store(1, a2);
    const result = await tracker.finish('u1', records(2));
    assert.ok(result);
    assert.equal(result.md5, md5(Buffer.concat([a2, b])));
    assert.equal(result.size, 11_000);
    assert.ok(readFileSync(result.path).equals(Buffer.concat([a2, b])));
  });

  it('gives nothing (complete then concatenates) when the list differs from what was appended', async () => {
    store(1, randomData(100));
    store(2, randomData(100));
    assert.equal(await tracker.finish('u1', records(1)), undefined);
  });

  it('gives nothing when a part is missing', async () => {
    store(1, randomData(100));
    store(3, randomData(100));
    assert.equal(await tracker.finish('u1', [...records(1), { size: 100, md5: md5('x') }, parts.get(3)?.record ?? { size: 0, md5: '' }]), undefined);
  });
});
