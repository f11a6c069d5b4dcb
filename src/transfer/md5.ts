// Whole-file MD5 with node:crypto, read into one reused buffer so it keeps up with md5sum; with a
// part size, the parts' MD5s come from a worker at the same time, so the upload need not hash while sending.
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { hashPartsInWorker } from './partHashWorker';
import { TransferCancelledError } from './types';

const READ_SIZE = 4 * 1024 * 1024;

export interface Md5Result {
  md5: string;
  /** MD5 hex of each part (index 0 = part 1), when a part size was given. */
  partMd5s?: string[];
}

/** A file to read: its path, or a handle already open on it (read by position, left open). */
export type FileSource = string | FileHandle;

export async function md5File(path: FileSource, options: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {}): Promise<string> {
  return (await md5FileAndParts(path, options)).md5;
}

/**
 * The whole-file MD5 and, with `partSize`, every part's MD5: the parts are hashed in a worker
 * thread at the same time, so the pass takes no longer than the whole-file hash on two cores.
 */
export async function md5FileAndParts(path: FileSource, options: { signal?: AbortSignal; onBytes?: (bytes: number) => void; partSize?: number } = {}): Promise<Md5Result> {
  if (options.signal?.aborted) throw new TransferCancelledError('hashing cancelled');
  const parts = options.partSize ? hashPartsInWorker(typeof path === 'string' ? { path } : { fd: path.fd }, options.partSize, options.signal) : undefined;
  // Observed even when the whole-file hash fails first, so that it is never an unhandled rejection.
  parts?.catch(() => undefined);
  const whole = createHash('md5');
  await readFileChunks(path, options, (chunk) => whole.update(chunk));
  return { md5: whole.digest('hex'), partMd5s: parts ? await parts : undefined };
}

/**
 * Reads the file once, front to back, through one reused buffer, handing each chunk to `onChunk` (which
 * must not keep it: the buffer is overwritten by the next read).
 */
export async function readFileChunks(path: FileSource, options: { signal?: AbortSignal; onBytes?: (bytes: number) => void }, onChunk: (chunk: Buffer) => void): Promise<void> {
  const buffer = Buffer.allocUnsafe(READ_SIZE);
  const handle = typeof path === 'string' ? await open(path, 'r') : path;
  try {
    let position = 0;
    for (;;) {
      if (options.signal?.aborted) throw new TransferCancelledError('hashing cancelled');
      const { bytesRead } = await handle.read(buffer, 0, READ_SIZE, position);
      if (bytesRead === 0) break;
      onChunk(buffer.subarray(0, bytesRead));
      position += bytesRead;
      options.onBytes?.(bytesRead);
    }
  } finally {
    if (handle !== path) await handle.close();
  }
}
