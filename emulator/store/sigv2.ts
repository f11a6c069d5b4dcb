// Query-string auth of S3 Signature Version 2 and Aliyun OSS V1: HMAC-SHA1 over VERB, Content-MD5, Content-Type,
// Expires, the vendor headers and the resource (path + sub-resources), written from the stores' public documents.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { OK, type PresignRequest, type SignedRequest, type StoreKeys, type Verdict, canonicalPath, header, hexBytes, isoSeconds, refuse, trimHeaderValue } from './signedRequest';

export type V2Dialect = 's3' | 'oss';

interface DialectNames {
  keyParam: string;
  vendorPrefix: string;
  expiredMessage: string;
  keyLabel: string;
}

const DIALECTS: Record<V2Dialect, DialectNames> = {
  s3: { keyParam: 'AWSAccessKeyId', vendorPrefix: 'x-amz-', expiredMessage: 'Request has expired', keyLabel: 'AWS' },
  oss: { keyParam: 'OSSAccessKeyId', vendorPrefix: 'x-oss-', expiredMessage: 'Request has expired.', keyLabel: 'OSS' },
};

/** Both stores word it the same way. */
export const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

/** Query parameters that are part of the signed resource (the rest, e.g. the signature itself, are not). */
const SUBRESOURCES = new Set([
  'acl', 'append', 'cors', 'delete', 'lifecycle', 'location', 'logging', 'notification', 'partNumber', 'policy', 'position',
  'requestPayment', 'tagging', 'torrent', 'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'website',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding', 'response-content-language',
  'response-content-type', 'response-expires',
]);

/** `/path?a=1&b` — the sub-resources sorted by name, values as they are (not encoded). */
function canonicalResource(path: string, query: Iterable<[string, string]>): string {
  const subs = [...query].filter(([name]) => SUBRESOURCES.has(name)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (subs.length === 0) return path;
  return `${path}?${subs.map(([name, value]) => (value === '' ? name : `${name}=${value}`)).join('&')}`;
}

/** The vendor headers (`x-amz-*` / `x-oss-*`) lower-cased and sorted, one `name:value\n` each. */
function canonicalVendorHeaders(headers: SignedRequest['headers'], prefix: string): string {
  return Object.keys(headers)
    .map((name) => name.toLowerCase())
    .filter((name) => name.startsWith(prefix))
    .sort()
    .map((name) => `${name}:${trimHeaderValue(header(headers, name) ?? '')}\n`)
    .join('');
}

function stringToSign(method: string, contentMd5: string, contentType: string, expires: string, vendorHeaders: string, resource: string): string {
  return `${method.toUpperCase()}\n${contentMd5}\n${contentType}\n${expires}\n${vendorHeaders}${resource}`;
}

function sign(secret: string, text: string): string {
  return createHmac('sha1', secret).update(text, 'utf8').digest('base64');
}

export function presignV2(dialect: V2Dialect, keys: StoreKeys, req: PresignRequest): string {
  const names = DIALECTS[dialect];
  const expires = String(Math.floor(req.nowMs / 1000) + Math.max(0, Math.floor(req.ttlSeconds)));
  const resource = canonicalResource(canonicalPath(req.path), req.subresources);
  const signature = sign(keys.secret, stringToSign(req.method, '', req.contentType ?? '', expires, '', resource));
  const query = [...req.subresources.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`), `${names.keyParam}=${encodeURIComponent(keys.accessKeyId)}`, `Expires=${expires}`, `Signature=${encodeURIComponent(signature)}`];
  return `${req.baseUrl}${req.path}?${query.join('&')}`;
}

export function verifyV2(dialect: V2Dialect, keys: StoreKeys, req: SignedRequest): Verdict {
  const names = DIALECTS[dialect];
  const accessKeyId = req.query.get(names.keyParam);
  const expires = req.query.get('Expires');
  const provided = req.query.get('Signature');
  if (accessKeyId === null || expires === null || provided === null) {
    return refuse(403, 'AccessDenied', `Query-string authentication requires the Signature, Expires and ${names.keyParam} parameters`);
  }
  if (accessKeyId !== keys.accessKeyId) {
    return refuse(403, 'InvalidAccessKeyId', `The ${names.keyLabel} Access Key Id you provided does not exist in our records.`, [[names.keyParam, accessKeyId]]);
  }
  if (!/^\d+$/.test(expires)) return refuse(403, 'AccessDenied', `Invalid date (should be seconds since epoch): ${expires}`);
  const expiresAt = Number(expires);
  if (req.nowMs / 1000 > expiresAt) {
    return refuse(403, 'AccessDenied', names.expiredMessage, [['Expires', isoSeconds(expiresAt * 1000)], ['ServerTime', isoSeconds(req.nowMs)]], true);
  }
  const text = stringToSign(
    req.method,
    header(req.headers, 'content-md5') ?? '',
    header(req.headers, 'content-type') ?? '',
    expires,
    canonicalVendorHeaders(req.headers, names.vendorPrefix),
    canonicalResource(canonicalPath(req.rawPath), req.query.entries()),
  );
  const expected = Buffer.from(sign(keys.secret, text));
  const given = Buffer.from(provided);
  if (expected.length === given.length && timingSafeEqual(expected, given)) return OK;
  const diagnostics: [string, string][] =
    dialect === 's3'
      ? [['AWSAccessKeyId', accessKeyId], ['StringToSign', text], ['SignatureProvided', provided], ['StringToSignBytes', hexBytes(text)]]
      : [['OSSAccessKeyId', accessKeyId], ['SignatureProvided', provided], ['StringToSign', text], ['StringToSignBytes', hexBytes(text)]];
  return refuse(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH, diagnostics);
}
