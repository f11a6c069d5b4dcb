// The small-files baseline: per file the three calls an upload makes (init, one PUT, complete) over plain
// node:http keep-alive sockets, `concurrency` files in flight; the file is read and hashed in the loop.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import { pool } from './rawPut';

export interface SmallFile {
  path: string;
  /** file_name at init (relative, as a folder upload sends it). */
  name: string;
}

export interface RawSmallFilesResult {
  seconds: number;
  files: number;
  /** Milliseconds each call took from request to answer, per call (every file's). */
  initMs: number[];
  putMs: number[];
  completeMs: number[];
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(agent: http.Agent, url: string, method: string, headers: Record<string, string>, body: Buffer | string): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface InitAnswer {
  data: { upload_id: string; part_upload_urls: { index: number; url: string }[] };
}

/** Uploads every file with init → PUT → complete; throws on the first refusal. */
export async function rawSmallFiles(baseUrl: string, subtaskId: string, files: readonly SmallFile[], concurrency: number): Promise<RawSmallFilesResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency * 2 });
  const json = { 'Content-Type': 'application/json', Authorization: 'Bearer bench-token' };
  const result: RawSmallFilesResult = { seconds: 0, files: files.length, initMs: [], putMs: [], completeMs: [] };
  const started = performance.now();
  try {
    await pool(files, concurrency, async (file) => {
      const bytes = await readFile(file.path);
      const md5 = createHash('md5').update(bytes).digest('hex');
      let t = performance.now();
      const init = await send(agent, `${baseUrl}/api/task/upload/init`, 'POST', json, JSON.stringify({ subtask_id: subtaskId, file_name: file.name, file_size: bytes.length, file_md5: md5 }));
      if (init.status !== 200) throw new Error(`raw init answered ${init.status}: ${init.body}`);
      result.initMs.push(performance.now() - t);
      const upload = (JSON.parse(init.body) as InitAnswer).data;
      t = performance.now();
      const put = await send(agent, upload.part_upload_urls[0].url, 'PUT', {}, bytes);
      const etag = put.headers.etag;
      if (put.status !== 200 || typeof etag !== 'string') throw new Error(`raw PUT answered ${put.status}: ${put.body}`);
      result.putMs.push(performance.now() - t);
      t = performance.now();
      const done = await send(agent, `${baseUrl}/api/task/upload/complete`, 'POST', json, JSON.stringify({ upload_id: upload.upload_id, subtask_id: subtaskId, file_name: file.name, parts: [{ index: 1, etag }] }));
      if (done.status !== 200) throw new Error(`raw complete answered ${done.status}: ${done.body}`);
      result.completeMs.push(performance.now() - t);
    });
  } finally {
    agent.destroy();
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
