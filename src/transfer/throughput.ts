// Bytes per second over a sliding window, and the ETA it implies.
export class ThroughputMeter {
  private samples: { t: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 5_000, private readonly now: () => number = Date.now) {}

  /** Records the running total of bytes done. */
  record(totalBytes: number): void {
    const t = this.now();
    this.samples.push({ t, bytes: totalBytes });
    while (this.samples.length > 2 && t - this.samples[0].t > this.windowMs) this.samples.shift();
  }

  reset(): void {
    this.samples = [];
  }

  bytesPerSecond(): number {
    if (this.samples.length < 2) return 0;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const dt = (last.t - first.t) / 1000;
    if (dt <= 0) return 0;
    return Math.max(0, (last.bytes - first.bytes) / dt);
  }

  etaSeconds(remainingBytes: number): number | undefined {
    const rate = this.bytesPerSecond();
    if (rate <= 0 || remainingBytes < 0) return undefined;
    return remainingBytes / rate;
  }
}
