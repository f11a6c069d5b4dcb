// Streamed file plumbing for the block code: chunked reads that stop on abort, writes that respect back-pressure.
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { TransferCancelledError } from '../types';

const READ_SIZE = 1024 * 1024;

/** The file's bytes in chunks of about 1 MiB; stops with TransferCancelledError when `signal` aborts. */
export async function* readChunks(path: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  if (signal?.aborted) throw new TransferCancelledError('cancelled');
  const stream = createReadStream(path, { highWaterMark: READ_SIZE });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw new TransferCancelledError('cancelled');
      yield chunk;
    }
  } finally {
    stream.destroy();
  }
}

export async function writeChunk(ws: WriteStream, chunk: Buffer): Promise<void> {
  if (chunk.length === 0 || ws.write(chunk)) return;
  // Back-pressure: wait for 'drain', and remove both listeners whichever comes first.
  await new Promise<void>((resolve, reject) => {
    const onDrain = (): void => {
      ws.off('error', onError);
      resolve();
    };
    const onError = (e: Error): void => {
      ws.off('drain', onDrain);
      reject(e);
    };
    ws.once('drain', onDrain);
    ws.once('error', onError);
  });
}

export async function closeWriter(ws: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.end(() => resolve());
  });
}

export function openWriter(path: string): WriteStream {
  return createWriteStream(path, { flags: 'w' });
}

/** Stops a writer after a failure: pending writes may fail, which is expected and must not surface as an uncaught error. */
export async function abandonWriter(ws: WriteStream): Promise<void> {
  ws.on('error', () => undefined);
  if (ws.closed) return;
  const closed = once(ws, 'close').catch(() => undefined);
  ws.destroy();
  await closed;
}
