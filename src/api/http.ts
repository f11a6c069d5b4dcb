// Every backend's HTTP client: one request over node http/https with keep-alive pools, envelopes unwrapped and
// failures turned into ApiError in one place.
import * as http from 'node:http';
import * as https from 'node:https';
import { describeSize, ResponseTooLarge } from './boundedBody';
import { ApiError, isAbortError, type ServiceName } from './errors';
import { exchange, SocketIdle, type Answer, type KeepAliveAgents } from './httpRequest';
import { redact, type Logger } from './logger';

/** Turns a 2xx body into the payload, or throws ApiError when the envelope says it failed. */
export type EnvelopeUnwrapper = (body: unknown, status: number) => unknown;
/** Builds the ApiError for a non-2xx response from its body. */
export type ErrorParser = (body: unknown, status: number) => { code?: string | number; message?: string };

export interface HttpClientOptions {
  service: ServiceName;
  /** Read on every request so that a settings change applies at once. */
  baseUrl: () => string;
  /** Auth headers per request (may read SecretStorage). */
  authHeaders?: (request: { method: string; path: string; headers: Record<string, string> }) => Promise<Record<string, string>>;
  unwrap: EnvelopeUnwrapper;
  parseError: ErrorParser;
  logger: Logger;
  /** Sockets kept alive per host; sized to the transfer concurrency. */
  maxSockets?: number;
  /** No byte for this long aborts the call (socket idle timer). */
  timeoutMs?: number;
  /** The total deadline and the largest answer of one call; read per request so that a settings change applies at once. */
  limits?: () => HttpLimits;
  /** Integers of 16+ digits arrive as strings, so that 19-digit ids keep every digit. */
  largeIntegersAsStrings?: boolean;
}

/** Bounds on one control-plane call, whatever the server does. */
export interface HttpLimits {
  /** The whole call (connect, headers and body) must be over within this; a server trickling bytes cannot hold it longer. */
  deadlineMs: number;
  /** The largest answer read; a larger one is refused as it arrives, before it fills the memory. */
  maxResponseBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { deadlineMs: 120_000, maxResponseBytes: 32 * 1024 * 1024 };

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined | readonly (string | number)[]>;
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export type { KeepAliveAgents } from './httpRequest';

/** Keep-alive socket pools, one per scheme: the backends' client has its own, a transfer runtime one for its data plane. */
export function keepAliveAgents(maxSockets: number): KeepAliveAgents {
  return {
    httpAgent: new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets }),
  };
}

/** Closes every socket of the pools, idle or open: a finished process must not wait for the server to drop them. */
export function destroyAgents(agents: KeepAliveAgents): void {
  agents.httpAgent.destroy();
  agents.httpsAgent.destroy();
}

