// A file's identity for resume: path + size + mtime; a changed file cannot continue an old upload.
import { stat } from 'node:fs/promises';

export interface FileFingerprint {
  path: string;
  size: number;
  mtimeMs: number;
}

export async function fingerprint(path: string): Promise<FileFingerprint> {
  const s = await stat(path);
  if (!s.isFile()) throw new Error(`${path} is not a file`);
  return { path, size: s.size, mtimeMs: Math.floor(s.mtimeMs) };
}

/** undefined when the file still matches, else a sentence saying what changed. */
export async function fingerprintChange(expected: FileFingerprint): Promise<string | undefined> {
  let now: FileFingerprint;
  try {
    now = await fingerprint(expected.path);
  } catch {
    return `${expected.path} no longer exists`;
  }
  if (now.size !== expected.size) return `${expected.path} changed: its size is now ${now.size} bytes, it was ${expected.size}`;
  if (now.mtimeMs !== expected.mtimeMs) return `${expected.path} changed: it was modified after the transfer started`;
  return undefined;
}
