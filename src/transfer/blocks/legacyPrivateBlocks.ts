// Moves private blocks out of the `.datahub-private/` folders earlier versions wrote beside the masters, into the key store.
import { readFile, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PrivateBlockStore } from './keyStore';
import { MAX_PRIVATE_BLOCK_BYTES, PRIVATE_DIR, parsePrivateBlock, sourceNameOfPrivateBlock } from './privateBlock';

export interface LegacyMigration {
  /** The private block files moved into the store (their old paths). */
  moved: string[];
  /** Files left where they were, with the reason (not a private block, unreadable…). */
  kept: { path: string; reason: string }[];
  /** The `.datahub-private` folders removed because nothing was left in them. */
  removedDirs: string[];
}

/** The `.datahub-private` folder a path names or lies in, if any (a legacy private block path, a journal's privatePath). */
export function legacyDirOf(path: string): string | undefined {
  if (basename(path) === PRIVATE_DIR) return path;
  return basename(dirname(path)) === PRIVATE_DIR ? dirname(path) : undefined;
}

/**
 * Each `<source>.private.json` in `dirs` (`.datahub-private` folders) goes into `store` and is then deleted from disk;
 * a block already in the store (same GCM tag: the same encryption) is only deleted. Interrupted temporary files of the
 * old writer go too. A folder left empty is removed; one with anything else in it is left, with that thing named.
 */
export async function migrateLegacyPrivateBlocks(store: PrivateBlockStore, dirs: Iterable<string>): Promise<LegacyMigration> {
  const result: LegacyMigration = { moved: [], kept: [], removedDirs: [] };
  const known = new Set((await store.list()).map((b) => b.tag));
  for (const dir of new Set(dirs)) {
    if (basename(dir) !== PRIVATE_DIR) continue;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (/\.private\.json\.tmp-[0-9a-f]+$/.test(name)) {
        await rm(path, { force: true });
        continue;
      }
      const sourceName = sourceNameOfPrivateBlock(name);
      if (!sourceName) {
        result.kept.push({ path, reason: 'not a private block' });
        continue;
      }
      try {
        const s = await stat(path);
        if (!s.isFile()) throw new Error('not a file');
        if (s.size > MAX_PRIVATE_BLOCK_BYTES) throw new Error(`${s.size} bytes, more than a private block can be`);
        const block = parsePrivateBlock(await readFile(path));
        if (!known.has(block.tag)) {
          const master = dirname(dir);
          await store.save(block, { sourceName, folderName: basename(master), masterPath: join(master, sourceName) });
          known.add(block.tag);
        }
        await rm(path, { force: true });
        result.moved.push(path);
      } catch (err) {
        result.kept.push({ path, reason: err instanceof Error ? err.message : String(err) });
      }
    }
    try {
      await rmdir(dir);
      result.removedDirs.push(dir);
    } catch {
      // Not empty (a file kept above, or something of the user's): left as it is.
    }
  }
  return result;
}
