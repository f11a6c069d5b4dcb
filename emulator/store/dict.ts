// Null-prototype records for state keyed by ids a client chooses (`__proto__`, `constructor` are ids too).

/**
 * A record without a prototype, filled from `from` (e.g. parsed JSON): `d["__proto__"]` and
 * `d["constructor"]` are then plain own entries, absent until set, never Object.prototype's members.
 */
export function dict<T>(from?: Record<string, T>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  if (from && typeof from === 'object') for (const key of Object.keys(from)) out[key] = from[key];
  return out;
}
