// A file's identity for resume: path + size + mtime; a changed file cannot continue an old upload.
import { stat, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';

export interface FileFingerprint {
  path: string;
  size: number;
  mtimeMs: number;
}

function fromStats(path: string, s: Stats): FileFingerprint {
  if (!s.isFile()) throw new Error(`${path} is not a file`);
  return { path, size: s.size, mtimeMs: Math.floor(s.mtimeMs) };
}

export async function fingerprint(path: string): Promise<FileFingerprint> {
  return fromStats(path, await stat(path));
}

/** The fingerprint of a file through a handle open on it (no second look-up by path). */
export async function fingerprintOf(handle: FileHandle, path: string): Promise<FileFingerprint> {
  return fromStats(path, await handle.stat());
}

/** What differs between two fingerprints of one file, as a sentence; undefined when nothing does. */
export function describeChange(expected: FileFingerprint, now: FileFingerprint): string | undefined {
  if (now.size !== expected.size) return `${expected.path} changed: its size is now ${now.size} bytes, it was ${expected.size}`;
  if (now.mtimeMs !== expected.mtimeMs) return `${expected.path} changed: it was modified after the transfer started`;
  return undefined;
}

/** undefined when the file still matches, else a sentence saying what changed. */
export async function fingerprintChange(expected: FileFingerprint, handle?: FileHandle): Promise<string | undefined> {
  let now: FileFingerprint;
  try {
    now = handle ? await fingerprintOf(handle, expected.path) : await fingerprint(expected.path);
  } catch {
    return `${expected.path} no longer exists`;
  }
  return describeChange(expected, now);
}
