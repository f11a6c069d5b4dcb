// The private-block key store: secrets apart from metadata, 0600/0700 on disk, and the move of legacy `.datahub-private/` folders.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encryptToPublicBlock } from '../../../src/transfer/blocks/encrypt';
import { FileSecretStore } from '../../../src/transfer/blocks/fileSecretStore';
import { PrivateBlockStore, secretKeyOf, type SecretStore } from '../../../src/transfer/blocks/keyStore';
import { legacyDirOf, migrateLegacyPrivateBlocks } from '../../../src/transfer/blocks/legacyPrivateBlocks';
import { PRIVATE_DIR, serializePrivateBlock, type PrivateBlock } from '../../../src/transfer/blocks/privateBlock';
import { matchStoredBlocks } from '../../../src/commands/media/files';
import { useTempDir } from '../helpers/emulator';

/** SecretStorage stand-in: what is stored where, for the test to look at. */
class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  get = async (key: string): Promise<string | undefined> => this.values.get(key);
  store = async (key: string, value: string): Promise<void> => void this.values.set(key, value);
  delete = async (key: string): Promise<void> => void this.values.delete(key);
}

async function makeBlock(dir: string, name: string): Promise<PrivateBlock> {
  writeFileSync(join(dir, name), randomBytes(2000));
  return encryptToPublicBlock(join(dir, name), join(dir, `${name}.pub`), { name });
}

