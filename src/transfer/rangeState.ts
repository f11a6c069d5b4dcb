// What a ranged download records to resume (RangeState), and the bytes its finished parts cover.
import type { PartFileIdentity } from './partFile';
import { planParts, type PartRange } from './parts';

/** What a resumed download must know: fixed at the first run, then only `done` grows. */
export interface RangeState {
  size: number;
  /** As the store sent it (quotes included); empty when it sent none. */
  etag: string;
  partSize: number;
  /** 1-based indexes of the parts whose bytes are all written. */
  done: number[];
  /** The file this download created: a resumed download writes into that file only. */
  file?: PartFileIdentity;
}

/** Bytes covered by the finished parts of `state`. */
export function doneBytes(state: RangeState | undefined): number {
  if (!state) return 0;
  const parts = planParts(state.size, state.partSize).parts;
  return state.done.reduce((sum, index) => sum + partLength(parts, index), 0);
}

function partLength(parts: readonly PartRange[], index: number): number {
  const part = parts[index - 1];
  return part ? part.end - part.start : 0;
}
