// Where the other processes' hash caches are: a short list in the CLI's state dir, so that the CLI finds the
// extension's cache (in VS Code's global storage, a folder it cannot work out) and skips files the extension hashed.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const HASH_CACHE_PEERS_FILE = 'hash-cache-peers.json';
/** A few windows' storages (VS Code, code-server, Insiders) at most; the oldest named goes first. */
const MAX_PEERS = 8;

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
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `${HASH_CACHE_PEERS_FILE}.${process.pid}.tmp`);
  try {
    await writeFile(temp, JSON.stringify(next), { mode: 0o600 });
    await rename(temp, join(dir, HASH_CACHE_PEERS_FILE));
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
