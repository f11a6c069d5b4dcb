// Riding out a network drop: a run that failed because the endpoint could not be reached waits, probes the endpoint
// now and then, and runs again when it answers — for a window of time, after which the failure stands.
import * as http from 'node:http';
import * as https from 'node:https';
import { ApiError, isAbortError } from '../api/errors';
import { sleep } from './retry';

/** Failures where no answer came back at all: the network or the endpoint is away, not refusing. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'UND_ERR_SOCKET',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'ERR_NETWORK',
  'NETWORK',
  'TIMEOUT',
  'STALLED',
]);

/** True when `error` says the endpoint could not be reached (no HTTP answer); a refusal with a status never is. */
export function isUnreachable(error: unknown, depth = 0): boolean {
  if (!error || depth > 4 || isAbortError(error)) return false;
  if (error instanceof ApiError && error.httpStatus !== undefined) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  if (error instanceof Error && /socket hang up/i.test(error.message)) return true;
  return isUnreachable((error as { cause?: unknown }).cause, depth + 1);
}

export interface NetworkWaitPolicy {
  /** How long a transfer may wait for the network, from the first failure of an outage; 0: it fails at once. */
  windowMs: number;
  /** The first pause before a probe; it doubles up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export const FIRST_PROBE_DELAY_MS = 1_000;
export const MAX_PROBE_DELAY_MS = 30_000;

export interface OutageHooks {
  /** The run is waiting; the next probe is at `nextAttemptAt` (epoch ms). */
  waiting(nextAttemptAt: number, error: unknown): void;
  /** The endpoint answered: the run starts again. */
  resumed?(): void;
  /** Resolves when the endpoint answers, rejects when it does not; none: the next run is the probe. */
  probe?(signal: AbortSignal): Promise<void>;
  /** When the run last moved a byte: an outage after progress is a new outage, with a new window. */
  lastProgressAt(): number;
}

/** The failure that stands when the network did not come back within the window. */
export class NetworkWaitExpiredError extends Error {
  constructor(readonly lastError: unknown, windowMs: number) {
    const minutes = Math.round((windowMs / 60_000) * 10) / 10;
    super(`${describeError(lastError)} — the endpoint did not answer for ${minutes} min`);
    this.name = 'NetworkWaitExpiredError';
  }
}

function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.describe();
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `attempt` until it succeeds. A failure that is `isUnreachable` within the window waits (probing with a
 * doubling pause) and runs again once the endpoint answers; any other failure, an abort, or the window running out
 * ends it. `signal` (pause, cancel, shutdown) ends a wait at once.
 */
export async function rideOutOutages<T>(attempt: () => Promise<T>, policy: () => NetworkWaitPolicy, hooks: OutageHooks, signal: AbortSignal, now: () => number = Date.now): Promise<T> {
  let outageStart: number | undefined;
  let attemptStart = now();
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (signal.aborted || !isUnreachable(error)) throw error;
      const { windowMs, firstDelayMs = FIRST_PROBE_DELAY_MS, maxDelayMs = MAX_PROBE_DELAY_MS } = policy();
      if (windowMs <= 0) throw error;
      if (outageStart === undefined || hooks.lastProgressAt() > attemptStart) outageStart = now();
      let delay = firstDelayMs;
      for (;;) {
        const next = now() + delay;
        if (next - outageStart > windowMs) throw new NetworkWaitExpiredError(error, windowMs);
        hooks.waiting(next, error);
        await sleep(delay, signal);
        if (!hooks.probe) break;
        const answered = await hooks.probe(signal).then(
          () => true,
          () => false,
        );
        if (signal.aborted) throw error;
        if (answered) break;
        delay = Math.min(delay * 2, maxDelayMs);
      }
      attemptStart = now();
      hooks.resumed?.();
    }
  }
}

/** How long a probe may take before it counts as no answer. */
const PROBE_TIMEOUT_MS = 5_000;

/** Resolves when `url` gives any HTTP answer (a 404 is an answer: the network is there); rejects otherwise. */
export function probeUrl(url: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch (e) {
      return reject(e instanceof Error ? e : new Error(String(e)));
    }
    const get = target.protocol === 'https:' ? https.get : http.get;
    const request = get(target, { signal: AbortSignal.any([signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)]), agent: false }, (response) => {
      response.resume();
      resolve();
    });
    request.on('error', reject);
  });
}
