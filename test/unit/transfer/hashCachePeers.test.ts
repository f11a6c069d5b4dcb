// Where the hash caches are listed: in the product's cache folder ($XDG_CACHE_HOME/datahub-vscode), which the extension
// and the CLI both own; the extension writes nothing into the CLI's state dir, and each finds the other's cache.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultStateDir } from '../../../src/cli/stateDir';
import { announceHashCache, HASH_CACHE_PEERS_FILE, hashCachePeersFor, productCacheDir, readHashCachePeers } from '../../../src/transfer/hashCachePeers';
import { useTempDir } from '../helpers/emulator';

describe('hash cache peers', () => {
  const dir = useTempDir();
  let saved: string | undefined;

  beforeEach(() => {
    saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = join(dir.path, 'xdg');
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  });

  it("lists the extension's cache in the product's folder, not in the CLI's state dir, and the CLI finds it there", async () => {
    const product = join(dir.path, 'xdg', 'datahub-vscode');
    assert.equal(productCacheDir(), product);
    assert.equal(defaultStateDir(), join(product, 'transfers'), "the CLI's default state dir is inside the product's folder");
    const storage = join(dir.path, 'vscode', 'globalStorage', 'datahub');
    await announceHashCache(storage);
    assert.deepEqual(await readHashCachePeers(product), [storage]);
    assert.equal(statSync(join(product, HASH_CACHE_PEERS_FILE)).mode & 0o777, 0o600, 'the list names folders of the user: owner-only');
    assert.equal(existsSync(join(defaultStateDir(), HASH_CACHE_PEERS_FILE)), false, "nothing written into the CLI's state dir");
    assert.equal(existsSync(defaultStateDir()), false, "the CLI's state dir is not even made by the extension");

    // The CLI (default state dir) reads it, and never counts itself as its own peer.
    assert.deepEqual(await hashCachePeersFor(defaultStateDir(), [defaultStateDir()]), [storage]);
  });

  it('still reads a list an older version left in the state dir, for the extension and for a CLI run with another --state-dir', async () => {
    const storage = join(dir.path, 'vscode', 'globalStorage', 'datahub');
    const otherState = join(dir.path, 'elsewhere', 'state');
    await announceHashCache(storage);
    const olderWindow = join(dir.path, 'insiders', 'globalStorage', 'datahub');
    mkdirSync(defaultStateDir(), { recursive: true });
    writeFileSync(join(defaultStateDir(), HASH_CACHE_PEERS_FILE), JSON.stringify([olderWindow, storage]));

    const forExtension = await hashCachePeersFor(storage, [defaultStateDir()]);
    assert.deepEqual(forExtension.sort(), [defaultStateDir(), olderWindow].sort());
    const forCli = await hashCachePeersFor(otherState, [otherState, defaultStateDir()]);
    assert.deepEqual(forCli.sort(), [defaultStateDir(), olderWindow, storage].sort());
  });
});
