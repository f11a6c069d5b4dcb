// Multipart ETags `"<hex>-N"` (MD5 of the parts' binary MD5s): read, and the part sizes that may have made one
// (from N and the size). The candidates are hashed as a download lands (orderedHasher.ts, one read of the bytes).
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
