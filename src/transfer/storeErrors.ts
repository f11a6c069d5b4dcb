// Object-store errors read as the stores write them: the XML body (S3, OSS), whether the URL expired, Retry-After.
import { ApiError, type ServiceName } from '../api/errors';

/** The fields of an S3 or OSS `<Error>` body (or of a JSON error body, for stores that answer JSON). */
export interface StoreErrorFields {
  code?: string;
  message?: string;
  requestId?: string;
  /** OSS: the host that answered; S3: an opaque id of the answering host. */
  hostId?: string;
  /** OSS's own error number (e.g. 0002-00000040). */
  ec?: string;
}

/** A refusal by the object store itself (not by a backend API), in the store's words. */
export class StoreError extends ApiError {
  constructor(
    service: ServiceName,
    httpStatus: number,
    code: string | number,
    message: string,
    retryable: boolean,
    readonly store: StoreErrorFields,
    /** The store says the presigned URL expired, or the URL's own expiry has passed by the local clock. */
    readonly expired: boolean,
    /** From Retry-After: how long the store asks to wait before the next attempt. */
    readonly retryAfterMs?: number,
  ) {
    super(service, httpStatus, code, message, retryable);
  }

  /** The message already names the store's code; the status follows it. */
  override describe(): string {
    return `${this.message} (HTTP ${this.httpStatus ?? '?'})`;
  }
}

/** Codes the stores use for a temporary condition: another attempt may succeed. */
const RETRYABLE_CODES = new Set(['SlowDown', 'ServiceUnavailable', 'InternalError', 'RequestTimeout', 'OperationAborted', 'Throttling', 'RequestThrottled']);

/** Codes that always mean the presigned credentials are no longer valid (a new URL helps). */
const EXPIRED_CODES = new Set(['ExpiredToken', 'RequestExpired', 'TokenExpired']);

/** OSS error numbers of an expired URL (V1/V2 `Expires`, S3-compatible V4 `X-Amz-Expires`). */
const OSS_EXPIRED_ECS = new Set(['0002-00000069', '0002-00000418']);

function decodeXml(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

function xmlElement(body: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(body);
  return m ? decodeXml(m[1]) || undefined : undefined;
}

/** Reads an `<Error>` XML body (S3 and OSS lay it out alike); a JSON body with code/message is read too. */
export function parseStoreErrorBody(body: string): StoreErrorFields {
  if (/<Error[\s>]/.test(body)) {
    return { code: xmlElement(body, 'Code'), message: xmlElement(body, 'Message'), requestId: xmlElement(body, 'RequestId'), hostId: xmlElement(body, 'HostId'), ec: xmlElement(body, 'EC') };
  }
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
    return { code: text(parsed.code) ?? text(parsed.Code), message: text(parsed.message) ?? text(parsed.Message) ?? text(parsed.error) ?? text(parsed.detail) };
  } catch {
    return {};
  }
}

function amzDateMs(value: string | null): number | undefined {
  const m = value ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

/**
 * When the presigned URL stops being valid (ms since the epoch), from its own parameters: `Expires` (S3 SigV2,
 * OSS V1), `X-Amz-Date` + `X-Amz-Expires` (SigV4), `x-oss-date` + `x-oss-expires` (OSS V4) or an absolute
 * `x-oss-expires` (OSS V2); undefined when the URL says nothing about it.
 */
export function urlExpiresAt(url: string): number | undefined {
  let query: URLSearchParams;
  try {
    query = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  const seconds = (v: string | null): number | undefined => (v !== null && /^\d+$/.test(v) ? Number(v) : undefined);
  const amzStart = amzDateMs(query.get('X-Amz-Date'));
  const amzLife = seconds(query.get('X-Amz-Expires'));
  if (amzStart !== undefined && amzLife !== undefined) return amzStart + amzLife * 1000;
  const ossLife = seconds(query.get('x-oss-expires'));
  if (ossLife !== undefined) {
    const ossStart = amzDateMs(query.get('x-oss-date'));
    return ossStart !== undefined ? ossStart + ossLife * 1000 : ossLife * 1000;
  }
  const expires = seconds(query.get('Expires'));
  return expires !== undefined ? expires * 1000 : undefined;
}

/** The store's own words say the URL expired. */
export function storeSaysExpired(fields: StoreErrorFields): boolean {
  if (fields.code && EXPIRED_CODES.has(fields.code)) return true;
  if (fields.ec && OSS_EXPIRED_ECS.has(fields.ec)) return true;
  return fields.code === 'AccessDenied' && /request has expired/i.test(fields.message ?? '');
}

/** Retry-After in ms: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, nowMs = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\s*\d+\s*$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export interface StoreErrorContext {
  /** The presigned URL the request used (its own expiry decides a 403 the store words otherwise). */
  url?: string;
  retryAfter?: string | string[];
  nowMs?: number;
}

/**
 * The error of a refused data request, e.g. "the store refused part 3: SignatureDoesNotMatch — The request
 * signature we calculated does not match… (RequestId 4442…)". A 403 is marked expired only when the store
 * says so or the URL's own expiry has passed; any other 403 is final.
 */
export function storeError(service: ServiceName, status: number, body: string, what: string, context: StoreErrorContext = {}): StoreError {
  const fields = parseStoreErrorBody(body);
  const now = context.nowMs ?? Date.now();
  const expiresAt = context.url ? urlExpiresAt(context.url) : undefined;
  const expired = status === 403 && (storeSaysExpired(fields) || (expiresAt !== undefined && expiresAt <= now));
  const wait = retryAfterMs(context.retryAfter, now);
  const retryable = status >= 500 || status === 408 || status === 429 || (fields.code !== undefined && RETRYABLE_CODES.has(fields.code)) || (status === 503 && wait !== undefined);
  const ids = [fields.requestId && `RequestId ${fields.requestId}`, fields.hostId && /\./.test(fields.hostId) && `HostId ${fields.hostId}`, fields.ec && `EC ${fields.ec}`].filter(Boolean);
  const said = fields.code
    ? `${fields.code}${fields.message ? ` — ${fields.message}` : ''}`
    : fields.message ?? (body.trim() && body.length < 200 ? `HTTP ${status}: ${body.trim()}` : `HTTP ${status}`);
  const clock = expired && !storeSaysExpired(fields) ? '; the URL had expired by this computer\'s clock' : '';
  const message = `the store refused ${what}: ${said}${ids.length ? ` (${ids.join(', ')})` : ''}${clock}`;
  return new StoreError(service, status, fields.code ?? status, message, retryable, fields, expired, wait);
}

/** True for a presigned URL that is no longer valid (a new one may succeed); any other refusal is not. */
export function isExpiredUrl(error: unknown): boolean {
  return error instanceof StoreError && error.expired;
}
