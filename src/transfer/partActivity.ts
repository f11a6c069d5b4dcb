// What happens to each part of a transfer while it runs (planned, sending, retried, done, failed), and the bytes a
// retry sends again: reported by the protocols for the details view, never written to the journal.

/** One report about the parts of a transfer. `file` names the file of a folder upload; absent for one file. */
export type PartEvent =
  /** The parts of a file (their sizes, in order; part n is sizes[n-1]) and those already done before this run. */
  | { type: 'plan'; file?: string; sizes: readonly number[]; done: readonly number[] }
  /** A part's attempt started, the part is done, it failed for good, or it went back to waiting (a pause). */
  | { type: 'state'; file?: string; part: number; state: 'sending' | 'done' | 'failed' | 'pending' }
  /** An attempt failed and the part is tried again; `resent`: the bytes that attempt had moved, which move again. */
  | { type: 'retry'; file?: string; part: number; resent: number };

export type PartSink = (event: PartEvent) => void;

/**
 * The attempts of one part PUT or ranged GET. The data path gives back the bytes of an attempt that failed (a negative
 * `onBytes`); when a retry follows, those bytes are sent again, and that is what `retrying()` reports.
 */
export class PartAttempts {
  /** Bytes the failed attempts since the last retry gave back. */
  private givenBack = 0;

  constructor(
    private readonly sink: PartSink | undefined,
    private readonly part: number,
    private readonly file?: string,
  ) {
    this.emit({ type: 'state', part, state: 'sending' });
  }

  /** Pass every byte count of the data path through here (positive: moved; negative: an attempt's bytes given back). */
  bytes(delta: number): void {
    if (delta < 0) this.givenBack -= delta;
  }

  /** Bytes the protocol itself takes back (a part whose ETag did not match what was sent). */
  gaveBack(bytes: number): void {
    if (bytes > 0) this.givenBack += bytes;
  }

  /** The next attempt starts: what the failed one had moved is moved again. */
  retrying(): void {
    this.emit({ type: 'retry', part: this.part, resent: this.givenBack });
    this.givenBack = 0;
  }

  done(): void {
    this.emit({ type: 'state', part: this.part, state: 'done' });
  }

  /** The part ended without its bytes: failed for good, or — when the run was stopped — back to waiting. */
  stopped(aborted: boolean): void {
    this.emit({ type: 'state', part: this.part, state: aborted ? 'pending' : 'failed' });
  }

  private emit(event: PartEvent): void {
    if (!this.sink) return;
    this.sink(this.file === undefined ? event : { ...event, file: this.file });
  }
}

/** Runs `work` for one part with `attempts`, reporting done or stopped; rethrows what `work` throws. */
export async function trackPart<T>(attempts: PartAttempts, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  try {
    const result = await work();
    attempts.done();
    return result;
  } catch (error) {
    attempts.stopped(signal.aborted);
    throw error;
  }
}
