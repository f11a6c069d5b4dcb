// The version of the emulator's state and the long-poll on it: GET /_emulator/state?since=N waits until something changed.
// Tests wait on the emulator's state; a version that moves on every change lets them wait for the change itself
// instead of asking again every few hundred milliseconds.

/** Longest a long-poll is held before it is answered with the unchanged state (the caller asks again). */
export const MAX_STATE_WAIT_MS = 30_000;

export class StateChanges {
  private current = 0;
  private readonly waiters = new Set<() => void>();

  /** The version of the state now; it only grows. */
  get version(): number {
    return this.current;
  }

  /** Something a GET /_emulator/state shows may have changed: wakes every long-poll. */
  bump(): void {
    this.current++;
    const woken = [...this.waiters];
    this.waiters.clear();
    for (const wake of woken) wake();
  }

  /**
   * Resolves when the version is no longer `since`, at `dueAt` (a moment when time alone changes the state, such as a
   * run's end; undefined for none), after `waitMs`, or on close(): whichever comes first.
   */
  async waitForChange(since: number, waitMs: number, dueAt?: number): Promise<void> {
    if (this.current !== since || waitMs <= 0) return;
    const untilDue = dueAt === undefined ? waitMs : Math.max(0, dueAt - Date.now());
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(waitMs, untilDue));
      this.waiters.add(done);
      // The timer keeps nothing alive on its own; close() wakes whatever is left.
      timer.unref();
    });
  }

  /** Answers every long-poll now (the server is closing). */
  close(): void {
    this.bump();
  }
}
