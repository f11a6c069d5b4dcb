// A resumable parallel download: the part pool, URL renewal and the saved range state (rangeFetch.ts does the GETs).
import type { FileHandle } from 'node:fs/promises';
import { ApiError, type ServiceName } from '../api/errors';
import type { OrderedHashResult } from './orderedHasher';
import { reopenPartFile } from './partFile';
import type { DataPace } from './stallGuard';
import { planParts } from './parts';
import { runPool } from './pool';
import { PartAttempts, trackPart, type PartSink } from './partActivity';
import { fetchPart, probe, startHashing, type FetchContext, type HashingChoice, type Retried } from './rangeFetch';
import { keepAliveAgents, type KeepAliveAgents } from '../api/http';
import type { RangeState } from './rangeState';
import { withRetry } from './retry';
import { isExpiredUrl } from './storeErrors';

/** An expired URL is renewed at most this many times per run; then the store's refusal is final. */

/** For callers that bring no pools of their own (the CLI's one-off download, tests); made on first use. */
let defaultAgents: KeepAliveAgents | undefined;
export const MAX_URL_REFRESHES = 3;

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
  agents?: KeepAliveAgents;
  service?: ServiceName;
  /** Hash the file as its ranges land: which multipart ETags to compute beside the MD5 (see HashingChoice). */
  hashing?: HashingChoice;
}

/** A finished download: its range state, and its hashes when `hashing` asked for them. */
export interface RangedDownloadResult extends RangeState {
  hashes?: OrderedHashResult;
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
  const agents = options.agents ?? (defaultAgents ??= keepAliveAgents(64));
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
    // The last range has landed: what is left is the hashing of the stretch the worker has not reached yet.
    const hashes = await ctx.hasher?.finish();
    return { ...fixed, hashes };
  } finally {
    // The worker reads the file by its descriptor: it stops before the descriptor is closed (and reused).
    await ctx.hasher?.dispose();
    await ctx.fh?.close();
  }
}

export interface DownloadToFileOptions {
  url: string;
  path: string;
  concurrency: number;
  partSize: number;
  retries?: number;
  stallMs?: number;
  signal?: AbortSignal;
  agents?: KeepAliveAgents;
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
