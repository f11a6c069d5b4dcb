// Test files with known content and their MD5.
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeRandomFile(dir: string, name: string, size: number): { path: string; md5: string; data: Buffer } {
  const data = randomBytes(size);
  const path = join(dir, name);
  writeFileSync(path, data);
  return { path, md5: createHash('md5').update(data).digest('hex'), data };
}
