// One PUT to a presigned URL over node http/https: exactly the headers given (nothing a signature could not cover),
// the body from memory or a stream, the answer's status, headers and text.
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import type { KeepAliveAgents } from '../api/http';
import { readText } from './rangeHttp';

export interface PutAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as text (its first 64 KiB): empty for a part accepted, the store's error document for a refusal. */
  text: string;
}

export interface PresignedPut {
  agents: KeepAliveAgents;
  url: string;
  headers: Record<string, string>;
  body: Buffer | Readable;
  signal: AbortSignal;
  /** The answer's headers arrived (a sign of life for a stall guard). */
  onAnswer?: () => void;
}

/**
 * Not axios: for a part of a few KiB axios's request pipeline costs more CPU than the bytes do, and the data plane
 * needs none of it (no redirects, no transforms, no JSON). A store may answer before it has read the whole body (a
 * refusal on the headers); that answer is what counts, and the write error that follows it is not reported.
 */
export function presignedPut(put: PresignedPut): Promise<PutAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(put.url);
    const secure = target.protocol === 'https:';
    if (!secure && target.protocol !== 'http:') {
      reject(new Error(`a presigned URL must be http or https, not ${target.protocol}`));
      return;
    }
    let answered = false;
    const request = (secure ? https : http).request(target, { method: 'PUT', agent: secure ? put.agents.httpsAgent : put.agents.httpAgent, headers: put.headers, signal: put.signal }, (res) => {
      answered = true;
      put.onAnswer?.();
      res.on('error', () => undefined);
      readText(res).then((text) => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }), reject);
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (Buffer.isBuffer(put.body)) {
      request.end(put.body);
    } else {
      put.body.on('error', (error) => request.destroy(error));
      put.body.pipe(request);
    }
  });
}
