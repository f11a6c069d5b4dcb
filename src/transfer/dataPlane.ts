// The data path: PUT a byte range of a file to a presigned URL and GET ranges, streamed, with a stall timer.
import type { AxiosInstance } from 'axios';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ApiError, isAbortError, type ServiceName } from '../api/errors';
import { TransferCancelledError } from './types';

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
  contentType?: string;
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
      headers: { 'Content-Length': String(length), 'Content-Type': options.contentType ?? 'application/octet-stream' },
      signal: guard.controller.signal,
      responseType: 'text',
      transformResponse: (x: unknown) => x,
    });
    if (response.status < 200 || response.status >= 300) {
      throw storeError(options.service, response.status, String(response.data ?? ''), 'PUT part');
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

/** Error of an object store (S3-style XML, JSON, or text body), with the code a retry policy needs. */
export function storeError(service: ServiceName, status: number, body: string, what: string): ApiError {
  const xmlCode = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
  const xmlMessage = /<Message>([^<]+)<\/Message>/.exec(body)?.[1];
  let jsonMessage: string | undefined;
  let jsonCode: string | undefined;
  try {
    const parsed = JSON.parse(body) as { message?: unknown; code?: unknown; error?: unknown; detail?: unknown };
    jsonMessage = [parsed.message, parsed.error, parsed.detail].find((m): m is string => typeof m === 'string');
    jsonCode = typeof parsed.code === 'string' ? parsed.code : undefined;
  } catch {
    /* not JSON */
  }
  const code = xmlCode ?? jsonCode ?? (status === 403 ? 'AccessDenied' : status);
  const message = xmlMessage ?? jsonMessage ?? (body.length > 0 && body.length < 200 ? body : `answered HTTP ${status}`);
  return new ApiError(service, status, code, `${what}: ${message}`, status >= 500 || status === 408 || status === 429);
}

/** True for a presigned URL the store refused because it expired or its signature no longer holds. */
export function isExpiredUrl(error: unknown): boolean {
  return error instanceof ApiError && error.httpStatus === 403;
}
