// A backend's metadata file: loaded once, written atomically (temp + rename) a moment after changes, coalesced.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { tempPathFor } from './files';

/**
 * How long a change waits before it is written. Every change within it is one write: a burst of small-file
 * uploads (three calls each) must not pay a full state write per call, which grows with the state.
 */
export const SAVE_DELAY_MS = 50;
/** The delay also grows with what a write costs (a big state), so that writing takes at most ~5 % of the time … */
const COST_FACTOR = 20;
/** … but never more than this: what a killed process can lose. */
const MAX_DELAY_MS = 2000;

export class JsonStateFile<T> {
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private failure: Error | undefined;
  private lastWriteMs = 0;

  constructor(
    readonly path: string,
    private readonly snapshot: () => T,
    private readonly delayMs = SAVE_DELAY_MS,
  ) {}

  /** The saved value, or undefined when there is none (or it cannot be read: the emulator then starts empty). */
  load(): unknown {
    if (!existsSync(this.path)) return undefined;
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  /**
   * Notes that the state changed; it is written after the delay (longer for a state that is slow to write), together with every other change made
   * meanwhile. Resolves at once, so that no request waits for the disk: what must be on disk (a restart,
   * a reset) calls flush(), which close() does. A process killed without close() loses the last delay's changes.
   */
  save(): Promise<void> {
    this.dirty = true;
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.writePending();
      }, Math.min(MAX_DELAY_MS, Math.max(this.delayMs, COST_FACTOR * this.lastWriteMs)));
      // A pending write does not keep a process alive on its own; close() flushes it.
      this.timer.unref();
    }
    return Promise.resolve();
  }

  /** Writes what is pending now and waits for it (before a reset, a restart or close); rethrows a failed write. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.writePending();
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
  }

  private writePending(): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      const started = performance.now();
      try {
        await this.writeNow();
        this.lastWriteMs = performance.now() - started;
      } catch (err) {
        // Kept for flush() to report; the next change tries again.
        this.failure = err instanceof Error ? err : new Error(String(err));
        this.dirty = true;
      }
    });
    return this.writing;
  }

  private async writeNow(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temp = tempPathFor(this.path);
    try {
      await writeFile(temp, JSON.stringify(this.snapshot(), null, 1));
      await rename(temp, this.path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
}
