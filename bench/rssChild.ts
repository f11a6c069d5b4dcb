// Child process of the RSS benchmark: uploads one file through the engine, or downloads a subtask's input, while
// sampling its own RSS every 50 ms; prints one JSON line (baseline, peak, growth, peak per phase).
import { dirname, basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { downloadThroughEngine } from './engineDownload';
import { uploadThroughEngine } from './engineUpload';

interface RssChildArgs {
  mode: 'upload' | 'download';
  url: string;
  /** The file uploaded, or the file the download writes. */
  path: string;
  subtaskId: string;
  partSize: number;
  concurrency: number;
}

const MiB = 1024 * 1024;
const SAMPLE_MS = 50;

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as RssChildArgs;
  // Let start-up (module loading, tsx) settle, then take the baseline as the median of a few samples.
  const idle: number[] = [];
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
    idle.push(process.memoryUsage().rss);
  }
  idle.sort((a, b) => a - b);
  const baseline = idle[Math.floor(idle.length / 2)];
  let phase = 'start';
  const peaks: Record<string, number> = {};
  let peak = baseline;
  const sample = (): void => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
    if (rss > (peaks[phase] ?? 0)) peaks[phase] = rss;
  };
  const timer = setInterval(sample, SAMPLE_MS);
  const started = performance.now();
  const onPhase = (p: string): void => {
    sample();
    phase = p;
  };
  const timing =
    args.mode === 'download'
      ? await downloadThroughEngine(args.url, args.subtaskId, dirname(args.path), basename(args.path), args.partSize, args.concurrency, undefined, onPhase)
      : await uploadThroughEngine({ url: args.url, partSize: args.partSize, partConcurrency: args.concurrency }, args.path, args.subtaskId, onPhase);
  sample();
  clearInterval(timer);
  const mib = (n: number): number => Math.round((n / MiB) * 10) / 10;
  process.stdout.write(
    `${JSON.stringify({
      baseline_mib: mib(baseline),
      peak_mib: mib(peak),
      growth_mib: mib(peak - baseline),
      growth_by_phase_mib: Object.fromEntries(Object.entries(peaks).map(([k, v]) => [k, mib(v - baseline)])),
      seconds: (performance.now() - started) / 1000,
      timing,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
