// The emulator's HTTP server: one port for every backend, the admin API under /_emulator/, faults.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, adminRefusal, allowedAdminHosts } from './adminGuard';
import { backendFactories } from './backends';
import type { BackendModule, Counters, EmulatorContext } from './context';
import { FaultSet, parseFaultSpec } from './faults';
import { HttpError, type RequestContext, Router } from './router';
import { registerStoreAdmin } from './store/admin';
import { StoreConfig, type StoreSettings } from './store/profiles';
import { StoreSigner, storeKeys } from './store/signer';
import { MAX_STATE_WAIT_MS, StateChanges } from './stateChanges';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  dataDir: string;
  /** Load sample data on start (what `npm start` and `npm run emulator` show). */
  seed?: boolean;
  log?: (line: string) => void;
  /** Only these backends (names from backends.ts); all when absent. Lets a unit test start just what it tests. */
  backends?: string[];
  /** Folders besides `dataDir` that `input_file` paths of the admin API may read from (`--allow-input-dir`). */
  allowInputDirs?: string[];
  /** The object store's profile and switches for this run (default: the strictest profile). */
  store?: Partial<StoreSettings>;
  /** How long an idle keep-alive connection stays open (default 30 s, as common servers do). */
  keepAliveMs?: number;
}

export interface RunningEmulator {
  url: string;
  port: number;
  ctx: EmulatorContext;
  close(): Promise<void>;
}

const MAX_JSON_BODY = 16 * 1024 * 1024;

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  mkdirSync(options.dataDir, { recursive: true });
  const router = new Router();
  const counters: Counters = { put_bytes: 0, get_bytes: 0, requests: 0 };
  let baseUrl = '';
  const ctx: EmulatorContext = {
    dataDir: options.dataDir,
    baseUrl: () => baseUrl,
    store: { config: new StoreConfig(options.store), signer: new StoreSigner(storeKeys(signingKey(options.dataDir))) },
    faults: new FaultSet(),
    inputDirs: [options.dataDir, ...(options.allowInputDirs ?? [])],
    counters,
    changes: new StateChanges(),
    count: (name, by = 1) => {
      counters[name] = (counters[name] ?? 0) + by;
    },
  };
  const modules: { name: string; module: BackendModule }[] = [];
  for (const { name, factory } of backendFactories) {
    if (options.backends && !options.backends.includes(name)) continue;
    modules.push({ name, module: await factory(router, ctx) });
  }

  registerStoreAdmin(router, ctx);
  router.add('GET', '/_emulator/health', 'admin', (c) => c.sendJson(200, { ok: true, backends: modules.map((m) => m.name) }));
  router.add('GET', '/_emulator/state', 'admin', async (c) => {
    const since = wholeNumberParam(c.url, 'since');
    if (since !== undefined) {
      const waitMs = Math.min(wholeNumberParam(c.url, 'wait_ms') ?? MAX_STATE_WAIT_MS, MAX_STATE_WAIT_MS);
      const dueAt = Math.min(...modules.map(({ module }) => module.nextChangeAt?.() ?? Infinity));
      await ctx.changes.waitForChange(since, waitMs, Number.isFinite(dueAt) ? dueAt : undefined);
    }
    const state: Record<string, unknown> = { state_version: ctx.changes.version, counters: { ...counters }, faults: ctx.faults.list(), held_requests: ctx.faults.heldCount(), store: ctx.store.config.describe() };
    for (const { module } of modules) Object.assign(state, module.state?.() ?? {});
    c.sendJson(200, state);
  });
  router.add('POST', '/_emulator/faults', 'admin', async (c) => {
    const body = await c.json();
    const specs = Array.isArray(body) ? body : [body];
    try {
      for (const spec of specs) ctx.faults.add(parseFaultSpec(spec));
    } catch (err) {
      throw new HttpError(400, { error: (err as Error).message });
    }
    c.sendJson(200, { faults: ctx.faults.list() });
  });
  router.add('DELETE', '/_emulator/faults', 'admin', (c) => {
    ctx.faults.clear();
    c.sendJson(200, { faults: [] });
  });
  router.add('POST', '/_emulator/reset', 'admin', async (c) => {
    for (const { module } of modules) await module.reset?.();
    for (const key of Object.keys(counters)) counters[key] = 0;
    ctx.faults.clear();
    c.sendJson(200, { ok: true });
  });
  router.add('POST', '/_emulator/seed', 'admin', async (c) => {
    for (const { module } of modules) await module.seed?.();
    c.sendJson(200, { ok: true });
  });

  const sockets = new Set<import('node:net').Socket>();
  let adminHosts = new Set<string>();
  const server: Server = createServer((req, res) => {
    void handle(router, ctx, req, res, adminHosts, options.log);
  });
  server.keepAliveTimeout = options.keepAliveMs ?? 30_000;
  server.requestTimeout = 0;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  adminHosts = allowedAdminHosts(options.host ?? '127.0.0.1', port);
  baseUrl = `http://${options.host ?? '127.0.0.1'}:${port}`;
  if (options.seed) for (const { module } of modules) await module.seed?.();

  return {
    url: baseUrl,
    port,
    ctx,
    close: async () => {
      // Connections go first, as in a crash: nothing is answered after the state is written (a held request let go
      // before would answer 200 for a part the restarted emulator never heard of).
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      ctx.changes.close();
      ctx.faults.clear();
      for (const { module } of modules) await module.close?.();
      await closed;
    },
  };
}

