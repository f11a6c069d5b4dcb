// Control calls are bounded whatever the server does: a total deadline (not only an idle timer) and a size ceiling.
import * as assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { ApiError } from '../../../src/api/errors';
import { HttpClient, type HttpLimits } from '../../../src/api/http';
import { silentLogger } from '../../../src/api/logger';
import { cli } from '../helpers/cli';
import { startHostileServer, type HostileServer } from '../helpers/hostileServer';

const MIB = 1024 * 1024;

function client(server: HostileServer, limits: HttpLimits): HttpClient {
  return new HttpClient({
    service: 'datahub',
    baseUrl: () => server.url,
    unwrap: (body) => body,
    parseError: () => ({}),
    logger: silentLogger,
    limits: () => limits,
  });
}

/** Sends a byte every `everyMs` until the client goes away (or `max` bytes): a server that is never idle and never done. */
function trickle(res: ServerResponse, everyMs: number, max: number, onClientGone: () => void): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  let sent = 0;
  const timer = setInterval(() => {
    if (sent++ >= max) {
      clearInterval(timer);
      res.end();
    } else res.write(' ');
  }, everyMs);
  res.on('close', () => {
    clearInterval(timer);
    onClientGone();
  });
}

/** Streams `total` bytes of a JSON string in 1 MiB writes, announcing the length or not; stops when the client leaves. */
function flood(res: ServerResponse, total: number, announce: boolean, onClientGone: () => void): void {
  res.writeHead(200, { 'Content-Type': 'application/json', ...(announce ? { 'Content-Length': String(total) } : {}) });
  const chunk = Buffer.alloc(MIB, 0x61);
  let sent = 0;
  let gone = false;
  res.on('close', () => {
    gone = true;
    onClientGone();
  });
  const pump = (): void => {
    while (!gone && sent < total) {
      const piece = sent === 0 ? Buffer.concat([Buffer.from('"'), chunk.subarray(1)]) : sent + MIB >= total ? Buffer.concat([chunk.subarray(0, total - sent - 1), Buffer.from('"')]) : chunk;
      sent += piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    if (!gone) res.end();
  };
  pump();
}

describe('HTTP limits of control calls', function () {
  this.timeout(20_000);

  /**
   * Serves `answer` (which calls `clientGone` when the client drops the connection), makes one request with `limits`,
   * and returns the ApiError it failed with, once the server has seen the client go.
   */
  async function refusal(answer: (res: ServerResponse, clientGone: () => void) => void, limits: HttpLimits, path: string): Promise<ApiError> {
    let gone!: () => void;
    const clientGone = new Promise<void>((r) => (gone = r));
    const server = await startHostileServer((_req, res) => answer(res, gone));
    try {
      const error = await client(server, limits).request({ method: 'POST', path, json: {} }).then(
        () => assert.fail('the answer was accepted'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof ApiError, String(error));
      await clientGone;
      return error;
    } finally {
      await server.close();
    }
  }

  it('gives up at the total deadline on a server that trickles one byte at a time (retryable TIMEOUT)', async () => {
    // 1 byte every 100 ms for 100 s: far inside the idle timer, far beyond the deadline.
    const error = await refusal((res, gone) => trickle(res, 100, 1000, gone), { deadlineMs: 1500, maxResponseBytes: MIB }, '/api/task/download/presign');
    assert.equal(error.code, 'TIMEOUT');
    assert.equal(error.retryable, true);
    assert.match(error.message, /within 1\.5 s/);
  });

  it('refuses an answer larger than the limit as it arrives, without a Content-Length, and drops the connection', async () => {
    const error = await refusal((res, gone) => flood(res, 64 * MIB, false, gone), { deadlineMs: 60_000, maxResponseBytes: 4 * MIB }, '/api/task/upload/init');
    assert.equal(error.code, 'RESPONSE_TOO_LARGE');
    assert.equal(error.retryable, false);
    assert.match(error.message, /larger than 4 MiB/);
  });

  it('refuses an announced Content-Length over the limit before reading the body', async () => {
    const error = await refusal((res, gone) => flood(res, 560 * MIB, true, gone), { deadlineMs: 60_000, maxResponseBytes: MIB }, '/x');
    assert.equal(error.code, 'RESPONSE_TOO_LARGE');
  });

  it('still reads an answer within the limits', async () => {
    const server = await startHostileServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: true, pad: 'x'.repeat(1000) }));
    });
    try {
      const body = await client(server, { deadlineMs: 10_000, maxResponseBytes: 2000 }).request<{ ok: boolean }>({ method: 'GET', path: '/x' });
      assert.equal(body.ok, true);
    } finally {
      await server.close();
    }
  });

  it('the CLI takes --request-timeout and names the deadline when a presign trickles', async () => {
    const server = await startHostileServer((_req, res) => trickle(res, 100, 1000, () => undefined));
    try {
      const result = await cli(['download', '--subtask', 'slow-1', '--endpoint', server.url, '--request-timeout', '2', '--retries', '0', '--out', __dirname]).done;
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /within 2 s/);
    } finally {
      await server.close();
    }
  });

  it('the CLI refuses a malformed --request-timeout', async () => {
    const result = await cli(['download', '--subtask', 'x', '--request-timeout', '0']).done;
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--request-timeout: expected/);
  });
});
