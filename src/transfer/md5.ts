// Whole-file MD5 with node:crypto, read into one reused buffer so it keeps up with md5sum; it can
// hash each part on the same pass, so the upload does not hash the bytes a second time.
import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { TransferCancelledError } from './types';

const READ_SIZE = 4 * 1024 * 1024;

export interface Md5Result {
  md5: string;
  /** MD5 hex of each part (index 0 = part 1), when a part size was given. */
  partMd5s?: string[];
}

export async function md5File(path: string, options: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {}): Promise<string> {
  return (await md5FileAndParts(path, options)).md5;
}

/** One sequential read of the file: the whole-file MD5 and, with `partSize`, every part's MD5. */
export async function md5FileAndParts(path: string, options: { signal?: AbortSignal; onBytes?: (bytes: number) => void; partSize?: number } = {}): Promise<Md5Result> {
  if (options.signal?.aborted) throw new TransferCancelledError('hashing cancelled');
  const whole = createHash('md5');
  const partSize = options.partSize;
  const parts: string[] = [];
  let part: Hash | undefined = partSize ? createHash('md5') : undefined;
  let partFill = 0;
  const buffer = Buffer.allocUnsafe(READ_SIZE);
  const handle = await open(path, 'r');
  try {
    let position = 0;
    for (;;) {
      if (options.signal?.aborted) throw new TransferCancelledError('hashing cancelled');
      const { bytesRead } = await handle.read(buffer, 0, READ_SIZE, position);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      whole.update(chunk);
      if (part && partSize) {
        let offset = 0;
        while (offset < bytesRead) {
          const take = Math.min(partSize - partFill, bytesRead - offset);
          part.update(chunk.subarray(offset, offset + take));
          partFill += take;
          offset += take;
          if (partFill === partSize) {
            parts.push(part.digest('hex'));
            part = createHash('md5');
            partFill = 0;
          }
        }
      }
      position += bytesRead;
      options.onBytes?.(bytesRead);
    }
  } finally {
    await handle.close();
  }
  // The last, shorter part (or the single empty part of a 0-byte file).
  if (part && (partFill > 0 || parts.length === 0)) parts.push(part.digest('hex'));
  return { md5: whole.digest('hex'), partMd5s: partSize ? parts : undefined };
}

export function md5Hex(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}
