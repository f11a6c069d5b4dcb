// Folds a protocol's progress reports into what a transfer shows: a percent that never goes back, a speed and time
// left from the bytes the store confirmed (smoothed), and "stalled" when nothing has moved for a while.
import { RateEstimator } from './throughput';
import type { TransferProgress } from './types';

/** Nothing sent nor confirmed for this long in a data phase: the transfer is shown as stalled. */
export const STALLED_AFTER_MS = 10_000;

/** Phases with a counter of their own (the bytes hashed, verified, …): it never stands in for the transfer's bytes. */
const SIDE_PHASES: ReadonlySet<string> = new Set(['hashing', 'verifying', 'encrypting', 'composing']);

/** Phases in which bytes move to or from the store, where speed, time left and stalls mean something. */
function isDataPhase(phase: string | undefined): boolean {
  return phase === undefined || phase === 'uploading' || phase === 'downloading';
}

export function isSidePhase(phase: string | undefined): boolean {
  return phase !== undefined && SIDE_PHASES.has(phase);
}

/** The progress of a transfer that is not running: what it had done, without a speed, time left or waiting. */
export function idleProgress(p: TransferProgress): TransferProgress {
  return { ...p, bytesPerSecond: 0, etaSeconds: undefined, stalled: undefined, nextAttemptAt: undefined, files: undefined };
}

/** One per run of a transfer. */
export class ProgressTracker {
  private readonly rate = new RateEstimator();
  private lastMovedAt: number;
  /** When bytes last moved (not counting the start of a phase). */
  private movedAt = 0;
  private reported: number | undefined;
  private confirmed: number | undefined;
  /** Set once the protocol reports confirmed bytes itself; before that, every byte reported counts as confirmed. */
  private confirmsItself = false;
  private inData = false;

  constructor(now: number) {
    this.lastMovedAt = now;
  }

  /** The transfer's progress after the protocol's `update` at `now`. */
  apply(current: TransferProgress, update: Partial<TransferProgress>, now: number): TransferProgress {
    // What the files in flight do is no movement of the transfer's bytes: it neither starts the speed meter nor a phase.
    if (Object.keys(update).every((key) => key === 'files')) return { ...current, files: update.files };
    const files = 'files' in update ? update.files : current.files;
    const phase = 'phase' in update ? update.phase : current.phase;
    if (isSidePhase(phase)) {
      this.inData = false;
      const samePhase = phase === current.phase;
      return {
        ...current,
        phase,
        files,
        phaseDone: update.bytesDone ?? (samePhase ? current.phaseDone : 0),
        phaseTotal: update.bytesTotal ?? (samePhase ? current.phaseTotal : undefined),
        bytesPerSecond: 0,
        etaSeconds: undefined,
        stalled: undefined,
        nextAttemptAt: undefined,
      };
    }
    const bytesTotal = update.bytesTotal ?? current.bytesTotal;
    const reported = update.bytesDone ?? this.reported ?? current.bytesDone;
    if (update.bytesConfirmed !== undefined) this.confirmsItself = true;
    const confirmed = this.confirmsItself ? (update.bytesConfirmed ?? this.confirmed ?? 0) : reported;
    // Bytes sent but not yet confirmed are lost on a pause or a failed part: the shown count holds until passed again.
    const bytesDone = bytesTotal === current.bytesTotal ? Math.max(current.bytesDone, reported) : reported;
    const moved = (this.reported !== undefined && reported !== this.reported) || (this.confirmed !== undefined && confirmed !== this.confirmed);
    if (moved) this.movedAt = now;
    this.reported = reported;
    this.confirmed = confirmed;
    const base: TransferProgress = { ...current, files, phase, bytesDone, bytesTotal, phaseDone: undefined, phaseTotal: undefined, nextAttemptAt: undefined };
    if (this.confirmsItself) base.bytesConfirmed = confirmed;
    if (!isDataPhase(phase)) {
      this.inData = false;
      return { ...base, bytesPerSecond: 0, etaSeconds: undefined, stalled: undefined };
    }
    if (!this.inData) {
      // Entering a data phase (first, or after hashing the next file): time counts from here, not from before.
      this.inData = true;
      this.lastMovedAt = now;
      this.rate.restartAt(confirmed, now);
    } else {
      if (moved) this.lastMovedAt = now;
      this.rate.observe(confirmed, now);
    }
    return this.withRate(base, now);
  }

  /** When bytes last moved in this run (0: not yet). */
  lastBytesAt(): number {
    return this.movedAt;
  }

  /** The run left its data phase without a report (it waits for the network): the next report starts timing anew. */
  leaveData(): void {
    this.inData = false;
  }

  /** The progress at `now` when nothing was reported: changed (to stalled) or undefined when nothing changes. */
  tick(current: TransferProgress, now: number): TransferProgress | undefined {
    if (!this.inData || current.stalled === true || !isDataPhase(current.phase)) return undefined;
    return now - this.lastMovedAt >= STALLED_AFTER_MS ? this.withRate(current, now) : undefined;
  }

  private withRate(p: TransferProgress, now: number): TransferProgress {
    if (now - this.lastMovedAt >= STALLED_AFTER_MS) return { ...p, stalled: true, bytesPerSecond: 0, etaSeconds: undefined };
    const rate = this.rate.bytesPerSecond();
    const confirmed = this.confirmed ?? p.bytesDone;
    return { ...p, stalled: undefined, bytesPerSecond: rate ?? 0, etaSeconds: this.rate.etaSeconds(p.bytesTotal - confirmed) };
  }
}
