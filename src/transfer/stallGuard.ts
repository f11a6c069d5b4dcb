// Aborts a data request that moves no byte for a while (a stall), or fewer bytes than a floor over a window (a trickle).
import { ApiError, isAbortError, type ServiceName } from '../api/errors';
import { TransferCancelledError } from './types';

/** How slow a data request may be before it is aborted and retried. */
export interface DataPace {
  /** Abort the attempt when no byte moves for this long. */
  stallMs: number;
  /** Abort the attempt when fewer bytes than this per second move over `floorWindowMs`; 0 or unset: no floor. */
  minBytesPerSecond?: number;
  /** The window the floor is measured over (60 s when unset). */
  floorWindowMs?: number;
}

export const DEFAULT_FLOOR_WINDOW_MS = 60_000;

/** An AbortController that follows `parent` and also fires on a stall or, with a floor, on a trickle. */
export class StallGuard {
  readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private floorTimer: NodeJS.Timeout | undefined;
  private movedInWindow = 0;
  stalled = false;
  slow = false;
  private readonly pace: DataPace;
  private readonly onParentAbort = (): void => this.controller.abort(new TransferCancelledError('cancelled'));

  constructor(private readonly parent: AbortSignal, pace: DataPace | number) {
    this.pace = typeof pace === 'number' ? { stallMs: pace } : pace;
    if (parent.aborted) this.controller.abort(new TransferCancelledError('cancelled'));
    parent.addEventListener('abort', this.onParentAbort, { once: true });
    this.touch();
    const floor = this.pace.minBytesPerSecond ?? 0;
    if (floor > 0) {
      const windowMs = this.pace.floorWindowMs ?? DEFAULT_FLOOR_WINDOW_MS;
      this.floorTimer = setInterval(() => {
        if (this.movedInWindow < (floor * windowMs) / 1000) {
          this.slow = true;
          this.controller.abort(new Error('too slow'));
        }
        this.movedInWindow = 0;
      }, windowMs);
    }
  }

  /** Bytes moved (or, with none, a sign of life such as response headers). */
  touch(bytes = 0): void {
    this.movedInWindow += bytes;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.controller.abort(new Error('stalled'));
    }, this.pace.stallMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.floorTimer) clearInterval(this.floorTimer);
    this.parent.removeEventListener('abort', this.onParentAbort);
  }

  /** Maps an error of the guarded attempt: a stall or a trickle becomes a retryable error, a cancel stays an abort. */
  translate(error: unknown, service: ServiceName, what: string): unknown {
    if (this.parent.aborted) return new TransferCancelledError('cancelled');
    if (this.stalled) return new ApiError(service, undefined, 'STALLED', `${what}: no bytes moved for ${Math.round(this.pace.stallMs / 1000)} s`, true);
    if (this.slow) {
      const window = Math.round((this.pace.floorWindowMs ?? DEFAULT_FLOOR_WINDOW_MS) / 1000);
      return new ApiError(service, undefined, 'TOO_SLOW', `${what}: slower than ${this.pace.minBytesPerSecond ?? 0} bytes/s over ${window} s`, true);
    }
    if (isAbortError(error)) return new TransferCancelledError('cancelled');
    if (error instanceof Error && !(error instanceof ApiError)) {
      const code = (error as { code?: string }).code ?? 'NETWORK';
      return new ApiError(service, undefined, code, `${what}: ${error.message}`, true);
    }
    return error;
  }
}
