// The Pandora request signature (Qiniu AK/SK, as qiniu/pandora-go-sdk base/sign.go computes it).
import { createHmac } from 'node:crypto';

export interface PandoraSignRequest {
  method: string;
  /** The URL path only: the SDK signs no query sub-resources. */
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

/** An RFC 1123 GMT date as the Date header wants it (`Tue, 24 Nov 2026 18:00:00 GMT`). */
export function httpDate(now: Date = new Date()): string {
  return now.toUTCString();
}
