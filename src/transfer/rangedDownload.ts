// The download data path: parallel ranged GETs (node http/https) written at their offsets into one file, resumable by range.
import * as http from 'node:http';
import * as https from 'node:https';
import type { FileHandle } from 'node:fs/promises';
import { ApiError, type ServiceName } from '../api/errors';
import { keepAliveAgents } from '../api/http';
import { OrderedHasher, type OrderedHashResult } from './orderedHasher';
import { createPartFile, reopenPartFile, type PartFileIdentity } from './partFile';
import { StallGuard, type DataPace } from './stallGuard';
import { choosePartSize, planParts, type PartRange } from './parts';
import { runPool } from './pool';
import { PartAttempts, trackPart, type PartSink } from './partActivity';
import { withRetry } from './retry';
import { isExpiredUrl, storeError } from './storeErrors';

/** An expired URL is renewed at most this many times per run; then the store's refusal is final. */
export const MAX_URL_REFRESHES = 3;

/** What a resumed download must know: fixed at the first run, then only `done` grows. */
export interface RangeState {
  size: number;
  /** As the store sent it (quotes included); empty when it sent none. */
  etag: string;
  partSize: number;
  /** 1-based indexes of the parts whose bytes are all written. */
  done: number[];
  /** The file this download created: a resumed download writes into that file only. */
  file?: PartFileIdentity;
}

export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

export interface RangedDownloadOptions {
  /** The presigned URL; `fresh` asks for a new one (after a 403 the old one has expired). */
  url: (fresh: boolean) => Promise<string>;
  /** The file written in place (a `.part`); created when `state` is undefined, else reopened. */
  path: string;
  concurrency: number;
  /** The part size of a new download (grown for more than 10,000 parts); a resumed one keeps its own. */
  chunkSize: number;
  retries: number;
  /** An attempt that moves no byte for this long is aborted and retried. */
  stallMs: number;
  /** A minimum throughput of each ranged GET over a window; none when unset. */
  floor?: Omit<DataPace, 'stallMs'>;
  signal: AbortSignal;
  /** Where a previous run stopped; undefined starts from nothing. */
  state?: RangeState;
  /** Persist the state; called once the size is known and after each finished part. */
  onState?: (state: RangeState) => Promise<void>;
  /** Bytes written (negative when a failed attempt's bytes are given back). */
  onBytes?: (delta: number) => void;
  onRetry?: (what: string, error: unknown, attempt: number) => void;
  /** What happens to each part (for the details view). */
  parts?: PartSink;
  /** The recorded state was dropped (its file is gone): progress starts from 0 again. */
  onRestart?: () => void;
  agents?: Agents;
  service?: ServiceName;
  /**
   * Hash the file as its ranges land (OrderedHasher): called once size and ETag are known, it says which part
   * sizes' multipart ETags to compute beside the MD5, or undefined to hash nothing (an ETag that checks nothing).
   */
  hashing?: (size: number, etag: string) => { compositePartSizes: number[] } | undefined;
}

/** A finished download: its range state, and its hashes when `hashing` asked for them. */
export interface RangedDownloadResult extends RangeState {
  hashes?: OrderedHashResult;
}

/** Bytes that land ahead of the hashing point are kept in memory up to this (else read back from the file). */
const MAX_HASH_WINDOW = 64 * 1024 * 1024;

/** The object changed on the server since the recorded ranges were fetched: they cannot be combined. */
export class RemoteChangedError extends Error {
  override readonly name = 'RemoteChangedError';
}

const defaultAgents: Agents = (() => {
  const a = keepAliveAgents(64);
  return { http: a.httpAgent, https: a.httpsAgent };
})();

/** Bytes covered by the finished parts of `state`. */
export function doneBytes(state: RangeState | undefined): number {
  if (!state) return 0;
  const parts = planParts(state.size, state.partSize).parts;
  return state.done.reduce((sum, index) => sum + partLength(parts, index), 0);
}

/** `"<32 hex>"` (a single-part object's MD5), unquoted and lower-cased; undefined for any other ETag. */
export function md5FromEtag(etag: string): string | undefined {
  const m = /^(?:W\/)?"?([0-9a-fA-F]{32})"?$/.exec(etag.trim());
  return m && !etag.startsWith('W/') ? m[1].toLowerCase() : undefined;
}

/**
 * Downloads the object at `url()` into `path` with `concurrency` ranged GETs of the part size,
 * resuming from `state`. Resolves with the final state (every part done); the caller verifies and renames.
 */
