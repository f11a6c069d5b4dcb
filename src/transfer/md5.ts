// Whole-file MD5 with node:crypto, streamed in large reads so it keeps up with md5sum.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { TransferCancelledError } from './types';

const READ_SIZE = 4 * 1024 * 1024;

export async function md5File(path: string, options: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {}): Promise<string> {
  const hash = createHash('md5');
  const stream = createReadStream(path, { highWaterMark: READ_SIZE });
  const onAbort = (): void => {
    stream.destroy(new TransferCancelledError('hashing cancelled'));
  };
  if (options.signal?.aborted) throw new TransferCancelledError('hashing cancelled');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      options.onBytes?.((chunk as Buffer).length);
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  return hash.digest('hex');
}

export function md5Hex(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}
