// A save's comparison scoped to what it says changed: the small fields of a record and the named paths, not its whole files list.
import { diffJson, type JournalOp, type JsonPath } from './journalDiff';

/** The fields of a record that may be large (a folder's files): compared only where a save says they changed. */
const LARGE_FIELDS = new Set(['params', 'checkpoint', 'elsewhere']);

/** The value at `path` below `root` (own keys only), and whether every level above it exists. */
function valueAt(root: unknown, path: JsonPath): { found: boolean; value: unknown } {
  let at: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (Array.isArray(at) && typeof key === 'number') at = at[key];
    else if (at !== null && typeof at === 'object' && !Array.isArray(at) && typeof key === 'string') at = Object.prototype.hasOwnProperty.call(at, key) ? (at as Record<string, unknown>)[key] : undefined;
    else return { found: false, value: undefined };
    if (at === undefined && i < path.length - 1) return { found: false, value: undefined };
  }
  return { found: true, value: at };
}

/**
 * What changed between `before` (the journal's copy) and the live record, looking only at the small fields and at
 * `changed`; undefined when a changed path has no parent in `before` yet (the caller compares everything then).
 */
export function scopedDiff(before: Record<string, unknown>, live: Record<string, unknown>, changed: readonly JsonPath[]): JournalOp[] | undefined {
  const ops: JournalOp[] = [];
  for (const key of Object.keys(before)) if (!LARGE_FIELDS.has(key) && live[key] === undefined) ops.push(['d', [key]]);
  for (const key of Object.keys(live)) if (!LARGE_FIELDS.has(key)) diffJson(before[key], live[key], [key], ops);
  for (const path of changed) {
    if (path.length < 2 || path[0] === 'elsewhere') return undefined;
    const parentBefore = valueAt(before, path.slice(0, -1));
    const parentNow = valueAt(live, path.slice(0, -1));
    if (!parentBefore.found || !parentNow.found || parentBefore.value === null || typeof parentBefore.value !== 'object' || parentNow.value === null || typeof parentNow.value !== 'object') return undefined;
    diffJson(valueAt(before, path).value, valueAt(live, path).value, [...path], ops);
  }
  return ops;
}
