// Presigned object URLs for the emulated stores: issuing them (fault-shortened lifetime), verifying them, and refusals.
import type { EmulatorContext } from '../context';
import type { HttpError, RequestContext } from '../router';
import { storeErrorAnswer } from './xmlErrors';

/** Presigned URLs live one hour unless a fault spec (`url_ttl_s`) for the serving route group says otherwise. */
export const DEFAULT_URL_TTL_SECONDS = 3600;

/** `/a/b c` → `/a/b%20c`: each segment percent-encoded, so the signed path is exactly what the server sees. */
export function objectPath(...segments: string[]): string {
  return `/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
}

export interface PresignOptions {
  method: 'GET' | 'PUT';
  /** From `objectPath()`. */
  path: string;
  /** `partNumber` / `uploadId` of an UploadPart; none for a plain object. */
  subresources?: [string, string][];
  /** The Content-Type the URL is signed for; the client must send exactly it (none when absent). */
  contentType?: string;
  /** The route group that serves the URL (its `url_ttl_s` fault shortens the lifetime). */
  group: string;
}

/** A URL signed the way the current store profile signs it. */
export function presign(ctx: EmulatorContext, options: PresignOptions): string {
  const ttl = ctx.faults.urlTtlSeconds(options.group) ?? DEFAULT_URL_TTL_SECONDS;
  return ctx.store.signer.presign(ctx.store.config.profile, {
    method: options.method,
    path: options.path,
    subresources: options.subresources ?? [],
    contentType: options.contentType,
    ttlSeconds: ttl,
    baseUrl: ctx.baseUrl(),
    nowMs: Date.now(),
  });
}

/** An error answer in the current store's words (its XML layout and headers). */
export function storeError(ctx: EmulatorContext, c: RequestContext, status: number, code: string, message: string, extra: [string, string][] = []): HttpError {
  return storeErrorAnswer(ctx.store.config.profile, { status, code, message, extra, host: c.req.headers.host });
}

/**
 * Refuses the request (403, or 400 for a malformed signature) unless its URL carries a valid, unexpired
 * signature for `method` over what the request really sends (headers included, for the schemes that sign them).
 */
export function requireSignature(ctx: EmulatorContext, c: RequestContext, method: string): void {
  const verdict = ctx.store.signer.verify(ctx.store.config.profile, {
    method,
    rawPath: c.url.pathname,
    query: c.url.searchParams,
    headers: c.req.headers,
    nowMs: Date.now(),
  });
  if (verdict.ok) return;
  // The request body (a whole part) is not wanted; let it drain so the connection stays usable.
  c.req.resume();
  ctx.count(verdict.expired ? 'url_expired' : 'url_bad_signature');
  throw storeErrorAnswer(ctx.store.config.profile, { ...verdict, host: c.req.headers.host });
}
