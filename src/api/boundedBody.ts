// Reads a control-plane answer into memory with a size ceiling, giving up at once when the call is aborted.
import type { Readable } from 'node:stream';

export class ResponseTooLarge extends Error {
  override readonly name = 'ResponseTooLarge';
}

/** The error an aborted call rejects with (isAbortError says true): the caller asked to stop, nothing failed. */
export function abortError(): Error {
  return Object.assign(new Error('aborted'), { name: 'AbortError' });
}

/** The Content-Length a server announced, when it is a plain number. */
export function declaredLength(header: unknown): number | undefined {
  if (typeof header !== 'string' || !/^\d+$/.test(header)) return undefined;
  return Number(header);
}

/** The body as UTF-8 text; more than `maxBytes` (announced or received) rejects with ResponseTooLarge and drops the connection. */
export function readBounded(stream: Readable, maxBytes: number, signal: AbortSignal, announced?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: Error): void => {
      signal.removeEventListener('abort', onAbort);
      stream.destroy();
      reject(err);
    };
    const onAbort = (): void => fail(abortError());
    if (announced !== undefined && announced > maxBytes) return fail(new ResponseTooLarge(`announced ${announced} bytes`));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) fail(new ResponseTooLarge(`more than ${maxBytes} bytes`));
      else chunks.push(chunk);
    });
    stream.once('end', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    stream.once('error', (err) => fail(err));
  });
}

/** "32 MiB", "512 KiB" or "100 bytes": how a limit is named in a message. */
export function describeSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
  return bytes >= 1024 ? `${Math.round((bytes / 1024) * 10) / 10} KiB` : `${bytes} bytes`;
}
