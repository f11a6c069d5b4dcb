// The data path: PUT a byte range of a file to a presigned URL (sending only what such a URL is signed for), with a stall timer.
import type { AxiosInstance, RawAxiosRequestHeaders } from 'axios';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ApiError, isAbortError, type ServiceName } from '../api/errors';
import { storeError } from './storeErrors';
import { TransferCancelledError } from './types';

export { isExpiredUrl } from './storeErrors';

export interface PutRangeOptions {
  http: AxiosInstance;
  service: ServiceName;
  url: string;
  path: string;
  start: number;
  /** Exclusive. */
  end: number;
  signal: AbortSignal;
  /** Abort the attempt when no byte moves for this long. */
  stallMs: number;
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
}

export interface PutRangeResult {
  etag: string;
  status: number;
  /** MD5 hex of the bytes sent: the known one, or computed while streaming them. */
  md5: string;
}

/** An AbortController that follows `parent` and also fires when `touch()` is not called for `stallMs`. */
export class StallGuard {
  readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  stalled = false;
  private readonly onParentAbort = (): void => this.controller.abort(new TransferCancelledError('cancelled'));

  constructor(private readonly parent: AbortSignal, private readonly stallMs: number) {
    if (parent.aborted) this.controller.abort(new TransferCancelledError('cancelled'));
    parent.addEventListener('abort', this.onParentAbort, { once: true });
    this.touch();
  }

  touch(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.controller.abort(new Error('stalled'));
    }, this.stallMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.parent.removeEventListener('abort', this.onParentAbort);
  }

  /** Maps an error of the guarded attempt: a stall becomes a retryable error, a cancel stays an abort. */
  translate(error: unknown, service: ServiceName, what: string): unknown {
    if (this.parent.aborted) return new TransferCancelledError('cancelled');
    if (this.stalled) return new ApiError(service, undefined, 'STALLED', `${what}: no bytes moved for ${Math.round(this.stallMs / 1000)} s`, true);
    if (isAbortError(error)) return new TransferCancelledError('cancelled');
    if (error instanceof Error && !(error instanceof ApiError)) {
      const code = (error as { code?: string }).code ?? 'NETWORK';
      return new ApiError(service, undefined, code, `${what}: ${error.message}`, true);
    }
    return error;
  }
}

export async function putFileRange(options: PutRangeOptions): Promise<PutRangeResult> {
  const guard = new StallGuard(options.signal, options.stallMs);
  const length = options.end - options.start;
  const body = length > 0 ? createReadStream(options.path, { start: options.start, end: options.end - 1, highWaterMark: 1024 * 1024 }) : Buffer.alloc(0);
  let sent = 0;
  const hash = options.knownMd5 ? undefined : createHash('md5');
  if (length > 0) {
    (body as NodeJS.ReadableStream).on('data', (chunk: Buffer | string) => {
      guard.touch();
      hash?.update(chunk);
      sent += chunk.length;
      options.onBytes?.(chunk.length);
    });
  }
  try {
    const response = await options.http.request<string>({
      method: 'PUT',
      url: options.url,
      data: body,
      headers: presignedPutHeaders(length, options.contentType),
      signal: guard.controller.signal,
      responseType: 'text',
      transformResponse: (x: unknown) => x,
    });
    if (response.status < 200 || response.status >= 300) {
      throw storeError(options.service, response.status, String(response.data ?? ''), options.what ?? 'the part', { url: options.url, retryAfter: headerText(response.headers['retry-after']) });
    }
    const etag = response.headers.etag;
    if (typeof etag !== 'string' || !etag) throw new ApiError(options.service, response.status, 'NO_ETAG', 'the store answered the part PUT without an ETag header');
    return { etag, status: response.status, md5: options.knownMd5 ?? (hash ?? createHash('md5')).digest('hex') };
  } catch (error) {
    if (sent > 0) options.onBytes?.(-sent);
    throw guard.translate(error, options.service, 'PUT part');
  } finally {
    guard.dispose();
    if (length > 0) (body as NodeJS.ReadableStream & { destroy(): void }).destroy();
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
