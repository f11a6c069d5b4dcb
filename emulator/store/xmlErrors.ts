// Error answers of the emulated object store, in the XML layout and headers of the store profile (S3 or OSS).
import { randomBytes } from 'node:crypto';
import { HttpError } from '../router';
import type { StoreProfile } from './profiles';

/** OSS's own error numbers for the refusals whose numbers it documents. */
const OSS_EC: Record<string, string> = {
  SignatureDoesNotMatch: '0002-00000040',
  expired: '0002-00000069',
};

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function element(name: string, value: string): string {
  return `<${name}>${xmlEscape(value)}</${name}>`;
}

export interface StoreErrorSpec {
  status: number;
  code: string;
  message: string;
  /** The store's additional elements (Expires, StringToSign, Resource, …). */
  extra?: [string, string][];
  /** Marks the expired-URL refusal (OSS numbers it apart from other AccessDenied answers). */
  expired?: boolean;
  /** The Host the request was sent to (OSS's HostId). */
  host?: string;
}

/** An error answer the way the profile's store writes it: body, Content-Type and request id headers. */
export function storeErrorAnswer(profile: StoreProfile, spec: StoreErrorSpec): HttpError {
  const extra = spec.extra ?? [];
  if (profile.errors === 'oss') {
    const requestId = randomBytes(12).toString('hex').toUpperCase();
    const ec = OSS_EC[spec.expired ? 'expired' : spec.code];
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n' +
      [element('Code', spec.code), element('Message', spec.message), element('RequestId', requestId), element('HostId', spec.host ?? 'oss.emulator.invalid'), ...extra.map(([k, v]) => element(k, v)), ...(ec ? [element('EC', ec)] : [])]
        .map((line) => `  ${line}\n`)
        .join('') +
      '</Error>\n';
    return new HttpError(spec.status, body, { 'Content-Type': 'application/xml', 'x-oss-request-id': requestId, Server: 'AliyunOSS', ...(ec ? { 'x-oss-ec': ec } : {}) });
  }
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const hostId = randomBytes(32).toString('base64');
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error>${element('Code', spec.code)}${element('Message', spec.message)}${extra.map(([k, v]) => element(k, v)).join('')}${element('RequestId', requestId)}${element('HostId', hostId)}</Error>`;
  return new HttpError(spec.status, body, { 'Content-Type': 'application/xml', 'x-amz-request-id': requestId, 'x-amz-id-2': hostId, Server: 'AmazonS3' });
}
