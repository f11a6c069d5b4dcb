// Lists the files to upload under picked paths, each stat'ed once; a folder's files are named relative to the folder's parent.
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

export interface LocalFileEntry {
  path: string;
  /** The remote name: the base name, or "<folder>/<relative path>" with forward slashes. */
  name: string;
  size: number;
  /** Whole milliseconds, as the journal keeps it. */
  mtimeMs: number;
}

// `.datahub-private` held private blocks in earlier versions (migrated away on first use): never uploaded as data.
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.datahub-private']);

/**
 * The files under `paths`, with their size and modification time. Symbolic links inside a folder are not followed
 * (they could lead anywhere on the disk); their paths are added to `skippedLinks` when given, so that the user can be told.
 */
export async function expandLocalPaths(paths: readonly string[], isCancelled?: () => boolean, skippedLinks?: string[]): Promise<LocalFileEntry[]> {
  const entries: LocalFileEntry[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    const s = await stat(p);
    if (s.isDirectory()) await walk(p, basename(p), entries, seen, isCancelled, skippedLinks);
    else if (s.isFile() && !seen.has(p)) {
      seen.add(p);
      entries.push({ path: p, name: basename(p), size: s.size, mtimeMs: Math.floor(s.mtimeMs) });
    }
  }
  return entries;
}

/** The first name that two entries share, if any (they would overwrite each other remotely). */
export function duplicateName(entries: readonly Pick<LocalFileEntry, 'name'>[]): string | undefined {
  const names = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name)) return e.name;
    names.add(e.name);
  }
  return undefined;
}

async function walk(dir: string, prefix: string, out: LocalFileEntry[], seen: Set<string>, isCancelled?: () => boolean, skippedLinks?: string[]): Promise<void> {
  if (isCancelled?.()) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
  const children = await readdir(dir, { withFileTypes: true });
  children.sort((a, b) => a.name.localeCompare(b.name));
  for (const child of children) {
    const full = join(dir, child.name);
    if (child.isDirectory()) {
      if (!SKIPPED_DIRS.has(child.name)) await walk(full, `${prefix}/${child.name}`, out, seen, isCancelled, skippedLinks);
    } else if (child.isSymbolicLink()) {
      skippedLinks?.push(full);
    } else if (child.isFile() && !seen.has(full)) {
      seen.add(full);
      const s = await stat(full);
      out.push({ path: full, name: `${prefix}/${child.name}`, size: s.size, mtimeMs: Math.floor(s.mtimeMs) });
    }
  }
}
