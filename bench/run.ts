// `npm run bench`: upload, MD5, RSS and download benchmarks against the emulator; prints a table and
// writes bench/results.json (a --quick run bench/data/results-quick.json instead, an --only run results-only.json there).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureDataFile } from './dataFiles';
import { benchDownload } from './downloadBench';
import { startBenchEmulator } from './emulatorProcess';
import { machineInfo } from './machine';
import { benchMd5 } from './md5Bench';
import { benchRss } from './rssBench';
import { median, MiB, round } from './stats';
import { GOALS, renderMarkdown, renderTable, type BenchResults } from './report';
import { bundleInfo } from './bundle';
import { benchFolder } from './folderBench';
import { benchSmallFiles } from './smallFilesBench';
import { benchUpload } from './uploadBench';
import { DEFAULT_TUNING } from '../src/transfer/runtime';

interface Args {
  quick: boolean;
  keep: boolean;
  rounds: number;
  partSize: number;
  concurrency: number;
  only?: Set<string>;
  /** Files of the small-files benchmark (default 2,000; 200 with --quick). */
  smallFiles?: number;
  /** Files in flight in the small-files benchmark (the folder benchmark runs the product's default). */
  fileConcurrency: number;
}

/** A bad command line: reported as one line, without a stack. */
class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, keep: false, rounds: 5, partSize: 5 * MiB, concurrency: 4, fileConcurrency: 8 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') args.quick = true;
    else if (a === '--keep') args.keep = true;
    else if (a === '--rounds') args.rounds = Number(value());
    else if (a === '--part-mib') args.partSize = Math.round(Number(value()) * MiB);
    else if (a === '--concurrency') args.concurrency = Number(value());
    else if (a === '--only') args.only = new Set(value().split(','));
    else if (a === '--files') args.smallFiles = Number(value());
    else if (a === '--file-concurrency') args.fileConcurrency = Number(value());
    else if (a === '--help' || a === '-h') {
      process.stdout.write('npm run bench -- [--quick] [--keep] [--rounds N] [--part-mib N] [--concurrency N] [--only md5,upload,folder,download,small,rss] [--files N] [--file-concurrency N]\n');
      process.exit(0);
    } else throw new UsageError(`unknown argument ${a} (see --help)`);
  }
  // A quick run keeps near a minute, also on a loaded machine: 32 MiB files, one round unless asked for (64 MiB × 2
  // took 1 min 15 s at load 14 and 4 min at load 20; 256 MiB × 3 took 4 min at load 10-16).
  if (args.quick && !argv.includes('--rounds')) args.rounds = 1;
  if (!(args.rounds >= 1) || !(args.concurrency >= 1) || !(args.partSize >= 1)) throw new UsageError('--rounds, --concurrency and --part-mib must be positive');
  return args;
}