describe('private block key store', () => {
  const root = useTempDir('datahub-keys-');
  // Each test its own folder (useTempDir is one per describe).
  let n = 0;
  const tmp = { path: '' };
  beforeEach(() => {
    tmp.path = join(root.path, String(++n));
    mkdirSync(tmp.path);
  });
  const metaDir = (): string => join(tmp.path, 'storage', 'private-blocks');

  it('keeps the key and nonce only in the secret store, and the rest in an owner-only folder', async () => {
    const secrets = new MemorySecrets();
    const store = new PrivateBlockStore(metaDir, secrets);
    const block = await makeBlock(tmp.path, 'ep1.mp4');
    const id = await store.save(block, { sourceName: 'ep1.mp4', uuid: 'u-1', seriesId: 7, folderName: 'S' }, 'u-1');
    const [file] = readdirSync(metaDir());
    const text = readFileSync(join(metaDir(), file), 'utf8');
    assert.ok(!text.includes(block.key) && !text.includes(block.nonce), 'the key or nonce was written to disk');
    assert.ok(secrets.values.get(secretKeyOf(id))?.includes(block.key));
    assert.ok(!secretKeyOf(id).startsWith('datahub.'), 'a credentials key: every view would refresh on each store');
    if (process.platform !== 'win32') {
      assert.equal(statSync(metaDir()).mode & 0o777, 0o700);
      assert.equal(statSync(join(metaDir(), file)).mode & 0o777, 0o600);
    }
    assert.deepEqual(await store.get(id), block);
    assert.deepEqual(await store.bytes(id), serializePrivateBlock(block));
    assert.deepEqual((await store.list()).map((b) => [b.id, b.uuid, b.sourceName, b.seriesId]), [['u-1', 'u-1', 'ep1.mp4', 7]]);
    // Metadata whose secret is gone serves nothing; delete removes both.
    secrets.values.clear();
    assert.equal(await store.get(id), undefined);
    await store.save(block, { sourceName: 'ep1.mp4' }, 'u-1');
    await store.delete(id);
    assert.deepEqual(await store.list(), []);
    assert.equal(secrets.values.size, 0);
  });

  it('refuses an id that could leave its folder', async () => {
    const store = new PrivateBlockStore(metaDir, new MemorySecrets());
    const block = await makeBlock(tmp.path, 'x.mp4');
    await assert.rejects(store.save(block, { sourceName: 'x.mp4' }, '../x'), /letters, digits/);
    assert.equal(existsSync(metaDir()), false);
  });

  it('keeps the CLI secrets in 0600 files of a 0700 folder', async () => {
    const dir = join(tmp.path, 'state', 'secrets');
    const secrets = new FileSecretStore(dir);
    await secrets.store(secretKeyOf('abc'), 'the key');
    assert.equal(await secrets.get(secretKeyOf('abc')), 'the key');
    const [file] = readdirSync(dir);
    assert.ok(!file.includes('/'));
    if (process.platform !== 'win32') {
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.equal(statSync(join(dir, file)).mode & 0o777, 0o600);
    }
    await secrets.delete(secretKeyOf('abc'));
    assert.equal(await secrets.get(secretKeyOf('abc')), undefined);
  });

  it('moves legacy private blocks into the store and removes the emptied .datahub-private folder', async () => {
    const series = join(tmp.path, 'work', '仙剑奇侠传');
    const legacy = join(series, PRIVATE_DIR);
    mkdirSync(legacy, { recursive: true });
    const ep1 = await makeBlock(series, 'ep1.mp4');
    const ep2 = await makeBlock(series, 'ep2.mp4');
    writeFileSync(join(legacy, 'ep1.mp4.private.json'), serializePrivateBlock(ep1));
    writeFileSync(join(legacy, 'ep2.mp4.private.json'), serializePrivateBlock(ep2));
    writeFileSync(join(legacy, 'ep2.mp4.private.json.tmp-0a1b2c3d'), 'cut short');
    const secrets = new MemorySecrets();
    const store = new PrivateBlockStore(metaDir, secrets);

    const result = await migrateLegacyPrivateBlocks(store, [legacy, legacy]);
    assert.equal(result.moved.length, 2);
    assert.deepEqual(result.kept, []);
    assert.deepEqual(result.removedDirs, [legacy]);
    assert.equal(existsSync(legacy), false, 'an empty .datahub-private/ was left behind');
    const stored = await store.list();
    assert.deepEqual(stored.map((b) => b.sourceName).sort(), ['ep1.mp4', 'ep2.mp4']);
    assert.deepEqual(stored.map((b) => b.folderName), ['仙剑奇侠传', '仙剑奇侠传']);
    const one = stored.find((b) => b.sourceName === 'ep1.mp4');
    assert.ok(one);
    assert.deepEqual(await store.get(one.id), ep1);
    // Matched to the backend's private task by source name (a moved block knows no uuid).
    const task = { id: 3, status: 0, percent: 0, series_id: 9, source_id: 4, source_name: 'ep1.mp4', uuid: 'not-ours', ip: '', file: '仙剑奇侠传', name: 'ep1.mp4', size: 0, hash: '', created_at: '' };
    assert.deepEqual(matchStoredBlocks([task], stored).map((m) => m.block.id), [one.id]);
  });

  it('leaves what is not a private block (and its folder) in place, and does not store a block twice', async () => {
    const legacy = join(tmp.path, 'w', PRIVATE_DIR);
    mkdirSync(legacy, { recursive: true });
    const block = await makeBlock(join(tmp.path, 'w'), 'a.mp4');
    writeFileSync(join(legacy, 'a.mp4.private.json'), serializePrivateBlock(block));
    writeFileSync(join(legacy, 'b.mp4.private.json'), '{"not": "a block"}');
    writeFileSync(join(legacy, 'download-12.public'), randomBytes(10));
    const store = new PrivateBlockStore(metaDir, new MemorySecrets());
    await store.save(block, { sourceName: 'a.mp4', uuid: 'u-a' }, 'u-a');

    const result = await migrateLegacyPrivateBlocks(store, [legacy]);
    assert.deepEqual(result.moved, [join(legacy, 'a.mp4.private.json')]);
    assert.deepEqual(result.kept.map((k) => k.path).sort(), [join(legacy, 'b.mp4.private.json'), join(legacy, 'download-12.public')]);
    assert.deepEqual(result.removedDirs, []);
    assert.deepEqual(readdirSync(legacy).sort(), ['b.mp4.private.json', 'download-12.public']);
    assert.equal((await store.list()).length, 1, 'the same block was stored twice');
  });

  it('names the legacy folder of a path a journal kept', () => {
    assert.equal(legacyDirOf(join('/m', PRIVATE_DIR, 'ep.mp4.private.json')), join('/m', PRIVATE_DIR));
    assert.equal(legacyDirOf(join('/m', 'ep.mp4')), undefined);
  });
});
