// Retries with exponential backoff and full jitter for transient failures (network, 5xx, 408, 429), honouring Retry-After.
import { setTimeout as delay } from 'node:timers/promises';
import { ApiError, isAbortError } from '../api/errors';
import { TransferCancelledError } from './types';

export interface RetryOptions {
  retries: number;
  signal?: AbortSignal;
  /**
   * Aborted: no further attempt (the one in flight finishes). For best-effort reports after a run, so that a process
   * shutting down does not wait out a backoff against a server that is gone.
   */
  giveUp?: AbortSignal;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each new attempt with the error that caused it. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  isRetryable?: (error: unknown) => boolean;
  random?: () => number;
}

const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE', 'STALLED', 'NETWORK', 'ERR_NETWORK', 'ETIMEDOUT_STALL']);

export function isTransient(error: unknown): boolean {
  if (isAbortError(error)) return false;
  if (error instanceof ApiError) {
    if (error.retryable) return true;
    const s = error.httpStatus;
    if (s !== undefined) return s >= 500 || s === 408 || s === 429;
    return typeof error.code === 'string' && TRANSIENT_CODES.has(error.code);
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  return error instanceof Error && /socket hang up|network|timeout|reset/i.test(error.message);
}

/** A Retry-After longer than this is not waited for in one go (the attempt after it may ask again). */
export const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;

/** The wait an error asks for (a store's Retry-After), if any. */
export function requestedDelay(error: unknown): number | undefined {
  const ms = (error as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : undefined;
}

export function backoffDelay(attempt: number, base: number, max: number, random: () => number = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Waits `ms`; a cancel while waiting rejects with TransferCancelledError (the error every transfer step expects). */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw new TransferCancelledError('cancelled');
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (signal?.aborted) throw new TransferCancelledError('cancelled');
    throw error;
  }
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const isRetryable = options.isRetryable ?? isTransient;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw new TransferCancelledError('cancelled');
    try {
      return await fn(attempt);
    } catch (error) {
      if (options.signal?.aborted || isAbortError(error)) throw error;
      if (attempt > options.retries || !isRetryable(error) || options.giveUp?.aborted) throw error;
      const backoff = backoffDelay(attempt, options.baseDelayMs ?? 250, options.maxDelayMs ?? 8_000, options.random);
      // The server's own Retry-After wins over a shorter backoff.
      const delay = Math.max(backoff, requestedDelay(error) ?? 0);
      options.onRetry?.(error, attempt, delay);
      if (options.giveUp) {
        const stop = options.signal ? AbortSignal.any([options.signal, options.giveUp]) : options.giveUp;
        // Given up while waiting: the last error is the answer (a cancel stays a cancel).
        await sleep(delay, stop).catch((e: unknown) => Promise.reject(options.signal?.aborted ? e : error));
      } else {
        await sleep(delay, options.signal);
      }
    }
  }
}
