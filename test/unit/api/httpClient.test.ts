// HttpClient on node http against a local server: what goes out (headers, bodies), what an answer becomes, and how
// each way a call can end (deadline, idle socket, too large, abort, refused, reset) is reported.
import * as assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, isAbortError } from '../../../src/api/errors';
import { HttpClient, type HttpClientOptions } from '../../../src/api/http';
import { silentLogger } from '../../../src/api/logger';
import { isUnreachable } from '../../../src/transfer/networkWait';
import { isTransient } from '../../../src/transfer/retry';
import { startHostileServer, type HostileServer } from '../helpers/hostileServer';
import { until } from '../helpers/until';

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** A server that hands each request with its whole body to `handler` (and records it); it never drops an idle connection itself. */
function serve(handler: Handler): Promise<HostileServer> {
  return startHostileServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  }, 0);
}

function client(url: () => string, extra: Partial<HttpClientOptions> = {}): HttpClient {
  return new HttpClient({ service: 'datahub', baseUrl: url, unwrap: (body) => body, parseError: (body) => (body && typeof body === 'object' ? { message: JSON.stringify(body) } : {}), logger: silentLogger, ...extra });
}

function json(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(text);
}

async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => assert.fail('the call succeeded'),
    (e: unknown) => e,
  );
}

