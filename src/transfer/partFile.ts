// The `<name>.part` a download writes into: created exclusively (never through a link, never over a file that is
// not this download's), reopened only when it is the very file this download created, and only when it fits the disk.
import { constants } from 'node:fs';
import { lstat, open, rm, statfs, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ApiError, type ServiceName } from '../api/errors';
import { formatBytes } from './format';

/** Which file on disk a download created: device and inode, as decimal strings (inode numbers can pass 2^53). */
export interface PartFileIdentity {
  dev: string;
  ino: string;
}

export interface OpenPartFile {
  handle: FileHandle;
  identity: PartFileIdentity;
}

async function identityOf(handle: FileHandle): Promise<{ identity: PartFileIdentity; size: number; regular: boolean }> {
  const s = await handle.stat({ bigint: true });
  return { identity: { dev: String(s.dev), ino: String(s.ino) }, size: Number(s.size), regular: s.isFile() };
}

/** Refuses a download larger than the free space where it would be written, before anything is created. */
export async function checkFreeSpace(path: string, size: number, service: ServiceName): Promise<void> {
  const folder = dirname(path);
  const fs = await statfs(folder).catch(() => undefined);
  if (!fs) return;
  const free = fs.bavail * fs.bsize;
  if (size > free) {
    throw new ApiError(service, undefined, 'NO_SPACE', `the file is ${formatBytes(size)} (${size} bytes) but only ${formatBytes(free)} are free in ${folder}; nothing was written`);
  }
}

/** Creates `path` for a download of `size` bytes; refuses when anything (a file, a link) is already there. */
export async function createPartFile(path: string, size: number, service: ServiceName): Promise<OpenPartFile> {
  await checkFreeSpace(path, size, service);
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_CREAT | constants.O_EXCL | constants.O_RDWR | constants.O_NOFOLLOW, 0o666);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ApiError(service, undefined, 'PART_EXISTS', `${path} already exists and is not this download's; it was left untouched — move or delete it, then retry`);
    }
    throw error;
  }
  try {
    await handle.truncate(size);
    return { handle, identity: (await identityOf(handle)).identity };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Reopens the `.part` of a resumed download: undefined when it is gone (the download starts again); refused when what
 * is there now is not the file the download created (another file, a link); `damaged` when it is ours but its size
 * no longer matches (its ranges cannot be trusted). A journal written before identities were kept accepts a regular
 * file of the recorded size, and records its identity.
 */
export async function reopenPartFile(path: string, expected: { identity?: PartFileIdentity; size: number }, service: ServiceName): Promise<(OpenPartFile & { damaged: boolean }) | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDWR | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw notOurs(path, service, 'it is a symbolic link');
    throw error;
  }
  try {
    const now = await identityOf(handle);
    if (!now.regular) throw notOurs(path, service, 'it is not a regular file');
    if (expected.identity) {
      if (now.identity.dev !== expected.identity.dev || now.identity.ino !== expected.identity.ino) throw notOurs(path, service, 'it is another file than the one this download created');
      return { handle, identity: now.identity, damaged: now.size !== expected.size };
    }
    if (now.size !== expected.size) throw notOurs(path, service, `its size (${now.size} bytes) is not this download's (${expected.size})`);
    return { handle, identity: now.identity, damaged: false };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function notOurs(path: string, service: ServiceName, why: string): ApiError {
  return new ApiError(service, undefined, 'PART_EXISTS', `${path} is not this download's part file (${why}); it was left untouched — move or delete it, then retry`);
}

/** Removes the part file when it is still the one this download created (and only then). */
export async function removeOwnPartFile(path: string, identity: PartFileIdentity | undefined): Promise<void> {
  if (!identity) return;
  const s = await lstat(path, { bigint: true }).catch(() => undefined);
  if (s?.isFile() && String(s.dev) === identity.dev && String(s.ino) === identity.ino) await rm(path, { force: true });
}
