// IPFS round trips through the extension's IpfsClient, shared by the suites against the emulator's Kubo subset
// and against a third-party node: the CID Kubo gives (checked with Debian's ipfs_cid), progress, ranged cat.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IpfsClient } from '../../../src/api/ipfs/client';
import { kuboCid } from './scenarios';

const MIB = 1024 * 1024;
export const ROUND_TRIP_SIZES = [0, 1, 262_144, 262_145, 6 * MIB + 12_345, 44 * MIB + 1];

/** Registers the round-trip tests; `ctx` gives the client and a scratch folder once the suite's `before` ran. */
export function kuboRoundTrips(ctx: () => { ipfs: IpfsClient; dir: string }, sizes: number[] = ROUND_TRIP_SIZES): void {
  for (const size of sizes) {
    it(`adds ${size} bytes with the CID Kubo gives, and cats them back`, async () => {
      const { ipfs, dir } = ctx();
      const path = join(dir, `f-${size}`);
      const bytes = randomBytes(size);
      writeFileSync(path, bytes);
      let progress = 0;
      let calls = 0;
      const added = await ipfs.addFile(path, {
        onBytes: (n) => {
          progress += n;
          calls++;
        },
      });
      // The node's own progress lines arrive while it imports, not only at the end.
      if (size > 4 * 262_144) assert.ok(calls >= Math.floor(size / 262_144) / 2, `${calls} progress reports`);
      assert.equal(added.cid, kuboCid(path));
      assert.equal(added.size, size);
      assert.equal(progress, size);
      const back = join(dir, `back-${size}`);
      let catBytes = 0;
      assert.equal(await ipfs.catToFile(added.cid, back, { onBytes: (n) => (catBytes += n) }), size);
      assert.equal(catBytes, size);
      assert.ok(readFileSync(back).equals(bytes));
    });
  }

  it('cats a range (offset, length) across chunk boundaries and resumes into an existing file', async () => {
    const { ipfs, dir } = ctx();
    const bytes = randomBytes(3 * 262_144 + 999);
    const path = join(dir, 'range');
    writeFileSync(path, bytes);
    const { cid } = await ipfs.addFile(path);
    const slice = join(dir, 'slice');
    await ipfs.catToFile(cid, slice, { offset: 0, length: 262_150 });
    assert.ok(readFileSync(slice).equals(bytes.subarray(0, 262_150)));
    // Continue from where the slice stopped: the file then holds the whole content.
    const size = await ipfs.catToFile(cid, slice, { offset: 262_150 });
    assert.equal(size, bytes.length);
    assert.ok(readFileSync(slice).equals(bytes));
    const mid = await ipfs.catBytes(cid, { maxBytes: bytes.length });
    assert.ok(mid.equals(bytes));
    await assert.rejects(ipfs.catBytes(cid, { maxBytes: 1000 }), /larger than 1000 bytes/);
  });

  it('adds files named __proto__ and constructor like any other', async () => {
    const { ipfs, dir } = ctx();
    for (const name of ['__proto__', 'constructor']) {
      const path = join(dir, `named-${name}`);
      writeFileSync(path, `content of ${name}`);
      const added = await ipfs.addFile(path, { name });
      assert.equal(added.cid, kuboCid(path));
      assert.equal((await ipfs.catBytes(added.cid, { maxBytes: 100 })).toString(), `content of ${name}`);
    }
  });
}
