// Public/private blocks: encrypt → compose round trip, and every kind of tampering refused with nothing written.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeOriginal, TAMPERED_MESSAGE } from '../../../src/transfer/blocks/compose';
import { encryptToPublicBlock } from '../../../src/transfer/blocks/encrypt';
import { BlockError, parsePrivateBlock, privateBlockFileName, serializePrivateBlock, sourceNameOfPrivateBlock } from '../../../src/transfer/blocks/privateBlock';
import { tempDir } from '../helpers/emulator';

describe('media blocks', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('datahub-blocks-');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const size of [0, 1, 1024 * 1024 + 3]) {
    it(`round-trips ${size} bytes and the public block reveals nothing of the original`, async () => {
      const original = randomBytes(size);
      writeFileSync(join(dir, 'ep1.mp4'), original);
      let read = 0;
      const block = await encryptToPublicBlock(join(dir, 'ep1.mp4'), join(dir, 'ep1.pub'), { onBytes: (n) => (read += n) });
      assert.equal(read, size);
      assert.equal(block.size, size);
      assert.equal(block.name, 'ep1.mp4');
      const publicBytes = readFileSync(join(dir, 'ep1.pub'));
      assert.equal(publicBytes.length, size);
      if (size > 16) assert.notDeepEqual(publicBytes.subarray(0, 16), original.subarray(0, 16));
      const parsed = parsePrivateBlock(serializePrivateBlock(block));
      assert.deepEqual(parsed, block);
      const out = join(dir, 'out.mp4');
      const result = await composeOriginal(join(dir, 'ep1.pub'), parsed, out);
      assert.equal(result.size, size);
      assert.ok(readFileSync(out).equals(original));
    });
  }

  it('uses a fresh key each time, so the same file gives different public blocks', async () => {
    writeFileSync(join(dir, 'a'), randomBytes(1000));
    const one = await encryptToPublicBlock(join(dir, 'a'), join(dir, 'p1'));
    const two = await encryptToPublicBlock(join(dir, 'a'), join(dir, 'p2'));
    assert.notEqual(one.key, two.key);
    assert.ok(!readFileSync(join(dir, 'p1')).equals(readFileSync(join(dir, 'p2'))));
    assert.equal(one.sha256, two.sha256);
  });

  it('refuses a public block with one flipped byte and leaves no file behind', async () => {
    writeFileSync(join(dir, 'src'), randomBytes(300_000));
    const block = await encryptToPublicBlock(join(dir, 'src'), join(dir, 'pub'));
    const tampered = readFileSync(join(dir, 'pub'));
    tampered[123_456] ^= 0x01;
    writeFileSync(join(dir, 'pub'), tampered);
    await assert.rejects(composeOriginal(join(dir, 'pub'), block, join(dir, 'out')), (e: Error) => e instanceof BlockError && e.message === TAMPERED_MESSAGE);
    assert.equal(existsSync(join(dir, 'out')), false);
    assert.deepEqual(readdirSync(dir).sort(), ['pub', 'src']);
  });

  it('refuses a private block with a wrong tag, a wrong key, or a truncated public block', async () => {
    writeFileSync(join(dir, 'src'), randomBytes(5000));
    const block = await encryptToPublicBlock(join(dir, 'src'), join(dir, 'pub'));
    const badTag = { ...block, tag: randomBytes(16).toString('base64') };
    await assert.rejects(composeOriginal(join(dir, 'pub'), badTag, join(dir, 'out')), /authentication failed/);
    const badKey = { ...block, key: randomBytes(32).toString('base64') };
    await assert.rejects(composeOriginal(join(dir, 'pub'), badKey, join(dir, 'out')), /authentication failed/);
    writeFileSync(join(dir, 'short'), readFileSync(join(dir, 'pub')).subarray(0, 4000));
    await assert.rejects(composeOriginal(join(dir, 'short'), block, join(dir, 'out')), /truncated, altered/);
    assert.equal(existsSync(join(dir, 'out')), false);
  });

  it('refuses a private block whose SHA-256 does not describe the original', async () => {
    writeFileSync(join(dir, 'src'), randomBytes(5000));
    const block = await encryptToPublicBlock(join(dir, 'src'), join(dir, 'pub'));
    const wrongHash = { ...block, sha256: '0'.repeat(64) };
    await assert.rejects(composeOriginal(join(dir, 'pub'), wrongHash, join(dir, 'out')), /SHA-256 .* is not the original's/);
    assert.equal(existsSync(join(dir, 'out')), false);
  });

  it('parses only well-formed private blocks', () => {
    assert.throws(() => parsePrivateBlock(Buffer.from('not json')), /not valid JSON/);
    assert.throws(() => parsePrivateBlock(Buffer.from('{"format":"x"}')), /not a Datahub private block/);
    const good = { format: 'datahub-private-block', version: 1, algorithm: 'AES-256-GCM', key: randomBytes(32).toString('base64'), nonce: randomBytes(12).toString('base64'), tag: randomBytes(16).toString('base64'), name: 'a.mp4', size: 3, sha256: 'a'.repeat(64) };
    assert.equal(parsePrivateBlock(Buffer.from(JSON.stringify(good))).name, 'a.mp4');
    assert.throws(() => parsePrivateBlock(Buffer.from(JSON.stringify({ ...good, name: '../etc/passwd' }))), /plain file name/);
    assert.throws(() => parsePrivateBlock(Buffer.from(JSON.stringify({ ...good, key: 'AAAA' }))), /field key/);
  });

  it('names private block files after the source and reads the source name back', () => {
    assert.equal(privateBlockFileName('仙剑奇侠传 21.mp4'), '仙剑奇侠传 21.mp4.private.json');
    assert.equal(sourceNameOfPrivateBlock('/x/仙剑奇侠传 21.mp4.private.json'), '仙剑奇侠传 21.mp4');
    assert.equal(sourceNameOfPrivateBlock('ep.mp4'), undefined);
  });
});
