// The private block: the small file that turns a public block back into the original (key, nonce, tag, name, size, SHA-256).
import { basename } from 'node:path';

/** The folder, beside the source (or the download destination), that holds private blocks and staging files. */
export const PRIVATE_DIR = '.datahub-private';
const SUFFIX = '.private.json';
/** Large enough for any real private block, small enough that a wrong hash cannot fill memory. */
export const MAX_PRIVATE_BLOCK_BYTES = 64 * 1024;

export interface PrivateBlock {
  format: 'datahub-private-block';
  version: 1;
  algorithm: 'AES-256-GCM';
  /** base64, 32 bytes. */
  key: string;
  /** base64, 12 bytes. */
  nonce: string;
  /** base64, 16 bytes: the GCM authentication tag of the public block. */
  tag: string;
  /** The original file name (what compose writes). */
  name: string;
  /** Bytes of the original (the public block has the same length: GCM adds no padding). */
  size: number;
  /** Hex SHA-256 of the original. */
  sha256: string;
}

export class BlockError extends Error {
  override readonly name = 'BlockError';
}

/** `<source name>.private.json`: the name the private-block flow matches against the task's source name. */
export function privateBlockFileName(sourceName: string): string {
  return `${basename(sourceName)}${SUFFIX}`;
}

/** The source name a private block file stands for, or undefined when the name is not a private block's. */
export function sourceNameOfPrivateBlock(fileName: string): string | undefined {
  const base = basename(fileName);
  return base.endsWith(SUFFIX) && base.length > SUFFIX.length ? base.slice(0, -SUFFIX.length) : undefined;
}

export function serializePrivateBlock(block: PrivateBlock): Buffer {
  return Buffer.from(`${JSON.stringify(block, null, 2)}\n`, 'utf8');
}

/** Parses and checks a private block; a malformed one is refused with what is wrong. */
export function parsePrivateBlock(bytes: Buffer | Uint8Array): PrivateBlock {
  if (bytes.length > MAX_PRIVATE_BLOCK_BYTES) throw new BlockError(`the private block is ${bytes.length} bytes, more than a private block can be: wrong hash?`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new BlockError('the private block is not valid JSON: it is damaged or not a Datahub private block');
  }
  if (!value || typeof value !== 'object') throw new BlockError('the private block is not a JSON object');
  const v = value as Record<string, unknown>;
  if (v.format !== 'datahub-private-block' || v.version !== 1) throw new BlockError('this is not a Datahub private block (format/version)');
  if (v.algorithm !== 'AES-256-GCM') throw new BlockError(`unsupported algorithm ${String(v.algorithm)}`);
  const b64 = (field: string, length: number): string => {
    const raw = v[field];
    if (typeof raw !== 'string' || Buffer.from(raw, 'base64').length !== length) throw new BlockError(`private block field ${field}: must be ${length} bytes in base64`);
    return raw;
  };
  const name = v.name;
  if (typeof name !== 'string' || !name || name !== basename(name) || name === '.' || name === '..') throw new BlockError('private block field name: must be a plain file name');
  const size = v.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new BlockError('private block field size: must be a non-negative integer');
  const sha256 = v.sha256;
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) throw new BlockError('private block field sha256: must be 64 lowercase hex characters');
  return { format: 'datahub-private-block', version: 1, algorithm: 'AES-256-GCM', key: b64('key', 32), nonce: b64('nonce', 12), tag: b64('tag', 16), name, size, sha256 };
}
