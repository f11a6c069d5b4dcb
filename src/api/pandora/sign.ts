// The Pandora request signature (Qiniu AK/SK, as qiniu/pandora-go-sdk base/sign.go computes it).
import { createHmac } from 'node:crypto';

export interface PandoraSignRequest {
  method: string;
  /** The URL path only, as the server reads it (see `serverPath`): the SDK signs no query sub-resources. */
  path: string;
  contentType?: string;
  contentMd5?: string;
  /** The Date header as sent (RFC 1123, GMT). */
  date: string;
  /** Every request header; only X-Qiniu-* ones take part in the signature. */
  headers?: Record<string, string>;
}

export interface PandoraCredentials {
  accessKey: string;
  secretKey: string;
}

const QINIU_PREFIX = 'X-Qiniu-';

/** Go's textproto.CanonicalMIMEHeaderKey for the usual token characters (x-qiniu-foo → X-Qiniu-Foo). */
export function canonicalHeaderName(name: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(name)) return name;
  return name
    .split('-')
    .map((part) => (part ? part[0].toUpperCase() + part.slice(1).toLowerCase() : part))
    .join('-');
}

/** The text that is signed: METHOD, Content-MD5, Content-Type, Date, each on a line, then "\nx-qiniu-name:value"… then the path. */
export function stringToSign(request: PandoraSignRequest): string {
  let text = `${request.method.toUpperCase()}\n${request.contentMd5 ?? ''}\n${request.contentType ?? ''}\n${request.date}\n`;
  // Go sorts the canonical names (byte order) and lowercases them only when writing.
  const qiniu = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    const canonical = canonicalHeaderName(name);
    if (canonical.length > QINIU_PREFIX.length && canonical.startsWith(QINIU_PREFIX) && !qiniu.has(canonical)) qiniu.set(canonical, value);
  }
  for (const name of [...qiniu.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    text += `\n${name.toLowerCase()}:${qiniu.get(name) ?? ''}`;
  }
  return text + request.path;
}

/** url-safe base64 of HMAC-SHA1(secretKey, stringToSign), `=` padding kept (Go's base64.URLEncoding). */
export function pandoraSign(request: PandoraSignRequest, secretKey: string): string {
  return createHmac('sha1', secretKey).update(stringToSign(request), 'utf8').digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** The whole Authorization header value: `Pandora <AccessKey>:<sign>`. */
export function pandoraAuthorization(request: PandoraSignRequest, credentials: PandoraCredentials): string {
  return `Pandora ${credentials.accessKey}:${pandoraSign(request, credentials.secretKey)}`;
}

/**
 * The path the service signs for a request sent to `pathAsSent`: Go's `req.URL.Path`, where every %XX escape is
 * decoded (a job named 中文 is sent as /v2/jobs/%E4%B8%AD%E6%96%87 and signed as /v2/jobs/中文).
 */
export function serverPath(pathAsSent: string): string {
  try {
    return decodeURIComponent(pathAsSent);
  } catch {
    return pathAsSent; // A malformed escape is never sent by this client (names are encoded whole).
  }
}

/** Which path is signed: as the server decodes it (the default, like the Go SDK) or as sent, percent-encoded. */
export type SignedPath = 'decoded' | 'asSent';

/**
 * The path signed for a request to `baseUrl` + `path`: the whole request path (a base such as https://host/pandora
 * puts /pandora before every path, as the SDK's endpoint does), decoded unless `mode` says asSent.
 */
export function pathToSign(baseUrl: string, path: string, mode: SignedPath): string {
  let base = '';
  try {
    base = new URL(baseUrl).pathname.replace(/\/+$/, '');
  } catch {
    // No base path when the base URL does not parse (the request then fails with its own error).
  }
  return mode === 'decoded' ? serverPath(base + path) : base + path;
}

/** An RFC 1123 GMT date as the Date header wants it (`Tue, 24 Nov 2026 18:00:00 GMT`). */
export function httpDate(now: Date = new Date()): string {
  return now.toUTCString();
}
