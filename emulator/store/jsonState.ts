// A backend's metadata file: loaded once, saved atomically (temp + rename), concurrent saves coalesced.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { tempPathFor } from './files';

export class JsonStateFile<T> {
  private chain: Promise<void> = Promise.resolve();
  private waiting: Promise<void> | undefined;

  constructor(
    readonly path: string,
    private readonly snapshot: () => T,
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
   * Saves the current state. A save that has not started yet already covers later changes, so a burst
   * of changes (parallel part PUTs) costs one or two writes, and every caller's change is on disk when
   * its promise resolves.
   */
  save(): Promise<void> {
    if (this.waiting) return this.waiting;
    const next = this.chain.then(() => {
      this.waiting = undefined;
      return this.writeNow();
    });
    this.waiting = next;
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Waits for the writes in flight (before a reset or close). */
  async flush(): Promise<void> {
    await this.chain;
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
