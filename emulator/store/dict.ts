// Records keyed by data (subtask ids, upload ids, part numbers): null-prototype, so "constructor" or "__proto__" is just a key.

/** A null-prototype copy of `from`: `d["__proto__"] = x` stores a key instead of changing a prototype. */
export function dict<T>(from?: Readonly<Record<string, T>> | null): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  if (from) for (const [key, value] of Object.entries(from)) out[key] = value;
  return out;
}

/** The own value under `key` (never one inherited from Object.prototype). */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
