// Splits a file into parts: the configured chunk size, grown so that no file needs more than 10,000 parts.
export const MAX_PARTS = 10_000;

export interface PartRange {
  /** 1-based, as both backends number parts. */
  index: number;
  start: number;
  /** Exclusive. */
  end: number;
}

export interface PartPlan {
  partSize: number;
  parts: PartRange[];
}

/** The part size for a file: `chunkSize`, or ceil(size / maxParts) when that is larger. */
export function choosePartSize(fileSize: number, chunkSize: number, maxParts = MAX_PARTS): number {
  if (!Number.isSafeInteger(fileSize) || fileSize < 0) throw new RangeError(`file size ${fileSize} is not a non-negative integer`);
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunk size ${chunkSize} must be a positive integer`);
  return Math.max(chunkSize, Math.ceil(fileSize / maxParts));
}

/** Parts of `partSize` bytes; a 0-byte file is one empty part. The part size is fixed by the caller (never recomputed on resume). */
export function planParts(fileSize: number, partSize: number): PartPlan {
  if (!Number.isSafeInteger(fileSize) || fileSize < 0) throw new RangeError(`file size ${fileSize} is not a non-negative integer`);
  if (!Number.isSafeInteger(partSize) || partSize < 1) throw new RangeError(`part size ${partSize} must be a positive integer`);
  const count = Math.max(1, Math.ceil(fileSize / partSize));
  const parts: PartRange[] = [];
  for (let i = 0; i < count; i++) {
    const start = i * partSize;
    parts.push({ index: i + 1, start, end: Math.min(fileSize, start + partSize) });
  }
  return { partSize, parts };
}
