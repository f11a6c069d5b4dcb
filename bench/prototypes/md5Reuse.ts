// Prototype (not used by the product): whole-file MD5 reading into one reused buffer with FileHandle.read,
// instead of a read stream that allocates a fresh 4 MiB Buffer per chunk (page faults, cold cache).
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export async function md5FileReuse(path: string, bufferSize = 256 * 1024): Promise<string> {
  const hash = createHash('md5');
  const buffer = Buffer.allocUnsafe(bufferSize);
  const fh = await open(path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buffer, 0, bufferSize, null);
      if (bytesRead === 0) break;
      hash.update(bytesRead === bufferSize ? buffer : buffer.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}
