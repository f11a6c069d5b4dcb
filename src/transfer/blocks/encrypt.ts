// Master file → public block (AES-256-GCM under a fresh random key, streamed) + the private block that opens it.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { abandonWriter, closeWriter, openWriter, readChunks, writeChunk } from './streams';
import { BlockError, type PrivateBlock } from './privateBlock';

export interface EncryptOptions {
  signal?: AbortSignal;
  /** Plaintext bytes read so far (for progress). */
  onBytes?: (bytes: number) => void;
  /** The original name kept in the private block; the source's base name when absent. */
  name?: string;
}

/**
 * Encrypts `sourcePath` into `publicPath` (written to a temp name, then renamed) and returns the
 * private block. Memory stays at one read chunk whatever the size.
 */
export async function encryptToPublicBlock(sourcePath: string, publicPath: string, options: EncryptOptions = {}): Promise<PrivateBlock> {
  const before = await stat(sourcePath);
  const key = randomBytes(32);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const sha = createHash('sha256');
  const temp = `${publicPath}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const ws = openWriter(temp);
  let size = 0;
  try {
    for await (const chunk of readChunks(sourcePath, options.signal)) {
      size += chunk.length;
      sha.update(chunk);
      await writeChunk(ws, cipher.update(chunk));
      options.onBytes?.(chunk.length);
    }
    await writeChunk(ws, cipher.final());
    await closeWriter(ws);
    if (size !== before.size) throw new BlockError(`${sourcePath} changed while it was encrypted (${before.size} → ${size} bytes)`);
    await rename(temp, publicPath);
  } catch (err) {
    await abandonWriter(ws);
    await rm(temp, { force: true });
    throw err;
  }
  return {
    format: 'datahub-private-block',
    version: 1,
    algorithm: 'AES-256-GCM',
    key: key.toString('base64'),
    nonce: nonce.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    name: options.name ?? basename(sourcePath),
    size,
    sha256: sha.digest('hex'),
  };
}
