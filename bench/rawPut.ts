// The upload baseline: a plain parallel PUT loop with node:http (keep-alive agent, file streams piped
// into the request, no hashing, no retries), to the presigned URLs of one init.
import { createReadStream } from 'node:fs';
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import type { DatahubClient } from '../src/api/datahub/client';
import { planParts } from '../src/transfer/parts';

export interface RawPutOptions {
  path: string;
  size: number;
  partSize: number;
  concurrency: number;
  /** part index (1-based) → presigned PUT URL. */
  urls: Map<number, string>;
  /** Read size of the file streams. */
  highWaterMark: number;
}

/** Runs `work` over `items` with at most `concurrency` at once. */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

function putOne(agent: http.Agent, url: string, path: string, start: number, end: number, highWaterMark: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const req = http.request(url, {
      method: 'PUT',
      agent,
      // Only what a presigned part URL is signed for (the data plane sends the same).
      headers: { 'Content-Length': String(end - start) },
    });
    req.on('response', (res) => {
      const etag = res.headers.etag;
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200 || typeof etag !== 'string') reject(new Error(`raw PUT answered ${String(res.statusCode)}`));
        else resolve(etag);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    pipeline(createReadStream(path, { start, end: end - 1, highWaterMark }), req).catch(reject);
  });
}

/** PUTs every part; returns the seconds from the first PUT to the last answer and the ETags. */
export async function rawParallelPut(options: RawPutOptions): Promise<{ seconds: number; etags: Map<number, string> }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const { parts } = planParts(options.size, options.partSize);
  const etags = new Map<number, string>();
  const started = performance.now();
  try {
    await pool(parts, options.concurrency, async (part) => {
      const url = options.urls.get(part.index);
      if (!url) throw new Error(`no URL for part ${part.index}`);
      etags.set(part.index, await putOne(agent, url, options.path, part.start, part.end, options.highWaterMark));
    });
  } finally {
    agent.destroy();
  }
  return { seconds: (performance.now() - started) / 1000, etags };
}

export interface RawFile {
  path: string;
  /** file_name at init. */
  name: string;
  size: number;
  /** Known beforehand (the raw side does not hash). */
  md5: string;
}

/** The calls of one whole upload, raw: init (with the MD5 given), every part PUT, complete. */
export async function rawUploadFile(client: DatahubClient, subtaskId: string, file: RawFile, partSize: number, concurrency: number, highWaterMark: number): Promise<void> {
  const init = await client.initUpload({ subtask_id: subtaskId, file_name: file.name, file_size: file.size, file_md5: file.md5, chunk_size: partSize });
  const urls = new Map(init.part_upload_urls.map((p) => [p.index, p.url]));
  const { etags } = await rawParallelPut({ path: file.path, size: file.size, partSize, concurrency, urls, highWaterMark });
  if (etags.size !== urls.size) throw new Error(`raw upload of ${file.name}: ${etags.size} ETags for ${urls.size} parts`);
  const parts = [...etags].sort((a, b) => a[0] - b[0]).map(([index, etag]) => ({ index, etag }));
  await client.completeUpload({ upload_id: init.upload_id, subtask_id: subtaskId, file_name: file.name, parts });
}
