// Helpers for the emulator unit tests: an in-process emulator on a random port, raw HTTP calls, MD5.
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '../../../emulator/server';
import type { StoreSettings } from '../../../emulator/store/profiles';

export interface TestEmulator {
  emu: RunningEmulator;
  url: string;
  dataDir: string;
  /** JSON call on the emulator; `body` is sent as JSON when given. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<JsonAnswer>;
  state(): Promise<Record<string, unknown>>;
  stop(removeData?: boolean): Promise<void>;
}

export interface JsonAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** Starts only the named backends so a half-written other backend cannot break these tests; `store` picks the store profile and switches. */
export async function startTestEmulator(backends: string[], dataDir?: string, store?: Partial<StoreSettings>): Promise<TestEmulator> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'datahub-emu-test-'));
  // Tests write the input files of their subtasks in the temp folder.
  const emu = await startEmulator({ port: 0, dataDir: dir, backends, allowInputDirs: [tmpdir()], store });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer> => {
    const res = await fetch(path.startsWith('http') ? path : `${emu.url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  return {
    emu,
    url: emu.url,
    dataDir: dir,
    call,
    state: async () => (await call('GET', '/_emulator/state')).body,
    stop: async (removeData = true) => {
      await emu.close();
      if (removeData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function md5(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}

export function randomData(size: number): Buffer {
  return randomBytes(size);
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A plain node:http request (fetch hides connection resets and some headers behind its own errors). */
export function rawRequest(method: string, url: string, body?: Buffer, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...(body ? { 'Content-Length': String(body.length) } : {}), ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** PUTs `data` to a presigned part URL, with only the headers its signature covers (a Content-Type only when given). */
export function putPart(url: string, data: Buffer, contentType?: string): Promise<RawAnswer> {
  return rawRequest('PUT', url, data, contentType === undefined ? {} : { 'Content-Type': contentType });
}

/** The Content-Type api 004's part URLs are signed with (its document's part PUT sends it). */
export const MP_CONTENT_TYPE = 'application/octet-stream';

/** The message of a Datahub error envelope (asserting that it is one). */
export function envelopeMessage(answer: JsonAnswer): string {
  const { code, message } = answer.body;
  if (typeof code !== 'number' || code === 0 || typeof message !== 'string') throw new Error(`not an error envelope: ${JSON.stringify(answer.body)}`);
  return message;
}
