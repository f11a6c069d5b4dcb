// The hash cache: unchanged files are not hashed again, a changed one never gets a stale entry (also when the
// edit restores the mtime), racy entries are not kept, the file is bounded, shared between processes, and robust.
import * as assert from 'node:assert/strict';
import { statSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileIdentity, isRacy, timestampGranularityNs, type FileIdentity } from '../../../src/transfer/fileIdentity';
import { HashCache, hashWithCache } from '../../../src/transfer/hashCache';
import { HASH_CACHE_FILE } from '../../../src/transfer/hashCacheFile';
import { md5FileAndParts } from '../../../src/transfer/md5';
import { tempDir } from '../helpers/emulator';

const SECOND = 1_000_000_000n;

/** A clock a minute ahead of the files' times: every file in these tests is old enough not to be racy. */
const later = (): bigint => BigInt(Date.now()) * 1_000_000n + 60n * SECOND;

function identity(over: Partial<FileIdentity> = {}): FileIdentity {
  return { dev: '2049', ino: '77', size: 10, mtimeNs: '1700000000123456789', ctimeNs: '1700000000123456789', ...over };
}

const MD5_A = 'a'.repeat(32);
const MD5_B = 'b'.repeat(32);

/** Waits (by polling a scratch file's ctime, not by sleeping) until the file system's clock has moved past `ctimeNs`. */
async function untilClockPasses(dir: string, ctimeNs: string): Promise<void> {
  const scratch = join(dir, 'clock-probe');
  for (;;) {
    await writeFile(scratch, String(Math.random()));
    if ((await fileIdentity(scratch)).ctimeNs > ctimeNs) return;
  }
}

