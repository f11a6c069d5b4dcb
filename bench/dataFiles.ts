// The benchmark's input files: pseudo-random bytes (AES-256-CTR keystream), generated once into bench/data/.
import { createCipheriv, createHash } from 'node:crypto';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname } from 'node:path';

const CHUNK = 8 * 1024 * 1024;

/** Writes `size` bytes of incompressible content to `path` unless a file of that size is there already. */
export async function ensureDataFile(path: string, size: number, seed: string): Promise<{ path: string; size: number; generated: boolean }> {
  if (existsSync(path) && statSync(path).size === size) return { path, size, generated: false };
  await mkdir(dirname(path), { recursive: true });
  const key = createHash('sha256').update(`datahub-bench:${seed}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(CHUNK);
  const temp = `${path}.tmp`;
  const ws = createWriteStream(temp);
  let written = 0;
  while (written < size) {
    const n = Math.min(CHUNK, size - written);
    const chunk = cipher.update(n === CHUNK ? zeros : zeros.subarray(0, n));
    written += n;
    if (!ws.write(chunk)) await once(ws, 'drain');
  }
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.end(() => resolve());
  });
  await rename(temp, path);
  return { path, size, generated: true };
}
