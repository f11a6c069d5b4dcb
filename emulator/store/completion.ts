// The object stores' rules for completing a multipart upload, in their words: part order, known parts, part sizes.

export interface CompletedPart {
  /** Where it is in the request (`parts[2]`), for the message. */
  position: number;
  number: number;
  size: number;
}

/** InvalidPartOrder: "The list of parts was not in ascending order. Parts must be ordered by part number." */
export function partOrderProblem(numbers: readonly number[]): { position: number; message: string } | undefined {
  for (let i = 1; i < numbers.length; i++) {
    if (numbers[i] <= numbers[i - 1]) {
      return { position: i, message: `InvalidPartOrder — The list of parts was not in ascending order (part ${numbers[i]} comes after ${numbers[i - 1]}). Parts must be ordered by part number.` };
    }
  }
  return undefined;
}

/**
 * EntityTooSmall: every part but the last must be at least `minPartSize` bytes (S3: 5 MiB, OSS: 100 KB).
 * `parts` are in part-number order and include the last part.
 */
export function partSizeProblem(parts: readonly CompletedPart[], minPartSize: number): { position: number; message: string } | undefined {
  for (const part of parts.slice(0, -1)) {
    if (part.size < minPartSize) {
      return {
        position: part.position,
        message: `EntityTooSmall — Your proposed upload is smaller than the minimum allowed size: part ${part.number} has ${part.size} bytes, every part but the last must have at least ${minPartSize}`,
      };
    }
  }
  return undefined;
}

/** InvalidPart: "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag." */
export function invalidPartMessage(number: number, given: string, expected: string): string {
  return `InvalidPart — ${JSON.stringify(given)} does not match the ETag of part ${number}, ${JSON.stringify(expected)}: the part might not have been uploaded, or the ETag might not have matched the part's ETag`;
}
