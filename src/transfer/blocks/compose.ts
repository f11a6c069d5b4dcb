// Public block + private block → the original: decrypt, check the GCM tag and the SHA-256, then rename into place.
import { createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { abandonWriter, closeWriter, openWriter, readChunks, writeChunk } from './streams';
import { BlockError, type PrivateBlock } from './privateBlock';

export interface ComposeOptions {
  signal?: AbortSignal;
  onBytes?: (bytes: number) => void;
}

export const TAMPERED_MESSAGE =
  'The public block does not match its private block (authentication failed): one of them was altered or they belong to different files. Nothing was written.';

/**
 * Decrypts `publicPath` with `block` into `destPath`. The plaintext goes to a temp name beside
 * `destPath` and is renamed only once the tag, the size and the SHA-256 all check out, so a
 * partial or forged file never appears under the final name.
 */
export async function composeOriginal(publicPath: string, block: PrivateBlock, destPath: string, options: ComposeOptions = {}): Promise<{ size: number; sha256: string }> {
  const publicSize = (await stat(publicPath)).size;
  if (publicSize !== block.size) {
    throw new BlockError(`The public block is ${publicSize} bytes but its private block describes ${block.size} bytes: it is truncated, altered or belongs to another file. Nothing was written.`);
  }
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(block.key, 'base64'), Buffer.from(block.nonce, 'base64'));
  decipher.setAuthTag(Buffer.from(block.tag, 'base64'));
  const sha = createHash('sha256');
  const temp = `${destPath}.compose-${process.pid}-${randomBytes(4).toString('hex')}`;
  const ws = openWriter(temp);
  let size = 0;
  try {
    for await (const chunk of readChunks(publicPath, options.signal)) {
      const plain = decipher.update(chunk);
      size += plain.length;
      sha.update(plain);
      await writeChunk(ws, plain);
      options.onBytes?.(chunk.length);
    }
    let tail: Buffer;
    try {
      tail = decipher.final();
    } catch {
      throw new BlockError(TAMPERED_MESSAGE);
    }
    sha.update(tail);
    size += tail.length;
    await writeChunk(ws, tail);
    await closeWriter(ws);
    const digest = sha.digest('hex');
    if (size !== block.size || digest !== block.sha256) {
      throw new BlockError(`The composed file's SHA-256 ${digest} is not the original's ${block.sha256}. Nothing was written.`);
    }
    await rename(temp, destPath);
    return { size, sha256: digest };
  } catch (err) {
    await abandonWriter(ws);
    await rm(temp, { force: true });
    throw err;
  }
}