async function handle(router: Router, ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, adminHosts: ReadonlySet<string>, log?: (line: string) => void): Promise<void> {
  // Any request but an admin read may change the state: long-polls on it wake when it has been answered.
  const mayChange = !(req.method === 'GET' && (req.url ?? '').startsWith(ADMIN_PREFIX));
  try {
    await handleRequest(router, ctx, req, res, adminHosts, log);
  } finally {
    if (mayChange) ctx.changes.bump();
  }
}

async function handleRequest(router: Router, ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, adminHosts: ReadonlySet<string>, log?: (line: string) => void): Promise<void> {
  ctx.counters.requests++;
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  if (url.pathname.startsWith(ADMIN_PREFIX)) {
    const refusal = adminRefusal(req, adminHosts);
    if (refusal) {
      req.resume();
      return sendJson(res, refusal.status, { code: refusal.status, message: refusal.message });
    }
  }
  const match = router.match(req.method ?? 'GET', url.pathname);
  if (match === undefined) return sendJson(res, 404, { code: 404, message: `no such path: ${url.pathname}` });
  if (match === 'method-not-allowed') return sendJson(res, 405, { code: 405, message: `${req.method} is not allowed on ${url.pathname}` });

  const fault = match.group === 'admin' ? { kind: 'none' as const, latencyMs: 0 } : ctx.faults.decide(match.group);
  if (fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
  if (fault.kind === 'reset') {
    req.socket.destroy();
    return;
  }
  if (fault.kind === 'hang') {
    // Drain what the client sends and never answer; the client's own timer must give up.
    req.resume();
    return;
  }
  if (fault.kind === 'hold') {
    // Its body is never read into a store, so nothing of it counts, whether or not the client is still there.
    const held = ctx.faults.hold();
    ctx.changes.bump();
    await held;
    req.resume();
    return sendJson(res, 503, { code: 503, message: `held request released (${match.group})` });
  }
  if (fault.kind === 'error') {
    req.resume();
    return sendJson(res, fault.status, { code: fault.status, message: `injected fault (${match.group})` });
  }

  let bodyPromise: Promise<Buffer> | undefined;
  const context: RequestContext = {
    req,
    res,
    url,
    params: match.params,
    body: () => (bodyPromise ??= readBody(req)),
    json: async <T>() => {
      const raw = await context.body();
      if (raw.length === 0) throw new HttpError(400, { code: 400, message: 'request body: required JSON is missing' });
      try {
        return JSON.parse(raw.toString('utf8')) as T;
      } catch {
        throw new HttpError(400, { code: 400, message: 'request body: not valid JSON' });
      }
    },
    sendJson: (status, value, headers) => sendJson(res, status, value, headers),
    send: (status, body, headers) => {
      res.writeHead(status, { 'Content-Length': Buffer.byteLength(body), ...(headers ?? {}) });
      res.end(body);
    },
  };
  try {
    await match.handler(context);
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof HttpError) {
      if (typeof err.body === 'string') context.send(err.status, err.body, { 'Content-Type': 'text/plain; charset=utf-8', ...err.headers });
      else sendJson(res, err.status, err.body, err.headers);
      return;
    }
    log?.(`emulator: ${req.method} ${url.pathname} failed: ${(err as Error).stack ?? String(err)}`);
    sendJson(res, 500, { code: 500, message: `emulator error: ${(err as Error).message}` });
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers?: Record<string, string>): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...(headers ?? {}) });
  res.end(body);
}

/**
 * The whole body, or HttpError(413) once it passes MAX_JSON_BODY. The rest of an oversized body is read and dropped
 * before the 413 goes out: a connection closed while the client is still sending would reach it as a reset, not as
 * an answer.
 */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_JSON_BODY) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => {
      if (size > MAX_JSON_BODY) reject(new HttpError(413, { code: 413, message: `request body: too large for a control request (${size} bytes, at most ${MAX_JSON_BODY})` }, { Connection: 'close' }));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** A `?name=` query parameter in decimal digits, or undefined when absent; anything else is a 400 naming it. */
function wholeNumberParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw new HttpError(400, { code: 400, message: `${name}: expected a whole number in decimal digits, got ${JSON.stringify(raw.slice(0, 40))}` });
  return Number(raw);
}

/** The URL signing key of this data dir, made on first use, so presigned URLs outlive a restart. */
function signingKey(dataDir: string): Buffer {
  const path = join(dataDir, 'signing.key');
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
    if (key.length === 32) return key;
  }
  const key = randomBytes(32);
  writeFileSync(path, key.toString('hex'), { mode: 0o600 });
  return key;
}
