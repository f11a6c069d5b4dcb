// The object stores the emulator behaves as: how each signs presigned URLs, spells ETags, words errors and sizes parts.
import { createHash } from 'node:crypto';

export type StoreProfileName = 's3-sigv2' | 'oss' | 's3-sigv4' | 'lenient';

export const STORE_PROFILES: readonly StoreProfileName[] = ['s3-sigv2', 'oss', 's3-sigv4', 'lenient'];

/**
 * The strictest: SigV2 query auth signs Content-MD5 and Content-Type (an unsigned one is refused),
 * and S3 wants every part but the last to be at least 5 MiB.
 */
export const DEFAULT_STORE_PROFILE: StoreProfileName = 's3-sigv2';

export interface StoreProfile {
  name: StoreProfileName;
  /**
   * `sigv2`: S3 query auth (AWSAccessKeyId, Expires, Signature); `oss-v1`: Aliyun OSS V1 (OSSAccessKeyId,
   * Expires, Signature) — both HMAC-SHA1 over VERB, Content-MD5, Content-Type, Expires, x-*-headers, resource.
   * `sigv4`: S3 query auth AWS4-HMAC-SHA256 over the signed headers. `hmac`: the emulator's own
   * (X-Expires, X-Signature over method, path and expiry; no header is signed).
   */
  signature: 'sigv2' | 'oss-v1' | 'sigv4' | 'hmac';
  /** Every part but the last must be at least this large (checked at complete, as the stores do). */
  minPartSize: number;
  /** OSS answers ETags in upper-case hex; S3 in lower-case. */
  upperCaseEtags: boolean;
  /** Whose XML error layout (and request id header) the answers use. */
  errors: 's3' | 'oss';
  /** Header names that only a signed request may carry (x-amz-* / x-oss-*). */
  vendorHeaderPrefix: 'x-amz-' | 'x-oss-';
  /** Complete refuses parts that are not in ascending order. */
  ascendingParts: boolean;
}

const MIB = 1024 * 1024;

const PROFILES: Record<StoreProfileName, StoreProfile> = {
  's3-sigv2': { name: 's3-sigv2', signature: 'sigv2', minPartSize: 5 * MIB, upperCaseEtags: false, errors: 's3', vendorHeaderPrefix: 'x-amz-', ascendingParts: true },
  // OSS: "the size of each part except the last must be at least 100 KB".
  oss: { name: 'oss', signature: 'oss-v1', minPartSize: 100 * 1024, upperCaseEtags: true, errors: 'oss', vendorHeaderPrefix: 'x-oss-', ascendingParts: true },
  's3-sigv4': { name: 's3-sigv4', signature: 'sigv4', minPartSize: 5 * MIB, upperCaseEtags: false, errors: 's3', vendorHeaderPrefix: 'x-amz-', ascendingParts: true },
  lenient: { name: 'lenient', signature: 'hmac', minPartSize: 0, upperCaseEtags: false, errors: 's3', vendorHeaderPrefix: 'x-amz-', ascendingParts: false },
};

export function storeProfile(name: StoreProfileName): StoreProfile {
  return PROFILES[name];
}

export function isStoreProfileName(value: unknown): value is StoreProfileName {
  return typeof value === 'string' && (STORE_PROFILES as readonly string[]).includes(value);
}

/** What the run was started with and what the admin API changed since: the profile and its switches. */
export interface StoreSettings {
  profile: StoreProfileName;
  /** Overrides the profile's part-size minimum (0 lets tests with small parts opt out explicitly). */
  minPartSize?: number;
  /** The Content-Type the emulated Datahub (api 000) presigns its part URLs with; none by default. */
  datahubContentType?: string;
}

/** The live store settings of one emulator run. */
export class StoreConfig {
  private current: StoreSettings;

  constructor(initial: Partial<StoreSettings> = {}) {
    this.current = { profile: DEFAULT_STORE_PROFILE, ...initial };
  }

  get settings(): Readonly<StoreSettings> {
    return this.current;
  }

  get profile(): StoreProfile {
    return storeProfile(this.current.profile);
  }

  get minPartSize(): number {
    return this.current.minPartSize ?? this.profile.minPartSize;
  }

  update(change: Partial<StoreSettings>): void {
    this.current = { ...this.current, ...change };
  }

  /** Hex as the store spells it (upper-case for OSS). */
  hex(hex: string): string {
    return this.profile.upperCaseEtags ? hex.toUpperCase() : hex.toLowerCase();
  }

  /** The ETag header of a stored part or single-PUT object: `"<md5 hex>"`. */
  etag(md5: string): string {
    return `"${this.hex(md5)}"`;
  }

  /** The ETag of an object completed from parts: MD5 of the parts' binary MD5s, then `-N`, quoted. */
  compositeEtag(partMd5s: readonly string[]): string {
    return `"${this.hex(compositeMd5(partMd5s))}-${partMd5s.length}"`;
  }

  describe(): Record<string, unknown> {
    return { profile: this.current.profile, min_part_size: this.minPartSize, datahub_content_type: this.current.datahubContentType ?? null };
  }
}

/** MD5 over the concatenated binary MD5s (the hex part of a multipart ETag). */
export function compositeMd5(partMd5s: readonly string[]): string {
  const hash = createHash('md5');
  for (const md5 of partMd5s) hash.update(Buffer.from(md5, 'hex'));
  return hash.digest('hex');
}