const BENCH_DIR = __dirname;
const DATA_DIR = join(BENCH_DIR, 'data');
const README = join(BENCH_DIR, 'README.md');

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const wants = (name: string): boolean => !args.only || args.only.has(name);
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const t0 = performance.now();
  const machine = machineInfo();
  const size = args.quick ? 32 * MiB : 1024 * MiB;
  const rssSize = args.quick ? 32 * MiB : 2048 * MiB;
  log(`bench: ${args.quick ? 'quick' : 'full'} run, ${size / MiB} MiB (RSS: ${rssSize / MiB} MiB), part ${args.partSize / MiB} MiB × ${args.concurrency}, ${args.rounds} rounds; ${machine.nproc} cores, load ${machine.loadavg_start.join(' ')}`);

  await mkdir(DATA_DIR, { recursive: true });
  const made: string[] = [];
  const needsMain = wants('md5') || wants('upload') || (wants('rss') && rssSize === size);
  const mainFile = needsMain ? await ensureDataFile(join(DATA_DIR, `bench-${size / MiB}MiB.bin`), size, 'main') : undefined;
  if (mainFile) made.push(mainFile.path);
  const rssFile = rssSize === size ? mainFile : wants('rss') ? await ensureDataFile(join(DATA_DIR, `bench-${rssSize / MiB}MiB.bin`), rssSize, 'rss') : undefined;
  if (rssFile && rssFile !== mainFile) made.push(rssFile.path);
  log(`bench: data files ready (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  const emuDir = join(DATA_DIR, `emulator-${process.pid}`);
  const emu = await startBenchEmulator(emuDir);
  const results: BenchResults = {
    mode: args.quick ? 'quick' : 'full',
    machine,
    bundle: bundleInfo(join(BENCH_DIR, '..')),
    settings: { file_bytes: size, rss_file_bytes: rssSize, part_size: args.partSize, concurrency: args.concurrency, rounds: args.rounds },
  };
  try {
    // The upload needs the file's MD5 for its raw side's init, so the MD5 benchmark runs for it too.
    if (mainFile && (wants('md5') || wants('upload'))) {
      log('bench: md5');
      results.md5 = await benchMd5(mainFile.path, size, args.partSize, args.rounds, log);
    }
    if (mainFile && wants('upload') && results.md5) {
      log('bench: upload');
      results.upload = await benchUpload(emu, {
        path: mainFile.path,
        size,
        md5: results.md5.md5,
        partSize: args.partSize,
        concurrency: args.concurrency,
        rounds: args.rounds,
        rawHighWaterMark: MiB,
        md5sumSeconds: median(results.md5.md5sum_seconds),
        md5sumCpuSPerGib: results.md5.md5sum_cpu_s_per_gib,
        log,
      });
    }
    if (wants('folder')) {
      log('bench: folder');
      const fileBytes = args.quick ? 2 * MiB : 128 * MiB;
      made.push(join(DATA_DIR, `folder-8x${fileBytes}`));
      results.folder = await benchFolder(emu, { dataDir: DATA_DIR, files: 8, fileBytes, partSize: args.partSize, concurrency: args.concurrency, fileConcurrency: DEFAULT_TUNING.fileConcurrency, rounds: args.quick ? 1 : Math.min(args.rounds, 3), log });
    }
    if (wants('download')) {
      log('bench: download');
      results.download = await benchDownload(emu, { dataDir: DATA_DIR, size, partSize: args.partSize, concurrency: args.concurrency, rounds: args.rounds, log });
    }
    if (wants('small')) {
      log('bench: small files');
      const count = args.smallFiles ?? (args.quick ? 40 : 2000);
      made.push(join(DATA_DIR, `small-${count}x4096`));
      results.small = await benchSmallFiles(emu, { dataDir: DATA_DIR, count, fileBytes: 4096, concurrency: args.fileConcurrency, rounds: args.quick ? 1 : Math.min(args.rounds, 3), log });
    }
    if (wants('rss') && rssFile) {
      log('bench: rss');
      results.rss = await benchRss(emu, 'upload', rssFile.path, rssSize, args.partSize, args.concurrency);
      results.rss_download = await benchRss(emu, 'download', join(DATA_DIR, 'rss-download.bin'), rssSize, args.partSize, args.concurrency);
    }
  } finally {
    await emu.close();
    await rm(emuDir, { recursive: true, force: true });
    if (!args.keep) for (const path of made) await rm(path, { recursive: true, force: true });
  }
  results.machine.loadavg_end = os.loadavg().map((x) => round(x, 2));
  results.seconds = round((performance.now() - t0) / 1000, 1);
  const activation = activationRecord(join(BENCH_DIR, '..', 'out', 'activation.json'));
  if (activation.activation_ms !== null && activation.activation_measured_at !== null) results.activation = { activation_ms: activation.activation_ms, measured_at: activation.activation_measured_at };

  const table = renderTable(results);
  process.stdout.write(`${table}\n`);
  // Only a full run of everything is the record; a quick run or a subset goes beside the data, git-ignored.
  const out = args.quick ? join(DATA_DIR, 'results-quick.json') : args.only ? join(DATA_DIR, 'results-only.json') : join(BENCH_DIR, 'results.json');
  const json = JSON.stringify(summarize(results), null, 2);
  await writeFile(`${out}.tmp`, `${json}\n`);
  await rename(`${out}.tmp`, out);
  log(`bench: wrote ${out}`);
  if (!args.quick && !args.only && existsSync(README)) {
    const text = await readFile(README, 'utf8');
    const start = '<!-- results:start -->';
    const end = '<!-- results:end -->';
    const a = text.indexOf(start);
    const b = text.indexOf(end);
    if (a >= 0 && b > a) {
      await writeFile(README, `${text.slice(0, a + start.length)}\n${renderMarkdown(results)}\n${text.slice(b)}`);
      log('bench: updated the table in bench/README.md');
    }
  }
}

/** The record: the headline ratios first, then every raw figure behind them. */
/** What the integration tier's activation suite measured last, or nulls when it has not run here. */
function activationRecord(path: string): { activation_ms: number | null; activation_measured_at: string | null } {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as { activation_ms?: unknown; measured_at?: unknown };
    if (typeof v.activation_ms === 'number' && typeof v.measured_at === 'string') return { activation_ms: v.activation_ms, activation_measured_at: v.measured_at };
  } catch {
    // Not run yet.
  }
  return { activation_ms: null, activation_measured_at: null };
}

function summarize(r: BenchResults): Record<string, unknown> {
  return {
    // Headlines: end to end, each against the physical limit measured in the same run.
    upload_cold_ratio: r.upload ? round(r.upload.upload_cold_ratio) : null,
    upload_cached_ratio: r.upload ? round(r.upload.upload_cached_ratio) : null,
    cached_first_put_ms: r.upload ? round(r.upload.cached_first_put_ms, 1) : null,
    folder_ratio: r.folder ? round(r.folder.folder_ratio) : null,
    download_verified_ratio: r.download ? round(r.download.download_verified_ratio) : null,
    small_files_ratio: r.small ? round(r.small.small_files_ratio) : null,
    raw_small_files_s: r.small ? round(r.small.raw_parallel_files_s, 1) : null,
    engine_small_files_s: r.small ? round(r.small.engine_files_s, 1) : null,
    rss_growth_mib: r.rss ? r.rss.rss_growth_mib : null,
    rss_download_growth_mib: r.rss_download ? r.rss_download.rss_growth_mib : null,
    rss_limit_mib: r.rss ? r.rss.rss_limit_mib : (r.settings.concurrency * r.settings.part_size) / MiB + 64,
    cpu_s_per_gib: {
      upload_client: r.upload ? round(r.upload.engine_total_cpu_s_per_gib) : null,
      upload_client_ideal: r.upload ? round(r.upload.ideal_cpu_s_per_gib) : null,
      upload_emulator: r.upload ? round(r.upload.engine_total_server_cpu_s_per_gib) : null,
      upload_emulator_raw: r.upload ? round(r.upload.raw_total_server_cpu_s_per_gib) : null,
      folder_client: r.folder ? round(r.folder.engine_cpu_s_per_gib) : null,
      folder_client_raw: r.folder ? round(r.folder.raw_cpu_s_per_gib) : null,
      download_client: r.download ? round(r.download.ours_total_cpu_s_per_gib) : null,
      download_client_raw: r.download ? round(r.download.raw_cpu_s_per_gib) : null,
      download_emulator: r.download ? round(r.download.ours_total_server_cpu_s_per_gib) : null,
    },
    // Detail (the former headlines).
    upload_put_ratio: r.upload ? round(r.upload.upload_put_ratio) : null,
    download_ratio: r.download ? round(r.download.download_ratio) : null,
    md5_ratio: r.md5 ? round(r.md5.md5_ratio) : null,
    activation: {
      js_bytes: r.bundle?.activation_js_bytes ?? null,
      files: r.bundle?.activation_files ?? [],
      lazy_js_bytes: r.bundle?.lazy_js_bytes ?? null,
      production_build: r.bundle?.production ?? null,
      /** The integration tier's first activate() (out/activation.json, written by its last run), with its date. */
      ...activationRecord(join(BENCH_DIR, '..', 'out', 'activation.json')),
    },
    goals: { ...GOALS, rss_growth_mib: '≤ rss_limit_mib', rss_download_growth_mib: '≤ rss_limit_mib' },
    mode: r.mode,
    date: r.machine.date,
    machine: r.machine,
    settings: r.settings,
    seconds: r.seconds,
    raw: { md5: r.md5, upload: r.upload, folder: r.folder, download: r.download, small: r.small, rss: r.rss, rss_download: r.rss_download, bundle: r.bundle },
  };
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`bench: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
