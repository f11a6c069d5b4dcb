// Local file work of the media commands: the video files of a folder, and private blocks (stored or files) matched to tasks.
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { MediaTask } from '../../api/media/types';
import type { StoredPrivateBlock } from '../../transfer/blocks/keyStore';
import { sourceNameOfPrivateBlock } from '../../transfer/blocks/privateBlock';

/** Containers and formats a master (母带) comes in. */
export const VIDEO_EXTENSIONS = new Set(['.mp4', '.mov', '.mkv', '.avi', '.mxf', '.ts', '.m2ts', '.mts', '.mpg', '.mpeg', '.m2v', '.wmv', '.flv', '.webm', '.m4v', '.3gp', '.vob', '.r3d', '.braw', '.y4m']);

export interface LocalMaster {
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
}

/** The video files directly in `folder` (not its subfolders), sorted by name. */
export async function listVideoFiles(folder: string): Promise<LocalMaster[]> {
  const out: LocalMaster[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (!entry.isFile() || !VIDEO_EXTENSIONS.has(extname(entry.name).toLowerCase())) continue;
    const path = join(folder, entry.name);
    const s = await stat(path);
    out.push({ path, name: entry.name, size: s.size, mtimeMs: Math.floor(s.mtimeMs) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export interface PrivateTaskRef {
  id: number;
  source_name: string;
  name: string;
}

export interface PrivateMatch<T extends PrivateTaskRef> {
  task: T;
  file: LocalMaster;
}

/**
 * Pairs `<source name>.private.json` files (in `folder` or its `.datahub-private`) with tasks by
 * source name. Tasks without a file and files without a task are returned too, for the confirmation.
 */
export async function matchPrivateBlocks<T extends PrivateTaskRef>(folder: string, tasks: readonly T[]): Promise<{ matches: PrivateMatch<T>[]; unmatchedFiles: string[] }> {
  const files = new Map<string, LocalMaster>();
  for (const dir of [folder, join(folder, '.datahub-private')]) {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const source = entry.isFile() ? sourceNameOfPrivateBlock(entry.name) : undefined;
      if (!source || files.has(source)) continue;
      const path = join(dir, entry.name);
      const s = await stat(path);
      files.set(source, { path, name: entry.name, size: s.size, mtimeMs: Math.floor(s.mtimeMs) });
    }
  }
  const matches: PrivateMatch<T>[] = [];
  const used = new Set<string>();
  for (const task of tasks) {
    const file = files.get(task.source_name) ?? files.get(task.name);
    if (!file) continue;
    matches.push({ task, file });
    used.add(file.path);
  }
  const unmatchedFiles = [...files.values()].filter((f) => !used.has(f.path)).map((f) => f.name);
  return { matches, unmatchedFiles };
}

/**
 * The stored block of each task: the one made under the task's uuid, else the newest of the same source name (and
 * series, when both know it) — a block moved from an old `.datahub-private/` folder knows no uuid.
 */
export function matchStoredBlocks(tasks: readonly MediaTask[], stored: readonly StoredPrivateBlock[]): { task: MediaTask; block: StoredPrivateBlock }[] {
  const out: { task: MediaTask; block: StoredPrivateBlock }[] = [];
  for (const task of tasks) {
    const block =
      stored.find((b) => task.uuid !== '' && b.uuid === task.uuid) ??
      stored.find((b) => b.uuid === undefined && (b.sourceName === task.source_name || b.sourceName === task.name) && (b.seriesId === undefined || b.seriesId === task.series_id));
    if (block) out.push({ task, block });
  }
  return out;
}
