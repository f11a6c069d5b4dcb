// A file's identity for the hash cache (device, inode, size, ns times), and when hashes taken of it can be trusted.
import { stat, type FileHandle } from 'node:fs/promises';

/**
 * What says "the same bytes as when it was hashed": device + inode (the file, whatever its path), size, and
 * the modification and change times in nanoseconds. An edit that restores the mtime (touch -d, utimes, an
 * editor's "preserve timestamps") still moves the ctime, which no user call can set back.
 */
export interface FileIdentity {
  dev: string;
  ino: string;
  size: number;
  mtimeNs: string;
  ctimeNs: string;
}

/** The identity of the file at `path` (or open in `path`) now: stat with nanosecond times. */
export async function fileIdentity(path: string | FileHandle): Promise<FileIdentity> {
  const s = typeof path === 'string' ? await stat(path, { bigint: true }) : await path.stat({ bigint: true });
  if (!s.isFile()) throw new Error(`${typeof path === 'string' ? path : 'the file'} is not a file`);
  return { dev: String(s.dev), ino: String(s.ino), size: Number(s.size), mtimeNs: String(s.mtimeNs), ctimeNs: String(s.ctimeNs) };
}

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/**
 * How close to the moment hashing began a change may be and still go unseen: a change in the same tick of the
 * file system's clock as the last one leaves the times as they were. Linux stamps files from a coarse clock (a
 * few ms per tick), so 50 ms; a file system whose times are whole seconds (FAT: 2 s) gets 2 s.
 */
export function timestampGranularityNs(identity: FileIdentity): bigint {
  const wholeSeconds = BigInt(identity.ctimeNs) % 1_000_000_000n === 0n && BigInt(identity.mtimeNs) % 1_000_000_000n === 0n;
  return wholeSeconds ? 2_000_000_000n : 50_000_000n;
}

/**
 * Whether hashes taken from `hashStartNs` on can be trusted for this identity later: not when the file's last
 * change is within the clock granularity of that moment (a second change in the same tick would look the same —
 * git calls such an index entry "racily clean"). Such a file is hashed again next time; by then it is old enough.
 */
export function isRacy(identity: FileIdentity, hashStartNs: bigint): boolean {
  const lastChange = BigInt(identity.ctimeNs) > BigInt(identity.mtimeNs) ? BigInt(identity.ctimeNs) : BigInt(identity.mtimeNs);
  return hashStartNs - lastChange <= timestampGranularityNs(identity);
}

export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
