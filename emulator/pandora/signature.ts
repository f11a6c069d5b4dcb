// What the Pandora service computes to check a request's signature: HMAC-SHA1 over the method, Content-MD5,
// Content-Type, Date, the X-Qiniu-* headers and the request's DECODED path (Go's req.URL.Path), as bytes.
import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const QINIU_HEADER = 'X-Qiniu-';

/** Go's textproto.CanonicalMIMEHeaderKey: names with a character outside the token set stay as they are. */
function canonicalName(name: string): string {
  for (const ch of name) if (!/[0-9A-Za-z!#$%&'*+\-.^_`|~]/.test(ch)) return name;
  let upper = true;
  let out = '';
  for (const ch of name) {
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  return out;
}

/** The first value of every header, under its canonical name (Go's http.Header and Header.Get). */
function firstValues(req: IncomingMessage): Map<string, string> {
  const values = new Map<string, string>();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = canonicalName(raw[i]);
    if (!values.has(name)) values.set(name, raw[i + 1]);
  }
  return values;
}

/**
 * The path as the server's URL parser leaves it: every %XX replaced by its byte. undefined when an escape is
 * malformed (such a request never reaches the signature check of a Go server: it is a 400).
 */
export function decodedPath(requestTarget: string): Buffer | undefined {
  const end = requestTarget.search(/[?#]/);
  const raw = Buffer.from(end === -1 ? requestTarget : requestTarget.slice(0, end), 'latin1');
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== 0x25) {
      out.push(raw[i]);
      continue;
    }
    const hex = raw.subarray(i + 1, i + 3).toString('latin1');
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
    out.push(parseInt(hex, 16));
    i += 2;
  }
  return Buffer.from(out);
}

/** The bytes that are signed for `req` (its method, headers and raw request target). */
export function signedBytes(req: IncomingMessage, path: Buffer): Buffer {
  const headers = firstValues(req);
  const lines = [req.method ?? '', headers.get('Content-Md5') ?? '', headers.get('Content-Type') ?? '', headers.get('Date') ?? ''];
  let qiniu = '';
  const names = [...headers.keys()].filter((n) => n.length > QINIU_HEADER.length && n.startsWith(QINIU_HEADER)).sort();
  for (const name of names) qiniu += `\n${name.toLowerCase()}:${headers.get(name) ?? ''}`;
  return Buffer.concat([Buffer.from(`${lines.join('\n')}\n${qiniu}`, 'latin1'), path]);
}

/** `urlsafe_base64(hmac_sha1(sk, data))` with its `=` padding. */
export function expectedSign(secretKey: string, data: Buffer): string {
  const standard = createHmac('sha1', Buffer.from(secretKey, 'utf8')).update(data).digest('base64');
  return standard.split('+').join('-').split('/').join('_');
}