export async function downloadRanges(options: RangedDownloadOptions): Promise<RangedDownloadResult> {
  const service = options.service ?? 'datahub';
  const agents = options.agents ?? defaultAgents;
  let state = options.state ? { ...options.state, done: [...options.state.done] } : undefined;

  // The URL first: a subtask that has nothing to download must not leave an empty .part behind.
  let currentUrl = await options.url(false);
  let refreshing: Promise<string> | undefined;

  // A resumed download writes only into the file it created; a fresh one creates its file once the size is known.
  let fh: FileHandle | undefined;
  if (state) {
    const reopened = await reopenPartFile(options.path, { identity: state.file, size: state.size }, service);
    if (!reopened) {
      // The .part is gone: whatever the journal says was written is not there any more.
      state = undefined;
      options.onRestart?.();
    } else {
      fh = reopened.handle;
      if (reopened.damaged) {
        await fh.truncate(state.size);
        state.done = [];
        options.onRestart?.();
      }
      state.file = reopened.identity;
    }
  }

  const refreshUrl = (): Promise<string> =>
    (refreshing ??= options.url(true).then(
      (u) => {
        currentUrl = u;
        refreshing = undefined;
        return u;
      },
      (e: unknown) => {
        refreshing = undefined;
        throw e;
      },
    ));

  const ctx: FetchContext = { agents, service, pace: { stallMs: options.stallMs, ...options.floor }, fh, path: options.path, onBytes: options.onBytes };
  let refreshes = 0;
  const retried: Retried = (what, signal, attempt, attempts) =>
    withRetry(
      async () => {
        const used = currentUrl;
        try {
          return await attempt(used);
        } catch (error) {
          // Only an expired URL is renewed; any other refusal (SignatureDoesNotMatch, AccessDenied) is final.
          if (isExpiredUrl(error)) {
            const message = (error as ApiError).message;
            // Parts refused with the old URL after another part already renewed it just retry with the new one.
            if (used === currentUrl) {
              if (refreshes >= MAX_URL_REFRESHES) throw new ApiError(service, 403, 'URL_EXPIRED', `${message}; still refused after ${refreshes} new URLs`);
              refreshes++;
              await refreshUrl();
            }
            throw new ApiError(service, 403, 'URL_REFRESHED', `${message}; a new URL was issued`, true);
          }
          throw error;
        }
      },
      {
        retries: options.retries,
        signal,
        onRetry: (e, n) => {
          attempts?.retrying();
          options.onRetry?.(what, e, n);
        },
      },
    );

  try {
    if (state) startHashing(options, ctx, state);
    else state = await probe(options, ctx, retried);
    const fixed: RangeState = state;
    const plan = planParts(fixed.size, fixed.partSize);
    const done = new Set(fixed.done);
    const pending = plan.parts.filter((p) => !done.has(p.index));
    options.parts?.({ type: 'plan', sizes: plan.parts.map((p) => p.end - p.start), done: [...done] });
    let saving: Promise<void> = Promise.resolve();
    await runPool(
      pending,
      options.concurrency,
      async (part, signal) => {
        const attempts = new PartAttempts(options.parts, part.index);
        // This part's bytes pass through its own counter on their way to the download's.
        const partCtx: FetchContext = {
          ...ctx,
          onBytes: (n) => {
            attempts.bytes(n);
            ctx.onBytes?.(n);
          },
        };
        await trackPart(attempts, signal, () => retried(`part ${part.index}`, signal, (url) => fetchPart(partCtx, url, part, fixed, signal), attempts));
        fixed.done.push(part.index);
        // Saves are chained so that a slower older snapshot never lands after a newer one.
        const snapshot = { ...fixed, done: [...fixed.done] };
        saving = saving.then(() => options.onState?.(snapshot));
        await saving;
      },
      options.signal,
    );
    fixed.done.sort((a, b) => a - b);
    // The last range has landed: what is left is the hashing of bytes that were read back or are still held.
    const hashes = await ctx.hasher?.finish();
    return { ...fixed, hashes };
  } finally {
    await ctx.fh?.close();
  }
}

interface FetchContext {
  agents: Agents;
  service: ServiceName;
  pace: DataPace;
  /** Open once the part file exists (a fresh download creates it after the first answer says how large it is). */
  fh: FileHandle | undefined;
  path: string;
  onBytes?: (delta: number) => void;
  /** Fed every chunk as it is written, once the size is known (when the caller asked for hashing). */
  hasher?: OrderedHasher;
}