describe('hash cache', () => {
  const root = tempDir();
  let n = 0;
  const folder = (): string => join(root, `cache-${++n}`);

  it('hashes a file once: the second upload of the unchanged file takes MD5 and part MD5s from the cache', async () => {
    const dir = folder();
    const cache = new HashCache({ folder: dir, nowNs: later });
    const file = join(root, 'same.bin');
    writeFileSync(file, Buffer.alloc(3 * 1024 + 5, 7));
    let passes = 0;
    const hash = (): Promise<{ md5: string; partMd5s?: string[] }> => {
      passes++;
      return md5FileAndParts(file, { partSize: 1024 });
    };
    const first = await hashWithCache(cache, file, 1024, hash);
    const second = await hashWithCache(cache, file, 1024, hash);
    assert.equal(passes, 1);
    assert.equal(first.cached, false);
    assert.equal(second.cached, true);
    assert.equal(second.md5, first.md5);
    assert.deepEqual(second.partMd5s, first.partMd5s);
    assert.equal(second.partMd5s?.length, 4);
    // Another part size is a miss (its part MD5s are not known), then both are kept.
    const other = await hashWithCache(cache, file, 2048, () => {
      passes++;
      return md5FileAndParts(file, { partSize: 2048 });
    });
    assert.equal(other.cached, false);
    assert.equal(passes, 2);
    assert.equal((await hashWithCache(cache, file, 1024, hash)).cached, true);
    assert.equal((await hashWithCache(cache, file, 2048, hash)).cached, true);
    // Without a part size, the whole MD5 alone is enough.
    assert.equal((await hashWithCache(cache, file, undefined, hash)).md5, first.md5);
    assert.equal(passes, 2);
    // A new process (the CLI after the extension) reads the same folder.
    await cache.flush();
    assert.equal(statSync(join(dir, HASH_CACHE_FILE)).mode & 0o777, 0o600, 'the cache names the user\'s files: owner-only');
    const again = await new HashCache({ folder: dir, nowNs: later }).get(await fileIdentity(file), 1024);
    assert.deepEqual(again, { md5: first.md5, partMd5s: first.partMd5s });
  });

  it('never uses a stale entry: an edit of the same size that restores the mtime is seen by its ctime', async () => {
    const dir = folder();
    const cache = new HashCache({ folder: dir, nowNs: later });
    const file = join(root, 'edited.bin');
    writeFileSync(file, 'version one, ten bytes.');
    // Whole seconds, so that restoring them below is exact (utimes takes seconds as a double).
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    const original = statSync(file, { bigint: true });
    const before = await hashWithCache(cache, file, undefined, () => md5FileAndParts(file));
    assert.equal(before.cached, false);
    assert.ok(await cache.get(await fileIdentity(file)), 'recorded');

    await untilClockPasses(root, (await fileIdentity(file)).ctimeNs);
    writeFileSync(file, 'version TWO, ten bytes.');
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    const now = await fileIdentity(file);
    assert.equal(BigInt(now.size), original.size);
    assert.equal(now.mtimeNs, String(original.mtimeNs), 'size and mtime are exactly as they were');

    let passes = 0;
    const after = await hashWithCache(cache, file, undefined, () => {
      passes++;
      return md5FileAndParts(file);
    });
    assert.equal(passes, 1, 'hashed again');
    assert.equal(after.cached, false);
    assert.notEqual(after.md5, before.md5);
  });

  it('an entry matches only the exact identity: inode, device, size, mtime and ctime each make a miss', async () => {
    const cache = new HashCache({ folder: folder(), nowNs: later });
    assert.equal(await cache.put(identity(), later(), { md5: MD5_A }), true);
    assert.deepEqual(await cache.get(identity()), { md5: MD5_A, partMd5s: undefined });
    for (const change of [{ ino: '78' }, { dev: '2050' }, { size: 11 }, { mtimeNs: '1700000000123456790' }, { ctimeNs: '1700000005000000001' }]) {
      assert.equal(await cache.get(identity(change)), undefined, JSON.stringify(change));
    }
    // A new version of the same file replaces the entry.
    await cache.put(identity({ ctimeNs: '1700000009000000001', mtimeNs: '1700000009000000001' }), later(), { md5: MD5_B });
    assert.equal(await cache.get(identity()), undefined);
    assert.equal(await cache.size(), 1);
  });

  it('does not keep a racy entry: a file changed within the clock granularity of the hash pass', async () => {
    const cache = new HashCache({ folder: folder(), nowNs: later });
    const changed = 1_700_000_000_123_456_789n;
    const id = identity({ ctimeNs: String(changed), mtimeNs: String(changed) });
    assert.equal(isRacy(id, changed + 10_000_000n), true);
    assert.equal(await cache.put(id, changed + 10_000_000n, { md5: MD5_A }), false);
    assert.equal(await cache.get(id), undefined);
    assert.equal(isRacy(id, changed + SECOND), false);
    // A file system with whole-second times (FAT, some network shares) needs 2 s.
    const coarse = identity({ ctimeNs: '1700000000000000000', mtimeNs: '1700000000000000000' });
    assert.equal(timestampGranularityNs(coarse), 2n * SECOND);
    assert.equal(isRacy(coarse, 1_700_000_001_500_000_000n), true);
    assert.equal(isRacy(coarse, 1_700_000_002_500_000_000n), false);
  });

  it('a file changed while it was hashed is not recorded', async () => {
    const cache = new HashCache({ folder: folder(), nowNs: later });
    const file = join(root, 'moving.bin');
    writeFileSync(file, 'first');
    const result = await hashWithCache(cache, file, undefined, async () => {
      const md5 = (await md5FileAndParts(file)).md5;
      await untilClockPasses(root, (await fileIdentity(file)).ctimeNs);
      writeFileSync(file, 'second, longer');
      return { md5 };
    });
    assert.equal(result.cached, false);
    assert.equal(await cache.size(), 0);
  });

  it('stays within its bounds, dropping the least recently used first; a file with too many parts keeps its MD5 only', async () => {
    const dir = folder();
    const cache = new HashCache({ folder: dir, nowNs: later, maxEntries: 3, maxPartHashes: 4 });
    for (let i = 1; i <= 3; i++) await cache.put(identity({ ino: String(i) }), later(), { md5: MD5_A });
    // Using 1 makes 2 the least recently used.
    assert.ok(await cache.get(identity({ ino: '1' })));
    await cache.put(identity({ ino: '4' }), later(), { md5: MD5_A });
    assert.equal(await cache.size(), 3);
    assert.equal(await cache.get(identity({ ino: '2' })), undefined);
    assert.ok(await cache.get(identity({ ino: '1' })));
    // 10 bytes in parts of 2: five part MD5s, more than the 4 allowed in all.
    await cache.put(identity({ ino: '5' }), later(), { md5: MD5_B, partSize: 2, partMd5s: Array.from({ length: 5 }, () => MD5_A) });
    assert.equal(await cache.get(identity({ ino: '5' }), 2), undefined);
    assert.deepEqual(await cache.get(identity({ ino: '5' })), { md5: MD5_B, partMd5s: undefined });
    await cache.flush();
    const onDisk = JSON.parse(await readFile(join(dir, HASH_CACHE_FILE), 'utf8')) as { entries: Record<string, unknown> };
    assert.equal(Object.keys(onDisk.entries).length, 3);
  });

  it('merges what another process wrote; a broken or foreign file is an empty cache, never a wrong hash', async () => {
    const dir = folder();
    const extension = new HashCache({ folder: dir, nowNs: later });
    const cli = new HashCache({ folder: dir, nowNs: later });
    await extension.get(identity());
    await cli.put(identity({ ino: '100' }), later(), { md5: MD5_A });
    await extension.put(identity({ ino: '200' }), later(), { md5: MD5_B });
    await extension.flush();
    const fresh = new HashCache({ folder: dir, nowNs: later });
    assert.deepEqual(await fresh.get(identity({ ino: '100' })), { md5: MD5_A, partMd5s: undefined });
    assert.deepEqual(await fresh.get(identity({ ino: '200' })), { md5: MD5_B, partMd5s: undefined });

    for (const text of ['not json', '{"version":2,"entries":{}}', JSON.stringify({ version: 1, entries: { '2049:77': { ...identity(), md5: 'not-an-md5', parts: {}, usedAt: 1 } } })]) {
      await writeFile(join(dir, HASH_CACHE_FILE), text);
      const reader = new HashCache({ folder: dir, nowNs: later });
      assert.equal(await reader.get(identity()), undefined, text);
      assert.equal(await reader.size(), 0);
    }
    await extension.clear();
    assert.equal(await extension.size(), 0);
  });
});
