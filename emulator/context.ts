// What every emulated backend shares: data dir, public URL, URL signer, faults, counters, admin hooks.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FaultSet } from './faults';
import type { Router } from './router';

export interface Counters {
  put_bytes: number;
  get_bytes: number;
  requests: number;
  [name: string]: number;
}

/** One backend's contribution to the emulator: its routes are added to the router by `register`. */
export interface BackendModule {
  /** Its part of GET /_emulator/state. */
  state?(): Record<string, unknown>;
  /** Called by POST /_emulator/reset and before sample data is loaded. */
  reset?(): void | Promise<void>;
  /** Loads sample data so that a first look shows something (`npm start`). */
  seed?(): void | Promise<void>;
  close?(): void | Promise<void>;
}

export type BackendFactory = (router: Router, ctx: EmulatorContext) => BackendModule | Promise<BackendModule>;

export class UrlSigner {
  /** A fixed key (kept in the data dir) keeps issued URLs valid across emulator restarts, as with real storage. */
  constructor(private readonly key: Buffer = randomBytes(32)) {}

  /** HMAC-SHA256 over the method, the object path and the expiry, hex. */
  sign(method: string, objectPath: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${method.toUpperCase()}\n${objectPath}\n${expires}`).digest('hex');
  }

  /** A signed URL for `objectPath` (which must start with `/`), valid for `ttlSeconds`. */
  url(baseUrl: string, method: string, objectPath: string, ttlSeconds: number, nowMs = Date.now()): string {
    const expires = Math.floor(nowMs / 1000) + Math.max(0, Math.floor(ttlSeconds));
    return `${baseUrl}${objectPath}?X-Expires=${expires}&X-Signature=${this.sign(method, objectPath, expires)}`;
  }

  /** 'ok', or why the URL is refused ('expired' or 'bad-signature'). */
  verify(method: string, url: URL, nowMs = Date.now()): 'ok' | 'expired' | 'bad-signature' {
    const expires = Number(url.searchParams.get('X-Expires'));
    const given = url.searchParams.get('X-Signature') ?? '';
    if (!Number.isInteger(expires)) return 'bad-signature';
    const expected = this.sign(method, url.pathname, expires);
    const a = Buffer.from(given, 'utf8');
    const b = Buffer.from(expected, 'utf8');
    if (a.length !== b.length || !timingSafeEqual(a, b)) return 'bad-signature';
    if (nowMs / 1000 > expires) return 'expired';
    return 'ok';
  }
}

export interface EmulatorContext {
  dataDir: string;
  /** e.g. http://127.0.0.1:PORT, known once the server listens. */
  baseUrl(): string;
  signer: UrlSigner;
  faults: FaultSet;
  /** Folders the admin API may read `input_file` paths from: the data dir and any `--allow-input-dir`. */
  inputDirs: readonly string[];
  counters: Counters;
  /** Adds to a named counter (shown in /_emulator/state). */
  count(name: string, by?: number): void;
}
