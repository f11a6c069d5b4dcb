// Verifies a multipart ETag `"<hex>-N"` (MD5 of the parts' binary MD5s): the part size is inferred from N and
// the size, and every candidate is hashed from one read of the file.
import { createHash, type Hash } from 'node:crypto';
import { readFileChunks } from './md5';
import { choosePartSize } from './parts';

const MIB = 1024 * 1024;
/** Each candidate costs one more MD5 over the file: a few are tried, the likely ones first. */
export const MAX_CANDIDATES = 8;

export interface CompositeEtag {
  /** Lower-case hex (OSS answers upper-case). */
  hex: string;
  parts: number;
}

/** `"<32 hex>-N"` (quotes optional, any case); undefined for any other ETag. */
export function parseCompositeEtag(etag: string): CompositeEtag | undefined {
  const m = /^"?([0-9a-fA-F]{32})-(\d{1,5})"?$/.exec(etag.trim());
  if (!m) return undefined;
  const parts = Number(m[2]);
  return parts >= 1 ? { hex: m[1].toLowerCase(), parts } : undefined;
}

/** Whether parts of `partSize` bytes cut `size` bytes into exactly `parts` parts. */
function fits(size: number, parts: number, partSize: number): boolean {
  return partSize >= 1 && Math.max(1, Math.ceil(size / partSize)) === parts;
}

/**
 * The part sizes that give `parts` parts for `size` bytes, most likely first: 5, 8 and 16 MiB (the common
 * clients' defaults), the configured chunk and this client's own choice for it, then whole MiB from the smallest
 * that fits. A single part is the same for every size.
 */
export function candidatePartSizes(size: number, parts: number, chunkSize: number): number[] {
  if (parts === 1) return size > 0 ? [size] : [1];
  const out: number[] = [];
  const add = (p: number): void => {
    if (out.length < MAX_CANDIDATES && fits(size, parts, p) && !out.includes(p)) out.push(p);
  };
  for (const p of [5 * MIB, 8 * MIB, 16 * MIB, chunkSize, choosePartSize(size, chunkSize)]) add(p);
  const smallest = Math.ceil(size / parts);
  for (let mib = Math.ceil(smallest / MIB); out.length < MAX_CANDIDATES && fits(size, parts, mib * MIB); mib++) add(mib * MIB);
  // Sizes that are not whole MiB: the smallest that fits (parts of equal size but the last).
  add(smallest);
  return out;
}

/** The multipart ETag of a file for one part size, fed the file front to back. */
export class CompositeCandidate {
  private readonly digests: Buffer[] = [];
  private hash: Hash = createHash('md5');
  private filled = 0;

  constructor(readonly partSize: number) {}

  update(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(this.partSize - this.filled, chunk.length - offset);
      this.hash.update(chunk.subarray(offset, offset + take));
      this.filled += take;
      offset += take;
      if (this.filled === this.partSize) this.cut();
    }
  }

  /** The composite hex over every part (a trailing partial part included). */
  finish(): string {
    if (this.filled > 0 || this.digests.length === 0) this.cut();
    const composite = createHash('md5');
    for (const digest of this.digests) composite.update(digest);
    return composite.digest('hex');
  }

  private cut(): void {
    this.digests.push(this.hash.digest());
    this.hash = createHash('md5');
    this.filled = 0;
  }
}

/**
 * The part size for which the file at `path` has the composite ETag `etag`, or undefined when none of the
 * candidates gives it (then the content can only be checked by its size).
 */
export async function verifyCompositeEtag(
  path: string,
  size: number,
  etag: CompositeEtag,
  chunkSize: number,
  options: { signal?: AbortSignal; onBytes?: (n: number) => void } = {},
): Promise<number | undefined> {
  const candidates = candidatePartSizes(size, etag.parts, chunkSize).map((p) => new CompositeCandidate(p));
  if (candidates.length === 0) return undefined;
  await readFileChunks(path, options, (chunk) => {
    for (const candidate of candidates) candidate.update(chunk);
  });
  return candidates.find((c) => c.finish() === etag.hex)?.partSize;
}
