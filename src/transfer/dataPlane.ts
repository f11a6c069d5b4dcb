// The data path: PUT a byte range of a file to a presigned URL (sending only what such a URL is signed for), guarded
// against stalls and trickles; a file that turns out shorter than its range fails at once as changed.
import type { AxiosInstance, RawAxiosRequestHeaders } from 'axios';
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ApiError, type ServiceName } from '../api/errors';
import type { FileSource } from './md5';
import { StallGuard, type DataPace } from './stallGuard';
import { storeError } from './storeErrors';

export { isExpiredUrl } from './storeErrors';
export { StallGuard } from './stallGuard';

export interface PutRangeOptions {
  http: AxiosInstance;
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
    const response = await options.http.request<string>({
      method: 'PUT',
      url: options.url,
      data: inMemory ?? body ?? Buffer.alloc(0),
      headers: presignedPutHeaders(length, options.contentType),
      signal: guard.controller.signal,
      responseType: 'text',
      transformResponse: (x: unknown) => x,
    });
    if (sourceError) throw sourceError;
    if (response.status < 200 || response.status >= 300) {
      throw storeError(options.service, response.status, String(response.data ?? ''), options.what ?? 'the part', { url: options.url, retryAfter: headerText(response.headers['retry-after']) });
    }
    const etag = response.headers.etag;
    if (typeof etag !== 'string' || !etag) throw new ApiError(options.service, response.status, 'NO_ETAG', 'the store answered the part PUT without an ETag header');
    return { etag, status: response.status, md5: options.knownMd5 ?? (hash ?? createHash('md5')).digest('hex') };
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
 * The headers of a presigned PUT: Content-Length, and Content-Type only when asked for. `false` keeps axios
 * from adding its own (Content-Type application/x-www-form-urlencoded for a stream body, Accept, User-Agent,
 * Accept-Encoding): a store whose signature covers a header refuses one the URL was not signed with.
 */
export function presignedPutHeaders(length: number, contentType: string | undefined): RawAxiosRequestHeaders {
  return { 'Content-Length': String(length), 'Content-Type': contentType ?? false, Accept: false, 'User-Agent': false, 'Accept-Encoding': false };
}

function headerText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}
