// Small files only their owner may read (keys, what leads to one, the hash cache and its peer list): written atomically.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes `data` to `path` through a temporary file (mode 0600) renamed into place; the folder is made 0700 when new. */
export async function writeOwnerOnlyFile(path: string, data: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(temp, data, { mode: 0o600 });
    // The umask can only take bits away from 0600; chmod makes it exact on file systems that ignore the mode.
    await chmod(temp, 0o600);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
