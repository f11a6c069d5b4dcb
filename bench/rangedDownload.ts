// The download baseline: a plain node:http ranged GET loop with a keep-alive agent, into `<name>.part` with positional
// writes, then rename.
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import * as http from 'node:http';
import type { Readable } from 'node:stream';
import { planParts } from '../src/transfer/parts';
import { pool } from './rawPut';

export interface RangedDownloadOptions {
  url: string;
  size: number;
  partSize: number;
  concurrency: number;
  dest: string;
}

/** Writes a response body at its offset; each write is awaited, which is the back-pressure. */
async function writeAt(body: Readable, fh: FileHandle, start: number, expected: number): Promise<void> {
  let position = start;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    let off = 0;
    while (off < chunk.length) {
      const { bytesWritten } = await fh.write(chunk, off, chunk.length - off, position);
      off += bytesWritten;
      position += bytesWritten;
    }
  }
  if (position - start !== expected) throw new Error(`range at ${start}: got ${position - start} bytes, expected ${expected}`);
}

async function rangedInto(o: RangedDownloadOptions, fetchRange: (start: number, end: number, fh: FileHandle) => Promise<void>): Promise<void> {
  const temp = `${o.dest}.part`;
  const fh = await open(temp, 'w');
  try {
    await fh.truncate(o.size);
    const { parts } = planParts(o.size, o.partSize);
    await pool(parts, o.concurrency, (part) => fetchRange(part.start, part.end, fh));
  } catch (error) {
    await fh.close();
    await rm(temp, { force: true });
    throw error;
  }
  await fh.close();
  await rename(temp, o.dest);
}

export async function rawRangedDownload(o: RangedDownloadOptions): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  try {
    await rangedInto(o, async (start, end, fh) => {
      const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
        http.get(o.url, { agent, headers: { Range: `bytes=${start}-${end - 1}` } }, resolve).on('error', reject);
      });
      if (res.statusCode !== 206) {
        res.resume();
        throw new Error(`raw ranged GET answered ${String(res.statusCode)}`);
      }
      await writeAt(res, fh, start, end - start);
    });
  } finally {
    agent.destroy();
  }
}
