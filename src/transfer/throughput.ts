// Bytes per second as an exponential moving average over confirmed bytes, weighted by time (samples come in bursts).

/** How long it takes an old rate to count for half: short enough to follow a change of link, long enough to be calm. */
export const RATE_HALF_LIFE_MS = 5_000;

/**
 * A rate estimated from a running total that grows in steps (a part the store confirmed, a range written). Each step
 * is weighted by the time it took, so four parts confirmed within a millisecond count as what they are — the end of
 * seconds of sending — and not as gigabytes per second.
 */
export class RateEstimator {
  private rate: number | undefined;
  private lastAt: number | undefined;
  private lastBytes = 0;

  constructor(private readonly halfLifeMs = RATE_HALF_LIFE_MS) {}

  /** Starts counting time from `now` at `bytes` (the start of a data phase); the rate known so far is kept. */
  restartAt(bytes: number, now: number): void {
    this.lastAt = now;
    this.lastBytes = bytes;
  }

  /** Records the running total of confirmed bytes at `now`. Only growth is a sample; a drop just lowers the base. */
  observe(bytes: number, now: number): void {
    if (this.lastAt === undefined) return this.restartAt(bytes, now);
    const delta = bytes - this.lastBytes;
    if (delta < 0) this.lastBytes = bytes;
    if (delta <= 0) return;
    const dt = Math.max(1, now - this.lastAt);
    const instant = (delta * 1000) / dt;
    if (this.rate === undefined) {
      // The first step: its average since the start is all there is to go on.
      this.rate = instant;
    } else {
      const weight = 1 - 2 ** (-dt / this.halfLifeMs);
      this.rate += weight * (instant - this.rate);
    }
    this.lastAt = now;
    this.lastBytes = bytes;
  }

  /** The smoothed rate; undefined until the first confirmed bytes. */
  bytesPerSecond(): number | undefined {
    return this.rate;
  }

  /** Seconds until `remainingBytes` are confirmed at the smoothed rate; undefined while the rate is unknown. */
  etaSeconds(remainingBytes: number): number | undefined {
    const rate = this.rate;
    if (rate === undefined || rate <= 0 || remainingBytes < 0) return undefined;
    return remainingBytes / rate;
  }
}
