// The emulated Kubo node through the extension's IPFS client: CIDs equal Kubo's (checked with Debian's ipfs_cid), ranged cat, id.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IpfsClient } from '../../../src/api/ipfs/client';
import { ApiError } from '../../../src/api/errors';
import { silentLogger } from '../../../src/api/logger';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import { tempDir } from '../helpers/emulator';

const IPFS_CID = '/usr/bin/ipfs_cid';

/** Kubo's CIDv0 of a file, as computed by an independent implementation (Debian package ipfs-cid). */
function kuboCid(path: string): string {
  const out = execFileSync(IPFS_CID, [path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const match = /"CIDv0"\s*:\s*"(Qm[1-9A-HJ-NP-Za-km-z]{44})"/.exec(out);
  if (!match) throw new Error(`ipfs_cid printed no CIDv0: ${out}`);
  return match[1];
}

describe('kubo emulator + IpfsClient', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let dataDir: string;
  let dir: string;
  let ipfs: IpfsClient;

  before(async function () {
    if (!existsSync(IPFS_CID)) this.skip();
    dataDir = tempDir('datahub-kubo-emu-');
    dir = tempDir('datahub-kubo-files-');
    emulator = await startEmulator({ dataDir, backends: ['kubo'] });
    ipfs = new IpfsClient({ apiUrl: () => emulator.url, logger: silentLogger });
  });
  after(async () => {
    await emulator?.close();
    for (const d of [dataDir, dir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  const MIB = 1024 * 1024;
  for (const size of [0, 1, 262_144, 262_145, 6 * MIB + 12_345, 44 * MIB + 1]) {
    it(`adds ${size} bytes with the CID Kubo gives, and cats them back`, async () => {
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
      // The node's own progress lines arrive while it imports (one per 256 KiB here), not only at the end.
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

  it('answers id with a valid peer id and refuses unknown CIDs like Kubo', async () => {
    const id = await ipfs.id();
    assert.match(id, /^12D3KooW[1-9A-HJ-NP-Za-km-z]+$/);
    assert.equal(await ipfs.id(), id);
    assert.match(await ipfs.version(), /^\d+\.\d+\.\d+/);
    await assert.rejects(ipfs.catBytes('QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG', { maxBytes: 10 }), (e: unknown) => e instanceof ApiError && e.service === 'ipfs' && /not found/.test(e.message));
  });

  it('serves get as a tar archive and pin/add, only over POST', async () => {
    const path = join(dir, 'tarred');
    const bytes = randomBytes(1000);
    writeFileSync(path, bytes);
    const { cid } = await ipfs.addFile(path);
    const tar = Buffer.from(await (await fetch(`${emulator.url}/api/v0/get?arg=${cid}`, { method: 'POST' })).arrayBuffer());
    assert.equal(tar.subarray(0, cid.length).toString(), cid);
    assert.ok(tar.subarray(512, 1512).equals(bytes));
    assert.equal(tar.length % 512, 0);
    const pin = (await (await fetch(`${emulator.url}/api/v0/pin/add?arg=${cid}`, { method: 'POST' })).json()) as { Pins: string[] };
    assert.deepEqual(pin.Pins, [cid]);
    assert.equal((await fetch(`${emulator.url}/api/v0/cat?arg=${cid}`)).status, 405);
  });

  it('reports an unreachable node as a network ApiError naming the URL', async () => {
    const offline = new IpfsClient({ apiUrl: () => 'http://127.0.0.1:9', logger: silentLogger });
    await assert.rejects(offline.id(), (e: unknown) => e instanceof ApiError && e.retryable && /127\.0\.0\.1:9/.test(e.message));
  });
});
