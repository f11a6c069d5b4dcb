// Ranges into the part file: the first GET that learns size and ETag, each part's GET, and hashing as the bytes land.
import type * as http from 'node:http';
import type { FileHandle } from 'node:fs/promises';
import { ApiError, type ServiceName } from '../api/errors';
import { OrderedHasher } from './orderedHasher';
import { createPartFile } from './partFile';
import type { PartAttempts } from './partActivity';
import { choosePartSize, planParts, type PartRange } from './parts';
import type { KeepAliveAgents } from '../api/http';
import { headerString, parseContentRange, rangedGet, readText } from './rangeHttp';
import type { RangeState } from './rangeState';
import { StallGuard, type DataPace } from './stallGuard';
import { storeError } from './storeErrors';

/** The object changed on the server since the recorded ranges were fetched: they cannot be combined. */
export class RemoteChangedError extends Error {
  override readonly name = 'RemoteChangedError';
}

/**
 * Hash the file as its ranges land (OrderedHasher): called once size and ETag are known, it says which part
 * sizes' multipart ETags to compute beside the MD5, or undefined to hash nothing (an ETag that checks nothing).
 */
export type HashingChoice = (size: number, etag: string) => { compositePartSizes: number[] } | undefined;

/** What hashing needs from the download's options. */
export interface HashingSettings {
  hashing?: HashingChoice;
}

/** What the first GET needs from the download's options. */
export interface ProbeSettings extends HashingSettings {
  chunkSize: number;
  signal: AbortSignal;
  onState?: (state: RangeState) => Promise<void>;
}

export interface FetchContext {
  agents: KeepAliveAgents;
  service: ServiceName;
  pace: DataPace;
  /** Open once the part file exists (a fresh download creates it after the first answer says how large it is). */
  fh: FileHandle | undefined;
  path: string;
  onBytes?: (delta: number) => void;
  /** Fed every chunk as it is written, once the size is known (when the caller asked for hashing). */
  hasher?: OrderedHasher;
}

/** Runs `attempt` with the current URL, retrying transient failures and renewing an expired URL. */
export type Retried = <T>(what: string, signal: AbortSignal, attempt: (url: string) => Promise<T>, attempts?: PartAttempts) => Promise<T>;

/** Sets up the hasher for a known size and ETag; the parts a previous run wrote are read back from the file. */
export function startHashing(settings: HashingSettings, ctx: FetchContext, state: RangeState): void {
  const wanted = settings.hashing?.(state.size, state.etag);
  if (!wanted) return;
  const fh = fileOf(ctx);
  ctx.hasher = new OrderedHasher({ fd: fh.fd, size: state.size, compositePartSizes: wanted.compositePartSizes });
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

/** The first GET (range of the first part) learns size and ETag; its body is kept when it is the first part. */
export async function probe(settings: ProbeSettings, ctx: FetchContext, retried: Retried): Promise<RangeState> {
  return retried('first part', settings.signal, async (url) => {
    const guard = new StallGuard(settings.signal, ctx.pace);
    let written = 0;
    try {
      const res = await rangedGet(ctx.agents, url, `bytes=0-${settings.chunkSize - 1}`, guard);
      let state: RangeState;
      let keep: PartRange | undefined;
      const etag = headerString(res.headers.etag);
      if (res.statusCode === 416) {
        const total = /\/(\d+)$/.exec(headerString(res.headers['content-range']))?.[1];
        res.resume();
        if (total !== '0') throw new ApiError(ctx.service, 416, 'BAD_RANGE', `the store refused the range bytes=0-${settings.chunkSize - 1} of a non-empty object`);
        state = { size: 0, etag, partSize: settings.chunkSize, done: [1] };
      } else if (res.statusCode === 200) {
        // The store ignores Range: one part, the whole object, in this response.
        const size = Number(res.headers['content-length']);
        if (!Number.isSafeInteger(size)) throw new ApiError(ctx.service, 200, 'NO_LENGTH', 'the store sent neither Content-Range nor Content-Length');
        state = { size, etag, partSize: Math.max(1, size), done: [] };
        keep = { index: 1, start: 0, end: size };
      } else if (res.statusCode === 206) {
        const range = parseContentRange(res.headers['content-range']);
        if (!range || range.start !== 0) throw new ApiError(ctx.service, 206, 'BAD_RANGE', `unexpected Content-Range ${headerString(res.headers['content-range'])}`);
        const partSize = choosePartSize(range.total, settings.chunkSize);
        state = { size: range.total, etag, partSize, done: [] };
        if (partSize === settings.chunkSize) keep = planParts(range.total, partSize).parts[0];
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
      await settings.onState?.({ ...state, done: [...state.done] });
      startHashing(settings, ctx, state);
      if (keep) {
        written = await writeBody(ctx, res, keep, guard);
        state.done.push(keep.index);
        await settings.onState?.({ ...state, done: [...state.done] });
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

/** One part's ranged GET, written at its offset; a different size or ETag than recorded is a RemoteChangedError. */
export async function fetchPart(ctx: FetchContext, url: string, part: PartRange, state: RangeState, signal: AbortSignal): Promise<void> {
  if (part.end === part.start) return;
  const guard = new StallGuard(signal, ctx.pace);
  try {
    const res = await rangedGet(ctx.agents, url, `bytes=${part.start}-${part.end - 1}`, guard);
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
      // In the file now: the hasher's worker may read it back once every byte before it is written too.
      ctx.hasher?.push(at, chunk.length);
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