export function serializeQuery(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export class HttpClient {
  private readonly agents: KeepAliveAgents;

  constructor(private readonly options: HttpClientOptions) {
    this.agents = keepAliveAgents(options.maxSockets ?? 16);
  }

  get service(): ServiceName {
    return this.options.service;
  }

  /** Closes the kept-alive sockets: a process that is done must not wait for the server to drop them. */
  close(): void {
    destroyAgents(this.agents);
  }

  async request<T>(req: RequestOptions): Promise<T> {
    const service = this.options.service;
    const base = this.options.baseUrl().replace(/\/+$/, '');
    if (!base) throw new ApiError(service, undefined, 'NO_BASE_URL', `no base URL is set for ${service}`);
    const path = req.path + serializeQuery(req.query);
    const url = parseUrl(service, base, path);
    const headers: Record<string, string> = { Accept: 'application/json', ...(req.headers ?? {}) };
    let body: Buffer | undefined;
    if (req.json !== undefined) {
      body = Buffer.from(JSON.stringify(req.json));
      headers['Content-Type'] = 'application/json';
    } else if (req.form) {
      // The runtime's own multipart encoder: the bytes and the Content-Type naming their boundary.
      const encoded = new Response(req.form);
      body = Buffer.from(await encoded.arrayBuffer());
      headers['Content-Type'] = encoded.headers.get('content-type') ?? 'multipart/form-data';
    }
    if (this.options.authHeaders) Object.assign(headers, await this.options.authHeaders({ method: req.method, path: req.path, headers }));
    const limits = this.options.limits?.() ?? DEFAULT_HTTP_LIMITS;
    // One controller per call, aborted by the deadline or by the caller (a listener, not AbortSignal.any: cheaper per call).
    const stop = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stop.abort();
    }, limits.deadlineMs);
    const onCallerAbort = (): void => stop.abort();
    if (req.signal?.aborted) stop.abort();
    else req.signal?.addEventListener('abort', onCallerAbort, { once: true });
    this.options.logger.debug(`${service} → ${req.method} ${redact(path)}`);
    let answer: Answer;
    try {
      answer = await exchange({ url, method: req.method, headers, body, agents: this.agents, signal: stop.signal, idleMs: this.options.timeoutMs ?? 60_000, maxBytes: limits.maxResponseBytes });
    } catch (err) {
      if (timedOut && !req.signal?.aborted) {
        throw new ApiError(service, undefined, 'TIMEOUT', `no complete answer to ${req.method} ${redact(req.path)} within ${limits.deadlineMs / 1000} s (${this.options.baseUrl()})`, true);
      }
      if (err instanceof ResponseTooLarge) {
        throw new ApiError(service, undefined, 'RESPONSE_TOO_LARGE', `the answer to ${req.method} ${redact(req.path)} is larger than ${describeSize(limits.maxResponseBytes)}, the most a control request may return (${this.options.baseUrl()})`);
      }
      if (err instanceof SocketIdle) {
        throw new ApiError(service, undefined, err.code, `no byte for ${(this.options.timeoutMs ?? 60_000) / 1000} s on ${req.method} ${redact(req.path)} (${this.options.baseUrl()})`, true);
      }
      throw this.networkError(err);
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onCallerAbort);
    }
    const { status, text } = answer;
    const parsed = parseBody(text, this.options.largeIntegersAsStrings === true);
    this.options.logger.debug(`${service} ← ${status} ${req.method} ${redact(req.path)}`);
    if (status < 200 || status >= 300) {
      const problem = this.options.parseError(parsed, status);
      throw new ApiError(
        service,
        status,
        problem.code ?? status,
        problem.message ?? `${req.method} ${req.path} answered ${status}`,
        status >= 500 || status === 429 || status === 408,
      );
    }
    return this.options.unwrap(parsed, status) as T;
  }

  /** A failure with no answer (refused, reset, unknown host): retryable, with node's code, naming the endpoint. */
  private networkError(err: unknown): Error {
    if (isAbortError(err)) return err as Error;
    const code = (err as { code?: unknown } | undefined)?.code;
    if (err instanceof Error && typeof code === 'string') {
      return new ApiError(this.options.service, undefined, code, `${err.message} (${this.options.baseUrl()})`, true);
    }
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** The URL of one call; a base URL that is not http(s) is named in the error rather than sent anywhere. */
function parseUrl(service: ServiceName, base: string, path: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(base + path);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ApiError(service, undefined, 'BAD_URL', `the ${service} URL ${redact(base)} is not an http(s) URL`);
  }
  return url;
}

function parseBody(text: string | undefined, largeIntegersAsStrings = false): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(largeIntegersAsStrings ? quoteLargeIntegers(text) : text);
  } catch {
    return text;
  }
}

/**
 * Quotes every bare integer of 16 or more digits in a JSON text (strings are skipped whole), since
 * JSON.parse would round it: 1234567890123456789 becomes "1234567890123456789".
 */
export function quoteLargeIntegers(json: string): string {
  return json.replace(/"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g, (token) => (token.startsWith('"') ? token : `"${token}"`));
}

/** Reads `field` of an object body when it is a string. */
export function stringField(body: unknown, field: string): string | undefined {
  if (body && typeof body === 'object' && field in body) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}
