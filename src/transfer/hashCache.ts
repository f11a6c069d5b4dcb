// Remembers a file's whole MD5 and part MD5s (per part size) by its identity, so unchanged bytes are never hashed twice.
import { rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { fileIdentity, isRacy, nowNs, sameIdentity, type FileIdentity } from './fileIdentity';
import { HASH_CACHE_FILE, MD5_HEX, keyOf, mergeInto, readCacheFile, writeCacheFile, type Entry } from './hashCacheFile';

export interface CachedHashes {
  md5: string;
  /** The MD5 of each part (index 0 = part 1) for the part size asked for, when it was recorded. */
  partMd5s?: string[];
}

export interface HashCacheOptions {
  /** The folder the cache file lives in (the extension's global storage, the CLI's state dir). */
  folder: string;
  /** At most this many files are remembered. */
  maxEntries?: number;
  /** At most this many part MD5s in all (33 bytes each on disk): a file with more is kept without its parts. */
  maxPartHashes?: number;
  /**
   * Folders of other processes' caches (the CLI's state dir for the extension, the extension's global storage for
   * the CLI), read and never written: an entry is trusted by the file's identity alone, wherever it was recorded.
   */
  peers?: readonly string[];
  /** Wall clock in nanoseconds (tests). */
  nowNs?: () => bigint;
}

/**
 * Smaller files are hashed every time: 1 MiB hashes in about 2 ms, what a look-up and a write of the cache file
 * cost, and a folder of thousands of small files would otherwise rewrite the cache once per file.
 */
export const HASH_CACHE_MIN_BYTES = 1024 * 1024;
const DEFAULT_MAX_ENTRIES = 4096;
/** 256 Ki part MD5s ≈ 8.5 MB on disk: every part of 1.25 TiB at 5 MiB parts. */
const DEFAULT_MAX_PART_HASHES = 256 * 1024;

/**
 * The cache: one JSON file, read once, written atomically (temp + rename) after each change, merged with what
 * another process (the CLI beside the extension) wrote meanwhile. A broken or foreign file is an empty cache:
 * losing it costs one MD5 pass, never a wrong hash.
 */
export class HashCache {
  private entries: Map<string, Entry> | undefined;
  /** The stamps of the files when they were last read. */
  private seen = '';
  /** Puts not yet written (flush waits for them). */
  private readonly inFlight = new Set<Promise<boolean>>();
  private writing: Promise<void> = Promise.resolve();
  private readonly path: string;
  private readonly maxEntries: number;
  private readonly maxPartHashes: number;
  private readonly now: () => bigint;

  constructor(private readonly options: HashCacheOptions) {
    this.path = join(options.folder, HASH_CACHE_FILE);
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.maxPartHashes = options.maxPartHashes ?? DEFAULT_MAX_PART_HASHES;
    this.now = options.nowNs ?? nowNs;
  }

  /**
   * The hashes recorded for exactly this identity, or undefined. With `partSize`, only an entry that has the
   * part MD5s for that size is returned (an upload needs both).
   */
  async get(identity: FileIdentity, partSize?: number): Promise<CachedHashes | undefined> {
    // A miss looks at the files again when another process has written one since they were read (a CLI upload
    // while the extension runs): a stat per file, no parse unless something changed.
    let found = this.find(await this.load(), identity, partSize);
    if (!found && (await this.reloadIfChanged())) found = this.find(await this.load(), identity, partSize);
    if (!found) return undefined;
    found.entry.usedAt = Number(this.now() / 1_000_000n);
    return { md5: found.entry.md5, partMd5s: found.partMd5s && [...found.partMd5s] };
  }

  private find(entries: Map<string, Entry>, identity: FileIdentity, partSize?: number): { entry: Entry; partMd5s?: string[] } | undefined {
    const entry = entries.get(keyOf(identity));
    if (!entry || entry.size !== identity.size || entry.mtimeNs !== identity.mtimeNs || entry.ctimeNs !== identity.ctimeNs) return undefined;
    if (partSize === undefined) return { entry };
    const partMd5s = entry.parts[String(partSize)];
    if (!partMd5s || partMd5s.length !== Math.max(1, Math.ceil(identity.size / partSize))) return undefined;
    return { entry, partMd5s };
  }

  /**
   * Records the hashes of a pass that began at `hashStartNs` over the file with `identity` (taken before the
   * pass; the caller checks it is unchanged after). A racy identity is not recorded (see isRacy). Part MD5s of
   * another part size for the same, unchanged file are kept beside these.
   */
  put(identity: FileIdentity, hashStartNs: bigint, hashes: { md5: string; partSize?: number; partMd5s?: string[] }): Promise<boolean> {
    const done = this.record(identity, hashStartNs, hashes);
    this.inFlight.add(done);
    void done.catch(() => undefined).finally(() => this.inFlight.delete(done));
    return done;
  }

  private async record(identity: FileIdentity, hashStartNs: bigint, hashes: { md5: string; partSize?: number; partMd5s?: string[] }): Promise<boolean> {
    if (!MD5_HEX.test(hashes.md5) || isRacy(identity, hashStartNs)) return false;
    const entries = await this.load();
    const key = keyOf(identity);
    const old = entries.get(key);
    const same = old && old.size === identity.size && old.mtimeNs === identity.mtimeNs && old.ctimeNs === identity.ctimeNs && old.md5 === hashes.md5;
    const parts: Record<string, string[]> = same ? { ...old.parts } : {};
    if (hashes.partSize !== undefined && hashes.partMd5s && hashes.partMd5s.every((h) => MD5_HEX.test(h))) parts[String(hashes.partSize)] = [...hashes.partMd5s];
    entries.delete(key);
    entries.set(key, { size: identity.size, mtimeNs: identity.mtimeNs, ctimeNs: identity.ctimeNs, md5: hashes.md5, parts, usedAt: Number(this.now() / 1_000_000n) });
    this.evict(entries);
    await this.save();
    return true;
  }

  /** The wall clock this cache stamps with, in nanoseconds. */
  clock(): bigint {
    return this.now();
  }

  /** Forgets everything (and deletes the file). */
  async clear(): Promise<void> {
    this.entries = new Map();
    await this.writing;
    await rm(this.path, { force: true });
  }

  /** How many files are remembered (tests, diagnostics). */
  async size(): Promise<number> {
    return (await this.load()).size;
  }

  /** Waits for the writes in flight. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await this.writing;
  }

  private async load(): Promise<Map<string, Entry>> {
    if (!this.entries) {
      this.seen = await this.stamps();
      const own = await readCacheFile(this.path);
      for (const peer of this.options.peers ?? []) mergeInto(own, await readCacheFile(join(peer, HASH_CACHE_FILE)));
      this.entries = own;
    }
    return this.entries;
  }

  /** The files' sizes and mtimes, to see whether another process wrote one. */
  private async stamps(): Promise<string> {
    const files = [this.path, ...(this.options.peers ?? []).map((peer) => join(peer, HASH_CACHE_FILE))];
    const each = await Promise.all(files.map((f) => stat(f, { bigint: true }).then((s) => `${s.size}:${s.mtimeNs}`, () => '-')));
    return each.join('|');
  }

  /** Merges the files into memory again when one of them changed since it was read; whether it did. */
  private async reloadIfChanged(): Promise<boolean> {
    if (!this.entries || (await this.stamps()) === this.seen) return false;
    const mine = this.entries;
    this.entries = undefined;
    mergeInto(await this.load(), mine);
    return true;
  }

  /** Drops the least recently used entries over the bounds, and the parts of a file that alone exceeds them. */
  private evict(entries: Map<string, Entry>): void {
    const partCount = (e: Entry): number => Object.values(e.parts).reduce((n, list) => n + list.length, 0);
    let parts = 0;
    for (const entry of entries.values()) {
      if (partCount(entry) > this.maxPartHashes) entry.parts = {};
      parts += partCount(entry);
    }
    for (const [key, entry] of entries) {
      if (entries.size <= this.maxEntries && parts <= this.maxPartHashes) break;
      parts -= partCount(entry);
      entries.delete(key);
    }
  }

  private save(): Promise<void> {
    const next = this.writing.then(() => this.writeMerged());
    this.writing = next.catch(() => undefined);
    return next;
  }

  /** Merges what is on disk now (another process's entries it does not know) and writes the result. */
  private async writeMerged(): Promise<void> {
    const mine = await this.load();
    mergeInto(mine, await readCacheFile(this.path));
    this.evict(mine);
    await writeCacheFile(this.path, mine);
    this.seen = await this.stamps();
  }
}

/**
 * The whole MD5 (and part MD5s with `partSize`) of the file at `path`: from the cache when its identity is
 * unchanged, else from `hash` (one pass), recorded unless the file changed during the pass or is racy.
 * `cached` says which it was (the transfer logs it).
 */
export async function hashWithCache(
  cache: HashCache | undefined,
  path: string | FileHandle,
  partSize: number | undefined,
  hash: () => Promise<{ md5: string; partMd5s?: string[] }>,
): Promise<CachedHashes & { cached: boolean }> {
  if (!cache) return { ...(await hash()), cached: false };
  const before = await fileIdentity(path);
  const found = await cache.get(before, partSize);
  if (found) return { ...found, cached: true };
  const started = cache.clock();
  const result = await hash();
  const after = await fileIdentity(path).catch(() => undefined);
  // Recorded in the background: the upload's init need not wait for the cache file (flush() waits for it).
  if (after && sameIdentity(before, after)) void cache.put(before, started, { md5: result.md5, partSize, partMd5s: result.partMd5s }).catch(() => false);
  return { ...result, cached: false };
}
