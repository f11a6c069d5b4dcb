// The IPFS client and the media flows against an IPFS implementation we did not write: js-ipfs's daemon,
// which serves the Kubo RPC API; CIDs checked with Debian's ipfs_cid, as against the emulator's Kubo subset.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { IpfsClient } from '../../src/api/ipfs/client';
import { ApiError } from '../../src/api/errors';
import { silentLogger } from '../../src/api/logger';
import { startJsIpfs } from '../../scripts/lib/thirdPartyServers.mjs';
import { useTempDir } from '../unit/helpers/emulator';
import { startMediaRig, type MediaRig } from '../unit/media/harness';
import { kuboRoundTrips } from '../unit/media/kuboScenarios';
import { fullMediaFlow, IPFS_CID } from '../unit/media/scenarios';

/** A CID no node here has: the identity of bytes nobody added. */
const ABSENT = 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG';

describe('third-party IPFS node (js-ipfs daemon, Kubo RPC API)', function () {
  this.timeout(120_000);
  const dir = useTempDir('datahub-jsipfs-files-');
  let node: { url: string; stop(): Promise<void> };
  let ipfs: IpfsClient;

  before(async function () {
    this.timeout(600_000); // the first run installs js-ipfs into the tool cache
    if (!existsSync(IPFS_CID)) throw new Error(`${IPFS_CID} is missing: run node scripts/ensure-tools.mjs`);
    node = await startJsIpfs();
    ipfs = new IpfsClient({ apiUrl: () => node.url, logger: silentLogger });
  });
  after(async () => node?.stop());

  it('is a node of its own (not our emulator)', async () => {
    assert.match(await ipfs.id(), /^12D3KooW/);
    assert.match(await ipfs.version(), /^0\.18\./);
  });

  kuboRoundTrips(() => ({ ipfs, dir: dir.path }));

  it('gives up with a clear error on a CID the offline node does not have (it never answers)', async () => {
    const impatient = new IpfsClient({ apiUrl: () => node.url, logger: silentLogger, timeoutMs: () => 2_000 });
    await assert.rejects(impatient.catBytes(ABSENT, { maxBytes: 100 }), (e: unknown) => e instanceof ApiError && e.code === 'NOT_FOUND_IN_TIME' && /returned nothing within 2 s/.test(e.message));
  });

  describe('media flows with the emulator media backend', () => {
    let rig: MediaRig;
    const work = useTempDir('datahub-jsipfs-media-');
    before(async () => {
      rig = await startMediaRig({ ipfsUrl: node.url });
    });
    after(async () => rig?.close());

    it('uploads masters and their private blocks, then downloads and composes one byte for byte', async () => {
      await fullMediaFlow(rig, work.path);
    });
  });
});
