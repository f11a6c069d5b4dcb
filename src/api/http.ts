// One factory for every backend's HTTP client: axios set up for data, envelopes unwrapped and
// failures turned into ApiError in one place.
import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { declaredLength, describeSize, readBounded, ResponseTooLarge } from './boundedBody';
import { ApiError, isAbortError, type ServiceName } from './errors';
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

export function keepAliveAgents(maxSockets: number): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  return {
    httpAgent: new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets }),
  };
}

/** axios configured for data: no redirect buffering, no body limit (and no counting stream), keep-alive. */
export function createDataAxios(maxSockets: number, timeoutMs = 0): AxiosInstance {
  return axios.create({
    ...keepAliveAgents(maxSockets),
    maxRedirects: 0,
    // -1 is axios's "no limit" that adds nothing to the data path; any other value (even Infinity)
    // pipes every body through a counting Transform (measured: ~0.35 s of CPU per GiB).
    maxBodyLength: -1,
    maxContentLength: -1,
    timeout: timeoutMs,
    validateStatus: () => true,
    transitional: { clarifyTimeoutError: true },
  });
}

/** Destroys the keep-alive agents of an axios made by createDataAxios (idle and open sockets alike). */
export function destroyAgents(instance: AxiosInstance): void {
  const { httpAgent, httpsAgent } = instance.defaults as { httpAgent?: http.Agent; httpsAgent?: https.Agent };
  httpAgent?.destroy();
  httpsAgent?.destroy();
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
  private readonly axios: AxiosInstance;

  constructor(private readonly options: HttpClientOptions) {
    this.axios = createDataAxios(options.maxSockets ?? 16, options.timeoutMs ?? 60_000);
  }

  get service(): ServiceName {
    return this.options.service;
  }

  /** Closes the kept-alive sockets: a process that is done must not wait for the server to drop them. */
  close(): void {
    destroyAgents(this.axios);
  }

  async request<T>(req: RequestOptions): Promise<T> {
    const base = this.options.baseUrl().replace(/\/+$/, '');
    if (!base) throw new ApiError(this.options.service, undefined, 'NO_BASE_URL', `no base URL is set for ${this.options.service}`);
    const path = req.path + serializeQuery(req.query);
    const headers: Record<string, string> = { Accept: 'application/json', ...(req.headers ?? {}) };
    let data: unknown;
    if (req.json !== undefined) {
      data = JSON.stringify(req.json);
      headers['Content-Type'] = 'application/json';
    } else if (req.form) {
      data = req.form;
    }
    if (this.options.authHeaders) Object.assign(headers, await this.options.authHeaders({ method: req.method, path: req.path, headers }));
    const limits = this.options.limits?.() ?? DEFAULT_HTTP_LIMITS;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), limits.deadlineMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline.signal]) : deadline.signal;
    const config: AxiosRequestConfig = { method: req.method, url: base + path, data, headers, signal, responseType: 'stream' };
    this.options.logger.debug(`${this.options.service} → ${req.method} ${redact(path)}`);
    let status: number;
    let text: string;
    try {
      const response = await this.axios.request<Readable>(config);
      status = response.status;
      text = await readBounded(response.data, limits.maxResponseBytes, signal, declaredLength(response.headers['content-length']));
    } catch (err) {
      if (deadline.signal.aborted && !req.signal?.aborted) {
        throw new ApiError(this.options.service, undefined, 'TIMEOUT', `no complete answer to ${req.method} ${redact(req.path)} within ${limits.deadlineMs / 1000} s (${this.options.baseUrl()})`, true);
      }
      if (err instanceof ResponseTooLarge) {
        throw new ApiError(this.options.service, undefined, 'RESPONSE_TOO_LARGE', `the answer to ${req.method} ${redact(req.path)} is larger than ${describeSize(limits.maxResponseBytes)}, the most a control request may return (${this.options.baseUrl()})`);
      }
      throw this.networkError(err);
    } finally {
      clearTimeout(timer);
    }
    const body = parseBody(text, this.options.largeIntegersAsStrings === true);
    this.options.logger.debug(`${this.options.service} ← ${status} ${req.method} ${redact(req.path)}`);
    if (status < 200 || status >= 300) {
      const parsed = this.options.parseError(body, status);
      throw new ApiError(
        this.options.service,
        status,
        parsed.code ?? status,
        parsed.message ?? `${req.method} ${req.path} answered ${status}`,
        status >= 500 || status === 429 || status === 408,
      );
    }
    return this.options.unwrap(body, status) as T;
  }

  private networkError(err: unknown): Error {
    if (isAbortError(err)) return err as Error;
    if (err instanceof AxiosError) {
      return new ApiError(this.options.service, undefined, err.code ?? 'NETWORK', `${err.message} (${this.options.baseUrl()})`, true);
    }
    return err instanceof Error ? err : new Error(String(err));
  }
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
