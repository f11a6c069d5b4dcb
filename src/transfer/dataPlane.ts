// The data path: PUT a byte range of a file to a presigned URL (sending only what such a URL is signed for), guarded
// against stalls and trickles; a file that turns out shorter than its range fails at once as changed.
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ApiError, type ServiceName } from '../api/errors';
import type { KeepAliveAgents } from '../api/http';
import type { FileSource } from './md5';
import { presignedPut } from './presignedPut';
import { StallGuard, type DataPace } from './stallGuard';
import { storeError } from './storeErrors';

export { isExpiredUrl } from './storeErrors';
export { StallGuard } from './stallGuard';

export interface PutRangeOptions {
  /** The data plane's socket pools. */
  agents: KeepAliveAgents;
  service: ServiceName;
  url: string;
  /** The file: its path, or a handle the caller holds open for the whole upload (read by position). */
  path: FileSource;
  start: number;
  /** Exclusive. */
  end: number;
  signal: AbortSignal;
  /** Abort the attempt when no byte moves for this long. */
  stallMs: number;
  /** A minimum throughput over a window; none when unset. */
  floor?: Omit<DataPace, 'stallMs'>;
  onBytes?: (bytes: number) => void;
  /**
   * Sent only when set: SigV2 and OSS V1 URLs sign Content-Type, so a URL presigned without one refuses any
   * (api 000 by default); api 004's document asks for `application/octet-stream`.
   */
  contentType?: string;
  /** What the request is, for messages: "part 3". */
  what?: string;
  /** The part's MD5 when it is already known (hashed with the whole file): the bytes are not hashed again. */
  knownMd5?: string;
  /** The range's bytes, already read (a small file read whole): sent from memory, the file is not read again. */
  bytes?: Buffer;
}

export interface PutRangeResult {
  etag: string;
  status: number;
  /** MD5 hex of the bytes sent: the known one, or computed while streaming them. */
  md5: string;
}

/** The file ended before the range did: it was truncated (or replaced) since the upload started. Not retried. */
export class FileChangedError extends Error {
  override readonly name = 'FileChangedError';
}

const READ_SIZE = 1024 * 1024;

/** The bytes [start, end) of an open file, read by position; a short read fails the stream with FileChangedError. */
function rangeStream(handle: FileHandle, path: string, start: number, end: number): Readable {
  let position = start;
  return new Readable({
    highWaterMark: READ_SIZE,
    read(size) {
      const length = Math.min(Math.max(size, 64 * 1024), READ_SIZE, end - position);
      if (length <= 0) {
        this.push(null);
        return;
      }
      handle.read(Buffer.allocUnsafe(length), 0, length, position).then(
        ({ bytesRead, buffer }) => {
          if (bytesRead === 0) {
            this.destroy(new FileChangedError(`file changed during upload: ${path} ends at byte ${position}, before the ${end - start} bytes of this part were read`));
            return;
          }
          position += bytesRead;
          this.push(buffer.subarray(0, bytesRead));
        },
        (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });
}

export async function putFileRange(options: PutRangeOptions): Promise<PutRangeResult> {
  const length = options.end - options.start;
  if (options.bytes && options.bytes.length !== length) throw new Error(`${options.what ?? 'the part'}: ${options.bytes.length} bytes given for a range of ${length}`);
  const guard = new StallGuard(options.signal, { stallMs: options.stallMs, ...options.floor });
  const inMemory = options.bytes;
  const owned = typeof options.path === 'string' && length > 0 && !inMemory ? await open(options.path, 'r') : undefined;
  const handle = owned ?? (typeof options.path === 'string' ? undefined : options.path);
  const name = typeof options.path === 'string' ? options.path : 'the file';
  const body = length > 0 && handle && !inMemory ? rangeStream(handle, name, options.start, options.end) : undefined;
  let sent = 0;
  let sourceError: Error | undefined;
  const hash = options.knownMd5 ? undefined : createHash('md5');
  if (inMemory) {
    // Handed to the socket whole: counted as sent now (given back below if the PUT fails).
    hash?.update(inMemory);
    guard.touch(length);
    sent = length;
    options.onBytes?.(length);
  }
  body?.on('data', (chunk: Buffer) => {
    guard.touch(chunk.length);
    hash?.update(chunk);
    sent += chunk.length;
    options.onBytes?.(chunk.length);
  });
  body?.on('error', (error) => (sourceError = error));
  try {
    const answer = await presignedPut({
      agents: options.agents,
      url: options.url,
      headers: presignedPutHeaders(length, options.contentType),
      body: inMemory ?? body ?? Buffer.alloc(0),
      signal: guard.controller.signal,
      onAnswer: () => guard.touch(),
    });
    if (sourceError) throw sourceError;
    if (answer.status < 200 || answer.status >= 300) {
      throw storeError(options.service, answer.status, answer.text, options.what ?? 'the part', { url: options.url, retryAfter: headerText(answer.headers['retry-after']) });
    }
    const etag = answer.headers.etag;
    if (typeof etag !== 'string' || !etag) throw new ApiError(options.service, answer.status, 'NO_ETAG', 'the store answered the part PUT without an ETag header');
    return { etag, status: answer.status, md5: options.knownMd5 ?? (hash ?? createHash('md5')).digest('hex') };
  } catch (error) {
    if (sent > 0) options.onBytes?.(-sent);
    // The file, not the network, is what went wrong: say so, and do not retry.
    if (sourceError instanceof FileChangedError) throw sourceError;
    throw guard.translate(error, options.service, 'PUT part');
  } finally {
    guard.dispose();
    body?.destroy();
    await owned?.close();
  }
}

/**
 * The headers of a presigned PUT: Content-Length, and Content-Type only when asked for. Nothing else is sent (node adds
 * Host and Connection): a store whose signature covers a header refuses one the URL was not signed with.
 */
export function presignedPutHeaders(length: number, contentType: string | undefined): Record<string, string> {
  return contentType === undefined ? { 'Content-Length': String(length) } : { 'Content-Length': String(length), 'Content-Type': contentType };
}

function headerText(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : Array.isArray(value) ? value[0] : undefined;
}
