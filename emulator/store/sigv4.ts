// Query-string auth of S3 Signature Version 4 (AWS4-HMAC-SHA256, UNSIGNED-PAYLOAD) over the signed headers,
// written from the public description of the canonical request, string-to-sign and signing key.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SIGNATURE_MISMATCH } from './sigv2';
import { OK, type PresignRequest, type SignedRequest, type StoreKeys, type Verdict, canonicalPath, header, hexBytes, isoSeconds, refuse, rfc3986, trimHeaderValue } from './signedRequest';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const REGION = 'us-east-1';
const SERVICE = 's3';
const MAX_EXPIRES = 604_800;

/** 20240102T030405Z */
function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

/** Every query parameter but the signature, names and values encoded, sorted by name (then value). */
function canonicalQuery(params: Iterable<[string, string]>): string {
  return [...params]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function canonicalRequest(method: string, path: string, query: string, headers: [string, string][], signedHeaders: string): string {
  const lines = headers.map(([name, value]) => `${name}:${trimHeaderValue(value)}\n`).join('');
  return `${method.toUpperCase()}\n${canonicalPath(path)}\n${query}\n${lines}\n${signedHeaders}\nUNSIGNED-PAYLOAD`;
}

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

function signature(keys: StoreKeys, date: string, text: string): string {
  const day = date.slice(0, 8);
  const key = hmac(hmac(hmac(hmac(`AWS4${keys.secret}`, day), REGION), SERVICE), 'aws4_request');
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

function stringToSign(date: string, scope: string, request: string): string {
  return `${ALGORITHM}\n${date}\n${scope}\n${createHash('sha256').update(request, 'utf8').digest('hex')}`;
}

export function presignV4(keys: StoreKeys, req: PresignRequest): string {
  const date = amzDate(req.nowMs);
  const scope = `${date.slice(0, 8)}/${REGION}/${SERVICE}/aws4_request`;
  const host = new URL(req.baseUrl).host;
  const headers: [string, string][] = [['host', host]];
  if (req.contentType !== undefined) headers.unshift(['content-type', req.contentType]);
  const signedHeaders = headers.map(([name]) => name).join(';');
  const params: [string, string][] = [
    ...req.subresources,
    ['X-Amz-Algorithm', ALGORITHM],
    ['X-Amz-Credential', `${keys.accessKeyId}/${scope}`],
    ['X-Amz-Date', date],
    ['X-Amz-Expires', String(Math.min(MAX_EXPIRES, Math.max(0, Math.floor(req.ttlSeconds))))],
    ['X-Amz-SignedHeaders', signedHeaders],
  ];
  const request = canonicalRequest(req.method, req.path, canonicalQuery(params), headers, signedHeaders);
  params.push(['X-Amz-Signature', signature(keys, date, stringToSign(date, scope, request))]);
  return `${req.baseUrl}${req.path}?${params.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&')}`;
}

export function verifyV4(keys: StoreKeys, req: SignedRequest): Verdict {
  const q = (name: string): string | null => req.query.get(name);
  const algorithm = q('X-Amz-Algorithm');
  const credential = q('X-Amz-Credential');
  const date = q('X-Amz-Date');
  const expires = q('X-Amz-Expires');
  const signed = q('X-Amz-SignedHeaders');
  const provided = q('X-Amz-Signature');
  if (algorithm === null || credential === null || date === null || expires === null || signed === null || provided === null) {
    return refuse(400, 'AuthorizationQueryParametersError', 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  }
  if (algorithm !== ALGORITHM) return refuse(400, 'AuthorizationQueryParametersError', `X-Amz-Algorithm only supports "${ALGORITHM}"`);
  const [accessKeyId, ...scopeParts] = credential.split('/');
  if (accessKeyId !== keys.accessKeyId) return refuse(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', [['AWSAccessKeyId', accessKeyId]]);
  const signedAt = parseAmzDate(date);
  const lifetime = Number(expires);
  if (signedAt === undefined) return refuse(400, 'AuthorizationQueryParametersError', `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  if (!Number.isInteger(lifetime) || lifetime < 0 || lifetime > MAX_EXPIRES) {
    return refuse(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be less than a week (in seconds) that is 604800');
  }
  if (req.nowMs > signedAt + lifetime * 1000) {
    return refuse(403, 'AccessDenied', 'Request has expired', [['X-Amz-Expires', expires], ['Expires', isoSeconds(signedAt + lifetime * 1000)], ['ServerTime', isoSeconds(req.nowMs)]], true);
  }
  const names = signed.split(';');
  const unsigned = Object.keys(req.headers).filter((name) => name.startsWith('x-amz-') && !names.includes(name));
  if (unsigned.length > 0) {
    return refuse(403, 'AccessDenied', 'There were headers present in the request which were not signed', [['HeadersNotSigned', unsigned.join(', ')]]);
  }
  const headers: [string, string][] = names.map((name) => [name, header(req.headers, name) ?? '']);
  const request = canonicalRequest(req.method, req.rawPath, canonicalQuery(req.query.entries()), headers, signed);
  const text = stringToSign(date, scopeParts.join('/'), request);
  const expected = Buffer.from(signature(keys, date, text));
  const given = Buffer.from(provided);
  if (expected.length === given.length && timingSafeEqual(expected, given)) return OK;
  return refuse(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH, [
    ['AWSAccessKeyId', accessKeyId],
    ['StringToSign', text],
    ['SignatureProvided', provided],
    ['StringToSignBytes', hexBytes(text)],
    ['CanonicalRequest', request],
    ['CanonicalRequestBytes', hexBytes(request)],
  ]);
}