describe('HttpClient on node http', function () {
  this.timeout(15_000);
  let server: HostileServer | undefined;
  let http: HttpClient | undefined;
  afterEach(async () => {
    http?.close();
    await server?.close();
    server = undefined;
    http = undefined;
  });

  it('sends Accept and the JSON body with its Content-Type and nothing of its own (no User-Agent, no Accept-Encoding)', async () => {
    let received = '';
    server = await serve((_req, res, body) => {
      received = body.toString();
      json(res, 200, '{"ok":true}');
    });
    http = client(() => server!.url, { authHeaders: async () => ({ Authorization: 'Bearer t' }) });
    assert.deepEqual(await http.request({ method: 'POST', path: '/api/x', query: { a: 1, b: ['x', 'y'], c: undefined }, json: { n: 1 }, headers: { 'X-Extra': 'e' } }), { ok: true });
    const [sent] = server.requests;
    assert.equal(sent.url, '/api/x?a=1&b=x&b=y');
    assert.equal(received, '{"n":1}');
    assert.deepEqual(Object.keys(sent.headers).sort(), ['accept', 'authorization', 'connection', 'content-length', 'content-type', 'host', 'x-extra']);
    assert.equal(sent.headers.accept, 'application/json');
    assert.equal(sent.headers['content-type'], 'application/json');
    assert.equal(sent.headers['content-length'], '7');
    await http.request({ method: 'GET', path: '/api/y' });
    assert.deepEqual(Object.keys(server.requests[1].headers).sort(), ['accept', 'authorization', 'connection', 'host']);
  });

  it('sends a FormData body as multipart with the boundary named in its Content-Type', async () => {
    let received: Buffer = Buffer.alloc(0);
    server = await serve((_req, res, body) => {
      received = body;
      json(res, 200, '{}');
    });
    http = client(() => server!.url);
    const form = new FormData();
    form.append('series_id', '42');
    form.append('source_name', '名字 with "quotes"');
    await http.request({ method: 'PATCH', path: '/media/', form });
    const type = server.requests[0].headers['content-type'] ?? '';
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(type)?.[1];
    assert.ok(boundary, type);
    assert.ok(received.toString().startsWith(`--${boundary}\r\n`), received.toString());
    assert.equal(server.requests[0].headers['content-length'], String(received.length));
    const parsed = await new Response(new Uint8Array(received), { headers: { 'Content-Type': type } }).formData();
    assert.equal(parsed.get('series_id'), '42');
    assert.equal(parsed.get('source_name'), '名字 with "quotes"');
  });

  it('reads the base URL on every call and reuses one kept-alive socket for calls one after another', async () => {
    const ports = new Set<number | undefined>();
    server = await serve((req, res) => {
      ports.add(req.socket.remotePort);
      json(res, 200, '{}');
    });
    const other = await serve((_req, res) => json(res, 200, '{"other":true}'));
    let base = server.url;
    http = client(() => base);
    await http.request({ method: 'GET', path: '/a' });
    await http.request({ method: 'GET', path: '/b' });
    assert.equal(ports.size, 1);
    base = `${other.url}/`;
    assert.deepEqual(await http.request({ method: 'GET', path: '/c' }), { other: true });
    assert.equal(other.requests[0].url, '/c');
    await other.close();
  });

  it('keeps every digit of a 16+ digit integer when asked to', async () => {
    server = await serve((_req, res) => json(res, 200, '{"id":1234567890123456789,"n":12}'));
    http = client(() => server!.url, { largeIntegersAsStrings: true });
    assert.deepEqual(await http.request({ method: 'GET', path: '/x' }), { id: '1234567890123456789', n: 12 });
  });

  it('returns a 302 as an answer and does not follow it', async () => {
    server = await serve((req, res) => (req.url === '/moved' ? json(res, 302, '{"moved":1}', { Location: '/elsewhere' }) : json(res, 200, '{"followed":true}')));
    http = client(() => server!.url);
    const error = await failure(http.request({ method: 'GET', path: '/moved' }));
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.httpStatus, 302);
    assert.equal(error.retryable, false);
    assert.deepEqual(server.requests.map((r) => r.url), ['/moved']);
  });

  it('gives up at the total deadline when no answer comes (retryable TIMEOUT naming the limit)', async () => {
    let gone!: () => void;
    const clientGone = new Promise<void>((r) => (gone = r));
    server = await serve((_req, res) => res.on('close', gone));
    http = client(() => server!.url, { limits: () => ({ deadlineMs: 300, maxResponseBytes: 1000 }) });
    const error = await failure(http.request({ method: 'POST', path: '/api/task/upload/init', json: {} }));
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.code, 'TIMEOUT');
    assert.equal(error.retryable, true);
    assert.match(error.message, /POST \/api\/task\/upload\/init within 0\.3 s/);
    await clientGone;
  });

  it('fails a call whose socket stays idle for the idle timeout with a retryable ETIMEDOUT, before the deadline', async () => {
    server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{');
    });
    http = client(() => server!.url, { timeoutMs: 200 });
    const error = await failure(http.request({ method: 'GET', path: '/slow' }));
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.code, 'ETIMEDOUT');
    assert.equal(error.retryable, true);
    assert.match(error.message, /no byte for 0\.2 s on GET \/slow/);
  });

  for (const announce of [true, false]) {
    it(`refuses an answer over the limit (${announce ? 'declared in Content-Length' : 'streamed, no Content-Length'})`, async () => {
      server = await serve((_req, res) => {
        res.writeHead(200, announce ? { 'Content-Length': '5000' } : {});
        res.write(`"${'a'.repeat(1500)}`);
        // Declared: the client drops the connection on the headers. Streamed: only the second write crosses the limit.
        if (!announce) res.end(`${'a'.repeat(1500)}"`);
      });
      http = client(() => server!.url, { limits: () => ({ deadlineMs: 10_000, maxResponseBytes: 2000 }) });
      const error = await failure(http.request({ method: 'GET', path: '/big' }));
      assert.ok(error instanceof ApiError, String(error));
      assert.equal(error.code, 'RESPONSE_TOO_LARGE');
      assert.match(error.message, /larger than 2 KiB/);
    });
  }

  it('an abort by the caller is an abort (no ApiError), while waiting for the headers and while reading the body', async () => {
    let answer = false;
    server = await serve((_req, res) => {
      if (!answer) return;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"partial":');
    });
    http = client(() => server!.url);
    for (const withHeaders of [false, true]) {
      answer = withHeaders;
      const stop = new AbortController();
      const call = failure(http.request({ method: 'GET', path: '/hold', signal: stop.signal }));
      const seen = server.requests.length;
      await until('the server to get the request', () => (server!.requests.length > seen ? true : undefined));
      stop.abort();
      const error = await call;
      assert.ok(isAbortError(error), String(error));
      assert.ok(!(error instanceof ApiError));
    }
    const before = server.requests.length;
    const aborted = new AbortController();
    aborted.abort();
    assert.ok(isAbortError(await failure(http.request({ method: 'GET', path: '/never', signal: aborted.signal }))));
    assert.equal(server.requests.length, before);
  });

  it('a refused connection is a retryable ApiError with code ECONNREFUSED naming the URL', async () => {
    const closed = await serve(() => undefined);
    const url = closed.url;
    await closed.close();
    http = client(() => url);
    const error = await failure(http.request({ method: 'GET', path: '/x' }));
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.code, 'ECONNREFUSED');
    assert.equal(error.retryable, true);
    assert.equal(error.httpStatus, undefined);
    assert.ok(error.message.includes(url), error.message);
    assert.ok(isUnreachable(error));
    assert.ok(isTransient(error));
  });

  it('a connection dropped in the middle of the body is a retryable ECONNRESET', async () => {
    server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('{"half":');
      setImmediate(() => res.socket?.destroy());
    });
    http = client(() => server!.url);
    const error = await failure(http.request({ method: 'GET', path: '/x' }));
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.code, 'ECONNRESET');
    assert.equal(error.retryable, true);
  });

  it('close() drops the kept-alive sockets', async () => {
    let gone!: () => void;
    const socketGone = new Promise<void>((r) => (gone = r));
    server = await serve((req, res) => {
      req.socket.once('close', gone);
      json(res, 200, '{}');
    });
    http = client(() => server!.url);
    await http.request({ method: 'GET', path: '/x' });
    http.close();
    await socketGone;
  });

  it('names a base URL that is not http(s) instead of sending anything', async () => {
    http = client(() => 'ftp://example.invalid');
    const error = await failure(http.request({ method: 'GET', path: '/x' }));
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.code, 'BAD_URL');
  });
});
