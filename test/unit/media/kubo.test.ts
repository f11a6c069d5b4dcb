// The emulated Kubo node through the extension's IPFS client: CIDs equal Kubo's (checked with Debian's ipfs_cid), ranged cat, id.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IpfsClient } from '../../../src/api/ipfs/client';
import { ApiError } from '../../../src/api/errors';
import { silentLogger } from '../../../src/api/logger';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import { tempDir } from '../helpers/emulator';
import { kuboRoundTrips } from './kuboScenarios';
import { IPFS_CID, kuboCid } from './scenarios';

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

  kuboRoundTrips(() => ({ ipfs, dir }));

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

  interface KuboState {
    kubo: { last_add: { cid_version: string | null; raw_leaves: string | null; chunker: string | null } | null };
  }
  const admin = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${emulator.url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as T;
  };

  // A user's Kubo may import with CIDv1, raw leaves or 1 MiB chunks (its Import.* config): the add says how.
  for (const config of [{ cid_version: 1 }, { raw_leaves: true }, { chunk_size: 1024 * 1024 }]) {
    it(`adds with the CID the backend expects whatever the node's Import config (${JSON.stringify(config)})`, async () => {
      await admin('/_emulator/kubo/config', { import: config });
      try {
        const path = join(dir, `config-${Object.keys(config)[0]}`);
        writeFileSync(path, randomBytes(3 * 262_144 + 17));
        const added = await ipfs.addFile(path);
        assert.equal(added.cid, kuboCid(path));
        const state = await admin<KuboState>('/_emulator/state');
        assert.deepEqual(state.kubo.last_add, { cid_version: '0', raw_leaves: 'false', chunker: 'size-262144' });
      } finally {
        await admin('/_emulator/kubo/config', { import: null });
      }
    });
  }

  it('gives up on a cat the node never answers, with a clear error, instead of waiting forever', async () => {
    const path = join(dir, 'never');
    writeFileSync(path, randomBytes(1000));
    const { cid } = await ipfs.addFile(path);
    const impatient = new IpfsClient({ apiUrl: () => emulator.url, logger: silentLogger, timeoutMs: () => 300 });
    await admin('/_emulator/faults', { route: 'ipfs_cat', hang_rate: 1 });
    try {
      await assert.rejects(
        impatient.catBytes(cid, { maxBytes: 10_000 }),
        (e: unknown) => e instanceof ApiError && e.code === 'NOT_FOUND_IN_TIME' && !e.retryable && /returned nothing within 0\.3 s.*datahub\.ipfs\.timeoutSeconds/s.test(e.message),
      );
      await assert.rejects(impatient.catToFile(cid, join(dir, 'never-out')), (e: unknown) => e instanceof ApiError && e.code === 'NOT_FOUND_IN_TIME');
    } finally {
      await fetch(`${emulator.url}/_emulator/faults`, { method: 'DELETE' });
    }
    // The same client still works once the node answers again.
    assert.equal((await impatient.catBytes(cid, { maxBytes: 10_000 })).length, 1000);
  });

  it('answers a cat from an offset past the end with no bytes, as Kubo does', async () => {
    const path = join(dir, 'short');
    writeFileSync(path, randomBytes(500));
    const { cid } = await ipfs.addFile(path);
    const response = await fetch(`${emulator.url}/api/v0/cat?arg=${cid}&offset=900`, { method: 'POST' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-content-length'), '0');
    assert.equal((await response.arrayBuffer()).byteLength, 0);
  });

  it('reports an unreachable node as a network ApiError naming the URL', async () => {
    const offline = new IpfsClient({ apiUrl: () => 'http://127.0.0.1:9', logger: silentLogger });
    await assert.rejects(offline.id(), (e: unknown) => e instanceof ApiError && e.retryable && /127\.0\.0\.1:9/.test(e.message));
  });
});
