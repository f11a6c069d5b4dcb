// Asks the media backend for the state of each logged download task (api 002 answers per task only): a few at a time,
// one pass at a time, on refresh and, while some task is in progress, on a timer. Upload tasks have no query in 002:
// their rows show the backend's last answer to this client's own calls.
import type { MediaClient } from '../api/media/client';
import type { MediaTaskEntry, MediaTaskLog } from './mediaTaskLog';
import { isFinalMediaStatus } from './mediaTaskLog';

/** Queries in flight at once. */
const CONCURRENCY = 4;

const keyOf = (e: Pick<MediaTaskEntry, 'kind' | 'taskId'>): string => `${e.kind}:${e.taskId}`;
const inProgress = (e: MediaTaskEntry): boolean => e.status !== undefined && e.status > 0 && !isFinalMediaStatus(e.status);

export class MediaTaskQueries {
  private readonly errors = new Map<string, unknown>();
  private pass: Promise<void> | undefined;
  private again: 'all' | 'active' | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    /** The recording client: each answer updates the log. */
    private readonly client: MediaClient,
    private readonly log: MediaTaskLog,
    /** Called after a pass (errors may have come or gone). */
    private readonly onPass: () => void,
    private readonly pollMs: () => number,
    /** Whether anyone sees the view: the timer asks only then (showing the view again asks at once). */
    private readonly visible: () => boolean,
  ) {}

  /** The backend's refusal or failure of the last query about this task, if it failed. */
  error(entry: Pick<MediaTaskEntry, 'kind' | 'taskId'>): unknown {
    return this.errors.get(keyOf(entry));
  }

  /**
   * One pass over the download tasks (`all`: every one, else the ones in progress); a call during a pass
   * asks for one more pass after it, never a second at once. Resolves when the pass it asked for is done.
   */
  refresh(scope: 'all' | 'active' = 'all'): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.pass) {
      this.again = this.again === 'all' || scope === 'all' ? 'all' : 'active';
      return this.pass.then(() => this.pass ?? undefined);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const errorsBefore = this.errorKey();
    const pass = this.run(scope).finally(() => {
      this.pass = undefined;
      const next = this.again;
      this.again = undefined;
      // New answers repaint through the log; a pass repaints only when a row's error came or went.
      if (this.errorKey() !== errorsBefore) this.onPass();
      if (next) void this.refresh(next);
      else this.schedule();
    });
    this.pass = pass;
    return pass;
  }

  private errorKey(): string {
    return [...this.errors.entries()].map(([key, err]) => `${key}:${String(err)}`).sort().join('|');
  }

  private async run(scope: 'all' | 'active'): Promise<void> {
    // A finished task can move again (Retry, another client): a refresh asks about every one, the timer about those in progress.
    const due = this.log.list('download').filter((e) => scope === 'all' || inProgress(e));
    for (const key of [...this.errors.keys()]) if (!this.log.list().some((e) => keyOf(e) === key)) this.errors.delete(key);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < due.length && !this.disposed) {
        const entry = due[next++];
        try {
          await this.client.getDownloadTask(entry.taskId);
          this.errors.delete(keyOf(entry));
        } catch (err) {
          this.errors.set(keyOf(entry), err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, due.length) }, worker));
  }

  /** While a download task is in progress on the backend and the view is seen, ask again after pollMs. */
  private schedule(): void {
    if (this.disposed || this.timer || !this.visible() || !this.log.list('download').some(inProgress)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh('active');
    }, this.pollMs());
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
