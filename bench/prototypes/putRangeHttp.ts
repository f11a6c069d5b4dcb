// Prototype (not used by the product): putFileRange of src/transfer/dataPlane.ts on node:http instead of
// axios, same contract (stall guard, MD5 of the bytes sent, onBytes, ETag), to measure the difference.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { ApiError } from '../../src/api/errors';
import { StallGuard, storeError, type PutRangeResult } from '../../src/transfer/dataPlane';
import type { ServiceName } from '../../src/api/errors';

export interface HttpPutRangeOptions {
  agents: { http: http.Agent; https: https.Agent };
  service: ServiceName;
  url: string;
  path: string;
  start: number;
  end: number;
  signal: AbortSignal;
  stallMs: number;
  onBytes?: (bytes: number) => void;
  /** Read size of the file stream (the dataPlane uses 1 MiB). */
  highWaterMark?: number;
  /** Hash the bytes sent (the ETag check); off only to measure its cost. */
  hash?: boolean;
}

export async function putFileRangeHttp(o: HttpPutRangeOptions): Promise<PutRangeResult> {
  const guard = new StallGuard(o.signal, o.stallMs);
  const length = o.end - o.start;
  const hash = createHash('md5');
  const doHash = o.hash !== false;
  let sent = 0;
  const target = new URL(o.url);
  const isHttps = target.protocol === 'https:';
  try {
    return await new Promise<PutRangeResult>((resolve, reject) => {
      const req = (isHttps ? https : http).request(target, {
        method: 'PUT',
        agent: isHttps ? o.agents.https : o.agents.http,
        headers: { 'Content-Length': String(length), 'Content-Type': 'application/octet-stream' },
        signal: guard.controller.signal,
      });
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) return reject(storeError(o.service, status, Buffer.concat(chunks).toString('utf8'), 'PUT part'));
          const etag = res.headers.etag;
          if (typeof etag !== 'string' || !etag) return reject(new ApiError(o.service, status, 'NO_ETAG', 'the store answered the part PUT without an ETag header'));
          resolve({ etag, status, md5: hash.digest('hex') });
        });
      });
      if (length === 0) {
        req.end();
        return;
      }
      // Hashing and counting in a pass-through keeps the stream paused-mode and back-pressured by the socket.
      const tap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          guard.touch();
          if (doHash) hash.update(chunk);
          sent += chunk.length;
          o.onBytes?.(chunk.length);
          done(null, chunk);
        },
      });
      pipeline(createReadStream(o.path, { start: o.start, end: o.end - 1, highWaterMark: o.highWaterMark ?? 1024 * 1024 }), tap, req).catch(reject);
    });
  } catch (error) {
    if (sent > 0) o.onBytes?.(-sent);
    throw guard.translate(error, o.service, 'PUT part');
  } finally {
    guard.dispose();
  }
}