/** Sets up the hasher for a known size and ETag; the parts a previous run wrote are read back from the file. */
function startHashing(options: RangedDownloadOptions, ctx: FetchContext, state: RangeState): void {
  const wanted = options.hashing?.(state.size, state.etag);
  if (!wanted) return;
  const fh = fileOf(ctx);
  ctx.hasher = new OrderedHasher({
    size: state.size,
    windowBytes: Math.min(MAX_HASH_WINDOW, options.concurrency * state.partSize),
    compositePartSizes: wanted.compositePartSizes,
    readAt: async (offset, length) => {
      const buffer = Buffer.allocUnsafe(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await fh.read(buffer, filled, length - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
  });
  const parts = planParts(state.size, state.partSize).parts;
  for (const index of state.done) {
    const part = parts[index - 1];
    if (part) ctx.hasher.alreadyWritten(part.start, part.end);
  }
}

function fileOf(ctx: FetchContext): FileHandle {
  if (!ctx.fh) throw new Error(`${ctx.path} is not open`);
  return ctx.fh;
}

/** Runs `attempt` with the current URL, retrying transient failures and renewing an expired URL. */
type Retried = <T>(what: string, signal: AbortSignal, attempt: (url: string) => Promise<T>, attempts?: PartAttempts) => Promise<T>;

/** The first GET (range of the first part) learns size and ETag; its body is kept when it is the first part. */
async function probe(options: RangedDownloadOptions, ctx: FetchContext, retried: Retried): Promise<RangeState> {
  return retried('first part', options.signal, async (url) => {
    const guard = new StallGuard(options.signal, ctx.pace);
    let written = 0;
    try {
      const res = await get(ctx, url, `bytes=0-${options.chunkSize - 1}`, guard);
      let state: RangeState;
      let keep: PartRange | undefined;
      const etag = headerString(res.headers.etag);
      if (res.statusCode === 416) {
        const total = /\/(\d+)$/.exec(headerString(res.headers['content-range']))?.[1];
        res.resume();
        if (total !== '0') throw new ApiError(ctx.service, 416, 'BAD_RANGE', `the store refused the range bytes=0-${options.chunkSize - 1} of a non-empty object`);
        state = { size: 0, etag, partSize: options.chunkSize, done: [1] };
      } else if (res.statusCode === 200) {
        // The store ignores Range: one part, the whole object, in this response.
        const size = Number(res.headers['content-length']);
        if (!Number.isSafeInteger(size)) throw new ApiError(ctx.service, 200, 'NO_LENGTH', 'the store sent neither Content-Range nor Content-Length');
        state = { size, etag, partSize: Math.max(1, size), done: [] };
        keep = { index: 1, start: 0, end: size };
      } else if (res.statusCode === 206) {
        const range = parseContentRange(res.headers['content-range']);
        if (!range || range.start !== 0) throw new ApiError(ctx.service, 206, 'BAD_RANGE', `unexpected Content-Range ${headerString(res.headers['content-range'])}`);
        const partSize = choosePartSize(range.total, options.chunkSize);
        state = { size: range.total, etag, partSize, done: [] };
        if (partSize === options.chunkSize) keep = planParts(range.total, partSize).parts[0];
      } else {
        throw storeError(ctx.service, res.statusCode ?? 0, await readText(res), 'the first ranged GET', { url, retryAfter: res.headers['retry-after'] });
      }
      if (!ctx.fh) {
        // Checked against the free space, created exclusively, never through a link: only now, once the size is known.
        const created = await createPartFile(ctx.path, state.size, ctx.service);
        ctx.fh = created.handle;
        state.file = created.identity;
      } else {
        await ctx.fh.truncate(state.size);
      }
      await options.onState?.({ ...state, done: [...state.done] });
      startHashing(options, ctx, state);
      if (keep) {
        written = await writeBody(ctx, res, keep, guard);
        state.done.push(keep.index);
        await options.onState?.({ ...state, done: [...state.done] });
      } else {
        res.destroy();
      }
      return state;
    } catch (error) {
      if (written > 0) ctx.onBytes?.(-written);
      throw guard.translate(error, ctx.service, 'GET first part');
    } finally {
      guard.dispose();
    }
  });
}

async function fetchPart(ctx: FetchContext, url: string, part: PartRange, state: RangeState, signal: AbortSignal): Promise<void> {
  if (part.end === part.start) return;
  const guard = new StallGuard(signal, ctx.pace);
  try {
    const res = await get(ctx, url, `bytes=${part.start}-${part.end - 1}`, guard);
    if (res.statusCode !== 206) {
      const text = await readText(res);
      if (res.statusCode === 200) throw new ApiError(ctx.service, 200, 'NO_RANGE', 'the store answered a ranged GET with the whole object');
      throw storeError(ctx.service, res.statusCode ?? 0, text, `the ranged GET of part ${part.index}`, { url, retryAfter: res.headers['retry-after'] });
    }
    const range = parseContentRange(res.headers['content-range']);
    const etag = headerString(res.headers.etag);
    if (!range || range.total !== state.size || (state.etag && etag && etag !== state.etag)) {
      res.destroy();
      throw new RemoteChangedError(`the object changed on the server (size ${range?.total ?? '?'}, ETag ${etag || 'none'}; was ${state.size}, ${state.etag || 'none'})`);
    }
    if (range.start !== part.start || range.end !== part.end - 1) {
      res.destroy();
      throw new ApiError(ctx.service, 206, 'BAD_RANGE', `asked bytes ${part.start}-${part.end - 1}, got ${range.start}-${range.end}`);
    }
    // writeBody gives back the bytes of an attempt that fails half-way.
    await writeBody(ctx, res, part, guard);
  } catch (error) {
    if (error instanceof RemoteChangedError) throw error;
    throw guard.translate(error, ctx.service, `GET part ${part.index}`);
  } finally {
    guard.dispose();
  }
}

/** Streams the body to its offset; every byte must arrive, or the attempt fails (and its bytes are given back by the caller). */
async function writeBody(ctx: FetchContext, res: http.IncomingMessage, part: PartRange, guard: StallGuard): Promise<number> {
  const expected = part.end - part.start;
  let position = part.start;
  let written = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      guard.touch(chunk.length);
      const room = Math.min(chunk.length, part.end - position);
      if (room < chunk.length) throw new ApiError(ctx.service, res.statusCode, 'LONG_BODY', `part ${part.index}: the store sent more than ${expected} bytes`, true);
      const at = position;
      let offset = 0;
      while (offset < chunk.length) {
        const { bytesWritten } = await fileOf(ctx).write(chunk, offset, chunk.length - offset, position);
        offset += bytesWritten;
        position += bytesWritten;
      }
      // Hashed (or held) now that it is in the file: a chunk the hasher cannot keep is read back later.
      ctx.hasher?.push(at, chunk);
      written += chunk.length;
      ctx.onBytes?.(chunk.length);
    }
  } catch (error) {
    if (written > 0) ctx.onBytes?.(-written);
    throw error;
  }
  if (written !== expected) {
    if (written > 0) ctx.onBytes?.(-written);
    throw new ApiError(ctx.service, res.statusCode, 'SHORT_BODY', `part ${part.index}: the body ended after ${written} of ${expected} bytes`, true);
  }
  return written;
}

function get(ctx: FetchContext, url: string, range: string, guard: StallGuard): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const request = (secure ? https : http).request(
      target,
      {
        method: 'GET',
        agent: secure ? ctx.agents.https : ctx.agents.http,
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

function headerString(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

async function readText(res: http.IncomingMessage): Promise<string> {
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

function partLength(parts: readonly PartRange[], index: number): number {
  const part = parts[index - 1];
  return part ? part.end - part.start : 0;
}

export interface DownloadToFileOptions {
  url: string;
  path: string;
  concurrency: number;
  partSize: number;
  retries?: number;
  stallMs?: number;
  signal?: AbortSignal;
  agents?: Agents;
  onBytes?: (delta: number) => void;
}

/** The data path alone, for benchmarks: a fresh download of `url` into `path`; resolves with the object's size and ETag. */
export async function downloadToFile(options: DownloadToFileOptions): Promise<{ size: number; etag: string; partSize: number }> {
  const state = await downloadRanges({
    url: async () => options.url,
    path: options.path,
    concurrency: options.concurrency,
    chunkSize: options.partSize,
    retries: options.retries ?? 5,
    stallMs: options.stallMs ?? 60_000,
    signal: options.signal ?? new AbortController().signal,
    agents: options.agents,
    onBytes: options.onBytes,
  });
  return { size: state.size, etag: state.etag, partSize: state.partSize };
}
