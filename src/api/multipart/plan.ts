// The part plan of an init answer (api 004): followed as the server gives it, refused only when it cannot upload the file.
import { ApiError } from '../errors';
import type { InitPart } from './types';

/** One part of the server's plan: bytes [start_byte, end_byte) of the file go to part_number. */
export interface PlannedPart {
  part_number: number;
  start_byte: number;
  /** Exclusive: the document's example part 0 … 5242880 has size 5242880 (`file.slice(start_byte, end_byte)`). */
  end_byte: number;
}

/**
 * Why the parts cannot upload a file of `fileSize` bytes, or undefined when they can: sorted by
 * part_number they must be numbered from 1 without repeats and cover the file exactly, each one
 * starting where the one before ends (the server assembles the object in part-number order).
 * Sizes and counts that differ from the chunk_size asked for are the server's choice.
 */
export function partPlanProblem(parts: readonly InitPart[], fileSize: number): string | undefined {
  if (parts.length === 0) return 'it has no parts';
  const sorted = [...parts].sort((a, b) => a.part_number - b.part_number);
  let next = 0;
  for (const [i, p] of sorted.entries()) {
    const name = `part ${p.part_number}`;
    if (p.part_number < 1) return `${name}: part numbers start at 1`;
    if (i > 0 && sorted[i - 1].part_number === p.part_number) return `${name} appears twice`;
    if (p.start_byte !== next) return `${name} starts at byte ${p.start_byte}, where byte ${next} was expected (a gap or an overlap)`;
    if (p.end_byte < p.start_byte || (p.end_byte === p.start_byte && fileSize > 0)) return `${name} is empty or ends before it starts (${p.start_byte}–${p.end_byte})`;
    if (typeof p.size === 'number' && p.size !== p.end_byte - p.start_byte) return `${name}: size ${p.size} is not end_byte − start_byte (${p.end_byte - p.start_byte})`;
    if (!p.upload_url) return `${name} has no upload_url`;
    next = p.end_byte;
  }
  if (next !== fileSize) return `the parts end at byte ${next}, the file has ${fileSize}`;
  return undefined;
}

/** The plan of an init answer, sorted by part number; ApiError BAD_RESPONSE naming the problem when it cannot upload the file. */
export function followPlan(parts: readonly InitPart[], fileSize: number): PlannedPart[] {
  const problem = partPlanProblem(parts, fileSize);
  if (problem) throw new ApiError('multipart', 200, 'BAD_RESPONSE', `multipart/init planned parts that cannot upload this file: ${problem}`);
  return [...parts].sort((a, b) => a.part_number - b.part_number).map((p) => ({ part_number: p.part_number, start_byte: p.start_byte, end_byte: p.end_byte }));
}
