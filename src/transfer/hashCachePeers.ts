// Where VS Code windows keep their hash caches: a short list in the product's own cache folder, beside (not inside)
// the CLI's state dir, so that the CLI finds the extension's cache (in VS Code's global storage, a folder it cannot
// work out) and skips files the extension hashed; the extension writes nothing into the CLI's folder.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeOwnerOnlyFile } from './ownerOnlyFile';

export const HASH_CACHE_PEERS_FILE = 'hash-cache-peers.json';
/** A few windows' storages (VS Code, code-server, Insiders) at most; the oldest named goes first. */
const MAX_PEERS = 8;

/**
 * The folder of this user that belongs to the product as a whole, not to the CLI or to VS Code:
 * `$XDG_CACHE_HOME/datahub-vscode` (else `~/.cache/datahub-vscode`). The CLI's default state dir is `transfers/` in it.
 */
export function productCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'datahub-vscode');
}

/** Lists `folder` (a process's own hash cache) where every other process of the product looks; best effort. */
export function announceHashCache(folder: string): Promise<void> {
  return addHashCachePeer(productCacheDir(), folder);
}

/**
 * The caches to read besides `own`: those listed in the product's folder, and `also` (a known place, e.g. the CLI's
 * default state dir) with what an older version listed inside it.
 */
export async function hashCachePeersFor(own: string, also: readonly string[] = []): Promise<string[]> {
  const listed = [...(await readHashCachePeers(productCacheDir()))];
  for (const dir of also) listed.push(dir, ...(await readHashCachePeers(dir)));
  return [...new Set(listed)].filter((p) => p !== own);
}

/** The cache folders listed in `dir` (none when the file is missing or not a list of strings). */
export async function readHashCachePeers(dir: string): Promise<string[]> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(dir, HASH_CACHE_PEERS_FILE), 'utf8'));
    return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string' && p.length > 0).slice(-MAX_PEERS) : [];
  } catch {
    return [];
  }
}

/** Adds `folder` to the list in `dir` (last, as the most recent); nothing is written when it is already last. */
export async function addHashCachePeer(dir: string, folder: string): Promise<void> {
  const peers = await readHashCachePeers(dir);
  if (peers[peers.length - 1] === folder) return;
  const next = [...peers.filter((p) => p !== folder), folder].slice(-MAX_PEERS);
  await writeOwnerOnlyFile(join(dir, HASH_CACHE_PEERS_FILE), Buffer.from(JSON.stringify(next), 'utf8'));
}
