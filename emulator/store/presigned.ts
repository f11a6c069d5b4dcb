// Presigned object URLs for the emulated stores: issuing them (fault-shortened lifetime) and S3-like refusals.
import type { EmulatorContext } from '../context';
import { HttpError, type RequestContext } from '../router';

/** Presigned URLs live one hour unless a fault spec (`url_ttl_s`) for the serving route group says otherwise. */
export const DEFAULT_URL_TTL_SECONDS = 3600;

/** `/a/b c` → `/a/b%20c`: each segment percent-encoded, so the signed path is exactly what the server sees. */
export function objectPath(...segments: string[]): string {
  return `/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
}

/** A signed URL for `path`, valid as long as the route group `group` (which serves it) allows. */
export function presign(ctx: EmulatorContext, method: string, path: string, group: string): string {
  const ttl = ctx.faults.urlTtlSeconds(group) ?? DEFAULT_URL_TTL_SECONDS;
  return ctx.signer.url(ctx.baseUrl(), method, path, ttl);
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** An error answer in S3's XML format (what a client talking to real object storage gets). */
export function s3Error(status: number, code: string, message: string, resource: string): HttpError {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message>` +
    `<Resource>${xmlEscape(resource)}</Resource></Error>`;
  return new HttpError(status, body, { 'Content-Type': 'application/xml' });
}

/**
 * Refuses the request with 403 unless its URL carries a valid, unexpired signature for `method`
 * (the signature covers the method, the whole object path and the expiry).
 */
export function requireSignature(ctx: EmulatorContext, c: RequestContext, method: string): void {
  const verdict = ctx.signer.verify(method, c.url);
  if (verdict === 'ok') return;
  // The request body (a whole part) is not wanted; let it drain so the connection stays usable.
  c.req.resume();
  ctx.count(verdict === 'expired' ? 'url_expired' : 'url_bad_signature');
  if (verdict === 'expired') throw s3Error(403, 'AccessDenied', 'Request has expired', c.url.pathname);
  throw s3Error(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided.',
    c.url.pathname,
  );
}
