// A scripted transfer protocol whose steps advance only as far as the test allows: no timing in engine tests.
import * as v from 'valibot';
import { defineKind, type Protocol, type ProtocolRun } from '../../../src/transfer/types';

/** The stepped protocol's kind: no params; the checkpoint is the last step done (and whether the planned failure happened). */
export const COUNTING = defineKind('counting', 'upload', v.object({}), v.object({ step: v.optional(v.number()), failedOnce: v.optional(v.boolean()) }));
export type CountingParams = v.InferOutput<typeof COUNTING.params>;
export type CountingCheckpoint = v.InferOutput<typeof COUNTING.checkpoint>;

/**
 * Counts to `steps`, checkpointing `{ step }` after each. Steps from `holdFrom` on wait until `release()` (or the
 * run's abort signal), so a test knows exactly where a transfer stands when it pauses, cancels or disposes it.
 */
export class SteppedProtocol implements Protocol<CountingParams, CountingCheckpoint> {
  readonly kind = COUNTING;
  running = 0;
  maxRunning = 0;
  readonly hooks: string[] = [];
  private holdFrom = Number.POSITIVE_INFINITY;
  private readonly waiting = new Set<() => void>();

  constructor(private readonly steps = 10, private readonly failAt?: number) {}

  /** Steps numbered `step` and later wait for release(); the ones before run at once. */
  holdAt(step: number): this {
    this.holdFrom = step;
    return this;
  }

  /** Lets every held and future step run. */
  release(): void {
    this.holdFrom = Number.POSITIVE_INFINITY;
    for (const wake of [...this.waiting]) wake();
  }

  async run(run: ProtocolRun<CountingParams, CountingCheckpoint>): Promise<void> {
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      let step = typeof run.record.checkpoint.step === 'number' ? run.record.checkpoint.step : 0;
      while (step < this.steps) {
        await this.turn(step + 1, run.signal);
        if (this.failAt !== undefined && step === this.failAt && run.record.checkpoint.failedOnce !== true) {
          await run.checkpoint({ failedOnce: true });
          throw new Error(`step ${step} broke`);
        }
        step++;
        run.progress({ bytesDone: step, bytesTotal: this.steps });
        await run.checkpoint({ step });
      }
    } finally {
      this.running--;
    }
  }

  async onPaused(): Promise<void> {
    this.hooks.push('paused');
  }

  async onCancelled(): Promise<void> {
    this.hooks.push('cancelled');
  }

  async onFailed(): Promise<void> {
    this.hooks.push('failed');
  }

  /** Resolves when step `step` may run; rejects as soon as the run is aborted. */
  private turn(step: number, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (step < this.holdFrom) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        this.waiting.delete(wake);
        signal.removeEventListener('abort', onAbort);
      };
      const wake = (): void => {
        done();
        resolve();
      };
      const onAbort = (): void => {
        done();
        reject(signal.reason);
      };
      this.waiting.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
