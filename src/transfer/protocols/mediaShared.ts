// What the three media protocols share: their dependencies, throttled status reports, unique download names.
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import * as v from 'valibot';
import type { IpfsClient } from '../../api/ipfs/client';
import type { MediaClient } from '../../api/media/client';
import type { Logger } from '../../api/logger';
import type { PrivateBlockStore } from '../blocks/keyStore';
import { withRetry } from '../retry';
import type { ProtocolRun } from '../types';

export interface MediaProtocolDeps {
  client: MediaClient;
  ipfs: IpfsClient;
  /** Where the public block is staged (before it is added, or while it is fetched); a private folder of the extension. */
  stagingDir: () => string;
  /** Where the private blocks an upload makes are kept: never in the working tree (keys in a secret store). */
  privateBlocks: PrivateBlockStore;
  /** Retries of a control call on a transient failure. */
  retries: () => number;
  /** How often a download asks whether its private block is there yet. */
  pollMs: () => number;
}

/** The checkpoint fields every media transfer keeps for the Media view. */
export const mediaViewEntries = {
  /** The backend's status code (0–9) last reported. */
  mediaStatus: v.optional(v.number()),
  taskId: v.optional(v.number()),
  sourceId: v.optional(v.number()),
  hash: v.optional(v.string()),
};
const mediaViewSchema = v.object(mediaViewEntries);
export type MediaViewState = v.InferOutput<typeof mediaViewSchema>;

/** What a media transfer's checkpoint says for the Media view; nothing for another transfer. */
export function mediaViewState(record: { checkpoint: unknown }): MediaViewState {
  return v.is(mediaViewSchema, record.checkpoint) ? record.checkpoint : {};
}

/** `fn` under the retry policy; `giveUp` (a best-effort report's) stops further attempts when the process shuts down. */
export function retrying<T>(deps: MediaProtocolDeps, signal: AbortSignal | undefined, fn: () => Promise<T>, giveUp?: AbortSignal): Promise<T> {
  return withRetry(fn, { retries: deps.retries(), signal, giveUp });
}

/** The fields api 002 marks required on an upload or private-block status PATCH (name, file, hash, size, ip), as far as they are known. */
export interface KnownBlockFields {
  name: string;
  file: string;
  size?: number;
  hash?: string;
  ip?: string;
}

/**
 * Sends percent updates at most once a second without holding up the transfer, in order, and
 * never after a final report: `now` waits for what is in flight, then sends its own.
 */
export class StatusReporter {
  private chain: Promise<void> = Promise.resolve();
  private lastSent = 0;
  private lastKey = '';

  /** `retry` wraps the reports that must arrive (a status change fails the transfer only once it has been retried). */
  constructor(
    private readonly send: (status: number, percent: number | undefined) => Promise<unknown>,
    private readonly logger: Logger,
    private readonly retry: <T>(fn: () => Promise<T>) => Promise<T>,
    private readonly intervalMs = 1000,
  ) {}

  /** A progress report: best effort, dropped when the last one went out less than `intervalMs` ago. */
  update(status: number, percent: number): void {
    const p = Math.max(0, Math.min(100, Math.floor(percent)));
    const key = `${status}:${p}`;
    if (key === this.lastKey || Date.now() - this.lastSent < this.intervalMs) return;
    this.lastKey = key;
    this.lastSent = Date.now();
    this.chain = this.chain.then(() => this.send(status, p).then(
      () => undefined,
      (e: unknown) => this.logger.warn(`media status report failed: ${String(e)}`),
    ));
  }

  /** A report that must arrive (status changes, the end), after those in flight; retried, then failures propagate. */
  async now<T = unknown>(status: number, percent?: number, send?: () => Promise<T>): Promise<T> {
    await this.chain;
    this.lastKey = `${status}:${percent ?? ''}`;
    this.lastSent = Date.now();
    return this.retry(() => (send ? send() : (this.send(status, percent) as Promise<T>)));
  }
}

/** A StatusReporter whose reports must-arrive are retried with the protocol's control-call policy. */
export function statusReporter<P, C extends object>(deps: MediaProtocolDeps, run: ProtocolRun<P, C>, send: (status: number, percent: number | undefined) => Promise<unknown>): StatusReporter {
  return new StatusReporter(send, run.logger, (fn) => retrying(deps, run.signal, fn));
}

/** `dir/name`, or `dir/name (1).ext`… when a file of that name is already there: a download never overwrites. */
export function uniquePath(dir: string, name: string): string {
  let candidate = join(dir, name);
  const ext = extname(name);
  const stem = ext ? name.slice(0, -ext.length) : name;
  for (let i = 1; existsSync(candidate); i++) candidate = join(dir, `${stem} (${i})${ext}`);
  return candidate;
}

export function percentOf(done: number, total: number): number {
  return total <= 0 ? 100 : (done / total) * 100;
}
