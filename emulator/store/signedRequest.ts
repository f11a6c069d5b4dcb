// What every presigned-URL scheme needs: the request as the store sees it, keys, verdicts, canonical encodings.
import type { IncomingHttpHeaders } from 'node:http';

/** A request to verify, as it reached the store. */
export interface SignedRequest {
  method: string;
  /** The path as sent (percent-encoded). */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  nowMs: number;
}

/** What a presigned URL is issued for. */
export interface PresignRequest {
  method: string;
  /** The object path, percent-encoded (`objectPath()`), starting with `/`. */
  path: string;
  /** Query parameters that name a sub-resource (`partNumber`, `uploadId`), in the order they appear. */
  subresources: [string, string][];
  /** Signed as the request's Content-Type: the client must send exactly this (or none when absent). */
  contentType?: string;
  ttlSeconds: number;
  baseUrl: string;
  nowMs: number;
}

/** The emulated store's credentials, derived from the data dir's signing key. */
export interface StoreKeys {
  accessKeyId: string;
  secret: string;
  /** The lenient profile's HMAC key. */
  hmacKey: Buffer;
}

/** Why a request is refused, in the store's own words; `extra` are the store's additional XML elements. */
export interface Refusal {
  status: number;
  code: string;
  message: string;
  expired: boolean;
  extra: [string, string][];
}

export type Verdict = { ok: true } | ({ ok: false } & Refusal);

export const OK: Verdict = { ok: true };

export function refuse(status: number, code: string, message: string, extra: [string, string][] = [], expired = false): Verdict {
  return { ok: false, status, code, message, expired, extra };
}

/** RFC 3986 percent-encoding: everything but A–Z a–z 0–9 - . _ ~ (what SigV4 and the stores' canonical forms use). */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The path with each segment decoded and encoded again the one canonical way, so client-side re-encoding does not matter. */
export function canonicalPath(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => {
      try {
        return rfc3986(decodeURIComponent(segment));
      } catch {
        return segment;
      }
    })
    .join('/');
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

/** A value as the stores canonicalise it: trimmed, inner runs of spaces collapsed. */
export function trimHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

/** The hex bytes of a string-to-sign, as the stores show them in a SignatureDoesNotMatch answer. */
export function hexBytes(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
