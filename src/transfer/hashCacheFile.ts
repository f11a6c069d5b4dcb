// The hash cache's file: its entry format, validation of what is read back, and merging two processes' entries.
import { readFile } from 'node:fs/promises';
import type { FileIdentity } from './fileIdentity';
import { writeOwnerOnlyFile } from './ownerOnlyFile';

export const HASH_CACHE_FILE = 'hash-cache.json';

export const MD5_HEX = /^[0-9a-f]{32}$/;

export interface Entry {
  size: number;
  mtimeNs: string;
  ctimeNs: string;
  md5: string;
  /** Part MD5s by part size in bytes (decimal string). */
  parts: Record<string, string[]>;
  /** Last stored or found (ms since the epoch): the least recently used go first when the cache is full. */
  usedAt: number;
}

interface CacheFile {
  version: 1;
  entries: Record<string, Entry>;
}

/** Entries are keyed by the file (device and inode), whatever its path. */
export function keyOf(identity: FileIdentity): string {
  return `${identity.dev}:${identity.ino}`;
}

function isEntry(v: unknown): v is Entry {
  if (!v || typeof v !== 'object') return false;
  const e = v as Partial<Entry>;
  return (
    typeof e.size === 'number' &&
    typeof e.mtimeNs === 'string' &&
    typeof e.ctimeNs === 'string' &&
    typeof e.md5 === 'string' &&
    MD5_HEX.test(e.md5) &&
    typeof e.usedAt === 'number' &&
    !!e.parts &&
    typeof e.parts === 'object' &&
    Object.values(e.parts).every((list) => Array.isArray(list) && list.every((h) => typeof h === 'string' && MD5_HEX.test(h)))
  );
}

/** The valid entries of the cache file at `path`, least recently used first; a missing, broken or foreign file has none. */
export async function readCacheFile(path: string): Promise<Map<string, Entry>> {
  const out = new Map<string, Entry>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return out;
  }
  const file = parsed as Partial<CacheFile> | null;
  if (!file || file.version !== 1 || !file.entries || typeof file.entries !== 'object') return out;
  // Oldest first, so that Map order is least recently used first.
  const valid = Object.entries(file.entries).filter((pair): pair is [string, Entry] => isEntry(pair[1]));
  valid.sort((a, b) => a[1].usedAt - b[1].usedAt);
  for (const [key, entry] of valid) out.set(key, entry);
  return out;
}

/** Writes `entries` to `path` atomically (temp file, then rename), so a reader never sees half a file; owner-only, as it names the user's files. */
export async function writeCacheFile(path: string, entries: Map<string, Entry>): Promise<void> {
  const file: CacheFile = { version: 1, entries: Object.fromEntries(entries) };
  await writeOwnerOnlyFile(path, Buffer.from(JSON.stringify(file), 'utf8'));
}

/** Adds `other`'s entries to `into`; of two entries for one file, the one used later wins (it may be of a newer version). */
export function mergeInto(into: Map<string, Entry>, other: Map<string, Entry>): void {
  for (const [key, entry] of other) {
    const own = into.get(key);
    if (!own || entry.usedAt > own.usedAt) into.set(key, entry);
  }
}
