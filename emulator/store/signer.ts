// Presigned URLs of the emulated object store, signed and verified the way the chosen store profile does it.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { StoreProfile } from './profiles';
import { OK, type PresignRequest, type SignedRequest, type StoreKeys, type Verdict, isoSeconds, refuse } from './signedRequest';
import { SIGNATURE_MISMATCH, presignV2, verifyV2 } from './sigv2';
import { presignV4, verifyV4 } from './sigv4';

/** The store's credentials from the data dir's key: a fixed key keeps issued URLs valid across restarts, as with real storage. */
export function storeKeys(key: Buffer): StoreKeys {
  const digest = createHash('sha256').update('datahub-emulator-store:').update(key).digest();
  return {
    accessKeyId: `AKIAEMU${digest.subarray(0, 7).toString('hex').toUpperCase().slice(0, 13)}`,
    secret: digest.subarray(8).toString('base64').slice(0, 40),
    hmacKey: key,
  };
}

type Scheme = StoreProfile['signature'];

/** How each scheme issues and checks a URL. */
const SCHEMES: Record<Scheme, { presign(keys: StoreKeys, req: PresignRequest): string; verify(keys: StoreKeys, req: SignedRequest): Verdict }> = {
  sigv2: { presign: (k, r) => presignV2('s3', k, r), verify: (k, r) => verifyV2('s3', k, r) },
  'oss-v1': { presign: (k, r) => presignV2('oss', k, r), verify: (k, r) => verifyV2('oss', k, r) },
  sigv4: { presign: presignV4, verify: verifyV4 },
  hmac: { presign: presignHmac, verify: verifyHmac },
};

/** The scheme a URL was issued with, by its parameters; undefined when it carries none of them. */
function schemeOf(query: URLSearchParams): Scheme | undefined {
  if (query.has('X-Amz-Signature')) return 'sigv4';
  if (query.has('OSSAccessKeyId')) return 'oss-v1';
  if (query.has('AWSAccessKeyId')) return 'sigv2';
  if (query.has('X-Signature')) return 'hmac';
  return undefined;
}

export class StoreSigner {
  constructor(readonly keys: StoreKeys) {}

  presign(profile: StoreProfile, req: PresignRequest): string {
    return SCHEMES[profile.signature].presign(this.keys, req);
  }

  /**
   * The verdict of the scheme the URL was issued with (so that a URL issued before the profile changed is
   * still judged by its own rules), or of the profile's scheme when it carries none.
   */
  verify(profile: StoreProfile, req: SignedRequest): Verdict {
    return SCHEMES[schemeOf(req.query) ?? profile.signature].verify(this.keys, req);
  }
}

function hmacSignature(key: Buffer, method: string, path: string, expires: number): string {
  return createHmac('sha256', key).update(`${method.toUpperCase()}\n${path}\n${expires}`).digest('hex');
}

/** The lenient profile: HMAC over method, path and expiry; headers and sub-resources are not covered. */
function presignHmac(keys: StoreKeys, req: PresignRequest): string {
  const expires = Math.floor(req.nowMs / 1000) + Math.max(0, Math.floor(req.ttlSeconds));
  const subs = req.subresources.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}&`).join('');
  return `${req.baseUrl}${req.path}?${subs}X-Expires=${expires}&X-Signature=${hmacSignature(keys.hmacKey, req.method, req.path, expires)}`;
}

function verifyHmac(keys: StoreKeys, req: SignedRequest): Verdict {
  const expires = Number(req.query.get('X-Expires'));
  const given = Buffer.from(req.query.get('X-Signature') ?? '');
  if (!Number.isInteger(expires)) return refuse(403, 'AccessDenied', 'Query-string authentication requires the X-Signature and X-Expires parameters');
  const expected = Buffer.from(hmacSignature(keys.hmacKey, req.method, req.rawPath, expires));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return refuse(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH);
  if (req.nowMs / 1000 > expires) return refuse(403, 'AccessDenied', 'Request has expired', [['Expires', isoSeconds(expires * 1000)], ['ServerTime', isoSeconds(req.nowMs)]], true);
  return OK;
}
