// One ranged GET over node http/https (no body buffered), and reading the headers and error body of its answer.
import * as http from 'node:http';
import * as https from 'node:https';
import type { KeepAliveAgents } from '../api/http';
import type { StallGuard } from './stallGuard';

/** Sends `GET url` for `range` (bytes=a-b); resolves with the response as soon as its headers arrive. */
export function rangedGet(agents: KeepAliveAgents, url: string, range: string, guard: StallGuard): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const request = (secure ? https : http).request(
      target,
      {
        method: 'GET',
        agent: secure ? agents.httpsAgent : agents.httpAgent,
        headers: { Range: range, 'Accept-Encoding': 'identity' },
        signal: guard.controller.signal,
      },
      (res) => {
        guard.touch();
        res.on('error', () => undefined);
        resolve(res);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

export function parseContentRange(value: string | string[] | undefined): { start: number; end: number; total: number } | undefined {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(headerString(value).trim());
  if (!m) return undefined;
  return { start: Number(m[1]), end: Number(m[2]), total: Number(m[3]) };
}

export function headerString(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** The body of a refusal as text (its first 64 KiB), for the store's error message. */
export async function readText(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      if (length < 64 * 1024) chunks.push(chunk);
      length += chunk.length;
    }
  } catch {
    /* an error body cut short still says what it can */
  }
  return Buffer.concat(chunks).toString('utf8');
}
