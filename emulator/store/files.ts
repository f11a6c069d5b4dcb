// On-disk object store helpers shared by the emulated backends: streamed writes with MD5, concatenation, generation.
import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';

export interface StoredFile {
  size: number;
  md5: string;
}

let tempCounter = 0;
/** Large reads: fewer chunks through hash and write per assembled megabyte. */
const READ_CHUNK = 1024 * 1024;

/** A temp name beside `dest`, so that the final rename stays on one file system (atomic). */
export function tempPathFor(dest: string): string {
  tempCounter += 1;
  return `${dest}.tmp-${process.pid}-${Date.now()}-${tempCounter}`;
}

/** A write stream with an error listener from the start, so a disk error fails the copy instead of the process. */
function openWriter(path: string): WriteStream {
  const ws = createWriteStream(path);
  ws.on('error', () => undefined);
  return ws;
}

async function writeChunk(ws: WriteStream, chunk: Buffer): Promise<void> {
  if (ws.errored) throw ws.errored;
  // Respect back-pressure: memory stays at one chunk, never the whole file. (`once` rejects on 'error'.)
  if (!ws.write(chunk)) await once(ws, 'drain');
}

async function closeWriter(ws: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.end(() => resolve());
  });
}

/** Bytes gathered from the request before one write: a 4 KiB part is one write, a large one a write per 256 KiB. */
const WRITE_BATCH = 256 * 1024;

/**
 * Creates `path` for writing; its folder is made only when the open says it is missing (a folder upload of thousands of
 * small files must not pay a recursive mkdir per part: the folder is there after the first).
 */
export async function openCreating(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'w');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dirname(path), { recursive: true });
    return open(path, 'w');
  }
}

/** Renames, making the destination's folder only when the rename says it is missing. */
export async function renameCreating(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dirname(to), { recursive: true });
    await rename(from, to);
  }
}

/** Writes every byte of `chunks` (a short write continues where it stopped). */
async function writeAll(handle: FileHandle, chunks: Buffer[]): Promise<void> {
  let rest = chunks;
  let left = rest.reduce((n, c) => n + c.length, 0);
  while (left > 0) {
    const { bytesWritten } = await handle.writev(rest);
    left -= bytesWritten;
    if (left > 0) rest = [Buffer.concat(rest).subarray(bytesWritten)];
  }
}

/**
 * Streams `source` to `dest` (temp file + rename, so a reader never sees half a file), hashing as it goes. Written
 * through a file handle in batches, the next batch read while the last one is written (no stream machinery per part).
 * `onBytes` sees every chunk as it arrives, also for a body that is cut off half way.
 */
export async function receiveToFile(
  source: Readable,
  dest: string,
  onBytes?: (n: number) => void,
  /** Last word before the rename: a problem here (e.g. "the body was cut off") keeps `dest` as it was. */
  check?: () => string | undefined,
): Promise<StoredFile> {
  const temp = tempPathFor(dest);
  const handle = await openCreating(temp);
  const hash = createHash('md5');
  let size = 0;
  let writing: Promise<void> = Promise.resolve();
  let failed: unknown;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  const write = async (): Promise<void> => {
    await writing;
    if (failed !== undefined) throw failed;
    const chunks = batch;
    batch = [];
    batchBytes = 0;
    // Observed at the next write or the end, never left unhandled.
    writing = writeAll(handle, chunks).catch((err: unknown) => {
      failed = err;
    });
  };
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      onBytes?.(chunk.length);
      hash.update(chunk);
      batch.push(chunk);
      batchBytes += chunk.length;
      // Back-pressure: at most one batch in memory beside the one being written, never the whole file.
      if (batchBytes >= WRITE_BATCH) await write();
    }
    if (batch.length > 0) await write();
    await writing;
    if (failed !== undefined) throw failed;
    await handle.close();
    const problem = check?.();
    if (problem) throw new Error(problem);
    await rename(temp, dest);
  } catch (err) {
    await writing;
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
  return { size, md5: hash.digest('hex') };
}

/** Concatenates `sources` in order into `dest` (temp + rename) and returns the size and MD5 of the result. */
export async function concatFiles(sources: readonly string[], dest: string): Promise<StoredFile> {
  await mkdir(dirname(dest), { recursive: true });
  const temp = tempPathFor(dest);
  const ws = openWriter(temp);
  const hash = createHash('md5');
  let size = 0;
  try {
    for (const source of sources) {
      for await (const chunk of createReadStream(source, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>) {
        size += chunk.length;
        hash.update(chunk);
        await writeChunk(ws, chunk);
      }
    }
    await closeWriter(ws);
    await rename(temp, dest);
  } catch (err) {
    ws.destroy();
    await rm(temp, { force: true });
    throw err;
  }
  return { size, md5: hash.digest('hex') };
}

/** Copies a file into the store (streamed), returning its size and MD5. */
export async function copyIntoStore(sourcePath: string, dest: string): Promise<StoredFile> {
  return receiveToFile(createReadStream(sourcePath), dest);
}

/**
 * Deterministic pseudo-random content: the AES-256-CTR keystream with key SHA-256("datahub-emulator:" + seed)
 * and an all-zero IV. Fast (GB/s), so large sample files cost little, and reproducible by any test.
 */
export function* deterministicChunks(size: number, seed: string, chunkSize = 1024 * 1024): Generator<Buffer> {
  const key = createHash('sha256').update(`datahub-emulator:${seed}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(chunkSize);
  let left = size;
  while (left > 0) {
    const n = Math.min(left, chunkSize);
    yield cipher.update(n === chunkSize ? zeros : zeros.subarray(0, n));
    left -= n;
  }
}

/** Writes `size` bytes of deterministic content (see deterministicChunks) to `dest`. */
export async function generateFile(dest: string, size: number, seed: string): Promise<StoredFile> {
  return receiveToFile(Readable.from(deterministicChunks(size, seed)), dest);
}

/** Writes a small in-memory buffer to `dest` (temp + rename). */
export async function writeBufferToStore(dest: string, content: Buffer): Promise<StoredFile> {
  return receiveToFile(Readable.from([content]), dest);
}

/** The MD5 hex of each `partSize` slice of the file at `path` (what a multipart upload of it in such parts would have sent). */
export async function partMd5sOf(path: string, partSize: number, size: number): Promise<string[]> {
  const md5s: string[] = [];
  if (size === 0) return [createHash('md5').digest('hex')];
  for (let start = 0; start < size; start += partSize) {
    const hash = createHash('md5');
    for await (const chunk of createReadStream(path, { start, end: Math.min(size, start + partSize) - 1, highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>) hash.update(chunk);
    md5s.push(hash.digest('hex'));
  }
  return md5s;
}
