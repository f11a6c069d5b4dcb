// The benchmark's table, as plain text for stdout and as Markdown for bench/README.md.
import type { DownloadBenchResult } from './downloadBench';
import type { MachineInfo } from './machine';
import type { Md5BenchResult } from './md5Bench';
import type { RssBenchResult } from './rssBench';
import { MiB } from './stats';
import type { BundleInfo } from './bundle';
import type { FolderBenchResult } from './folderBench';
import type { SmallFilesBenchResult } from './smallFilesBench';
import type { UploadBenchResult } from './uploadBench';

export interface BenchResults {
  mode: 'quick' | 'full';
  machine: MachineInfo;
  settings: { file_bytes: number; rss_file_bytes: number; part_size: number; concurrency: number; rounds: number };
  md5?: Md5BenchResult;
  upload?: UploadBenchResult;
  download?: DownloadBenchResult;
  rss?: RssBenchResult;
  rss_download?: RssBenchResult;
  small?: SmallFilesBenchResult;
  folder?: FolderBenchResult;
  bundle?: BundleInfo;
  /** The integration tier's first activate() in the extension host (out/activation.json), when it has run here. */
  activation?: { activation_ms: number; measured_at: string };
  seconds?: number;
}

/** CPU columns: client and emulator CPU seconds per GiB, ours / baseline (the stable figures on a shared machine). */
type Row = [metric: string, ours: string, baseline: string, result: string, goal: string, met: string, clientCpu: string, emulatorCpu: string];

const mb = (x: number): string => `${x.toFixed(0)} MB/s`;
const ratio = (x: number): string => `${x.toFixed(2)}×`;
const pair = (a: number, b?: number): string => (b === undefined ? a.toFixed(2) : `${a.toFixed(2)} / ${b.toFixed(2)}`);
const met = (ok: boolean): string => (ok ? 'yes' : 'NO');
const files = (x: number): string => `${x.toFixed(0)} files/s`;
const ms = (x: number): string => `${x.toFixed(2)} ms`;

export const GOALS = { upload_cold_ratio: 0.95, upload_cached_ratio: 0.95, cached_first_put_ms: 200, folder_ratio: 0.9, download_verified_ratio: 0.8, small_files_ratio: 0.8, raw_small_files_s: 500 };

function rows(r: BenchResults): Row[] {
  const out: Row[] = [];
  const u = r.upload;
  const f = r.folder;
  const d = r.download;
  const sm = r.small;
  // Headlines first: end to end, each against what this machine can do at best.
  if (u) {
    out.push(['**upload, 1 file cold, end to end** vs md5sum + raw loop', mb(u.engine_total_mb_s), mb(u.ideal_mb_s), ratio(u.upload_cold_ratio), `≥ ${GOALS.upload_cold_ratio}×`, met(u.upload_cold_ratio >= GOALS.upload_cold_ratio), pair(u.engine_total_cpu_s_per_gib, u.ideal_cpu_s_per_gib), pair(u.engine_total_server_cpu_s_per_gib, u.raw_total_server_cpu_s_per_gib)]);
    out.push(['**upload, same file again (hash cached)** vs raw loop', mb(u.engine_cached_mb_s), mb(u.raw_total_mb_s), ratio(u.upload_cached_ratio), `≥ ${GOALS.upload_cached_ratio}×`, met(u.upload_cached_ratio >= GOALS.upload_cached_ratio), '', '']);
    out.push(['**same file again: engine.add → first part PUT**', `${u.cached_first_put_ms.toFixed(0)} ms`, '', '', `≤ ${GOALS.cached_first_put_ms} ms`, met(u.cached_first_put_ms <= GOALS.cached_first_put_ms), '', '']);
  }
  if (f) {
    out.push([`**folder ${f.files} × ${(f.file_bytes / MiB).toFixed(0)} MiB, end to end** vs raw loop`, mb(f.engine_mb_s), mb(f.raw_mb_s), ratio(f.folder_ratio), `≥ ${GOALS.folder_ratio}×`, met(f.folder_ratio >= GOALS.folder_ratio), pair(f.engine_cpu_s_per_gib, f.raw_cpu_s_per_gib), pair(f.engine_server_cpu_s_per_gib, f.raw_server_cpu_s_per_gib)]);
  }
  if (d) {
    out.push(['**download + MD5 check + rename** vs raw ranged GETs', mb(d.ours_with_verify_mb_s), mb(d.raw_mb_s), ratio(d.download_verified_ratio), `≥ ${GOALS.download_verified_ratio}×`, met(d.download_verified_ratio >= GOALS.download_verified_ratio), pair(d.ours_total_cpu_s_per_gib, d.raw_cpu_s_per_gib), pair(d.ours_total_server_cpu_s_per_gib, d.raw_server_cpu_s_per_gib)]);
  }
  if (sm) {
    out.push([`**${sm.count} × ${sm.file_bytes / 1024} KiB, end to end** vs raw loop ×${sm.concurrency}`, files(sm.engine_files_s), files(sm.raw_parallel_files_s), ratio(sm.small_files_ratio), `≥ ${GOALS.small_files_ratio}×`, met(sm.small_files_ratio >= GOALS.small_files_ratio), `${pair(sm.engine_client_cpu_ms_per_file, sm.raw_client_cpu_ms_per_file)} ms/file`, `${pair(sm.engine_emulator_cpu_ms_per_file, sm.raw_emulator_cpu_ms_per_file)} ms/file`]);
    out.push([`**raw loop ×${sm.concurrency} itself** (init, PUT, complete per file)`, files(sm.raw_parallel_files_s), '', '', `≥ ${GOALS.raw_small_files_s} files/s`, met(sm.raw_parallel_files_s >= GOALS.raw_small_files_s), '', '']);
  }
  for (const [what, s] of [['upload', r.rss], ['download', r.rss_download]] as const) {
    if (!s) continue;
    out.push([`**peak RSS growth, ${(s.file_bytes / MiB / 1024).toFixed(2).replace(/\.?0+$/, '')} GiB ${what}**`, `${s.rss_growth_mib.toFixed(1)} MiB`, '', `${s.rss_growth_mib.toFixed(1)} MiB`, `≤ ${s.rss_limit_mib} MiB`, met(s.rss_growth_mib <= s.rss_limit_mib), '', '']);
  }
  // Detail.
  if (u) {
    out.push(['upload: raw loop end to end (init, PUTs, complete)', mb(u.raw_total_mb_s), '', '', '(info)', '', pair(u.raw_total_cpu_s_per_gib), pair(u.raw_total_server_cpu_s_per_gib)]);
    out.push(['upload: engine.add → last part PUT (hash pass + init + PUTs)', mb(u.engine_with_md5_mb_s), mb(u.raw_put_mb_s), ratio(u.engine_with_md5_mb_s / u.raw_put_mb_s), '(info)', '', '', '']);
    out.push(['upload: PUT phase alone', mb(u.engine_put_mb_s), mb(u.raw_put_mb_s), ratio(u.upload_put_ratio), '(info)', '', pair(u.engine_put_cpu_s_per_gib), pair(u.engine_server_cpu_s_per_gib)]);
  }
  if (sm) {
    out.push(['small files: raw loop one at a time', files(sm.raw_serial_files_s), '', '', '(info)', '', '', '']);
    out.push(['small files: emulator answer, one at a time (init / PUT / complete)', `${ms(sm.serial_init_ms)} / ${ms(sm.serial_put_ms)} / ${ms(sm.serial_complete_ms)}`, '', '', '(info)', '', '', '']);
  }
  if (d) {
    out.push(['download: transfer alone (every range written)', mb(d.ours_mb_s), mb(d.raw_mb_s), ratio(d.download_ratio), '(info)', '', pair(d.ours_cpu_s_per_gib, d.raw_cpu_s_per_gib), pair(d.ours_server_cpu_s_per_gib, d.raw_server_cpu_s_per_gib)]);
  }
  if (r.md5) {
    const m = r.md5;
    out.push(['whole-file MD5: md5File vs md5sum', mb(m.ours_mb_s), mb(m.md5sum_mb_s), ratio(m.md5_ratio), '(info)', '', pair(m.ours_cpu_s_per_gib, m.md5sum_cpu_s_per_gib), '']);
    out.push(['whole-file + part MD5s (upload pass): md5FileAndParts', mb(m.with_parts_mb_s), mb(m.md5sum_mb_s), ratio(m.with_parts_mb_s / m.md5sum_mb_s), '(info)', '', pair(m.with_parts_cpu_s_per_gib, m.md5sum_cpu_s_per_gib), '']);
    out.push(['whole-file MD5: spark-md5 (reference)', mb(m.spark_md5_mb_s), mb(m.md5sum_mb_s), ratio(m.spark_md5_mb_s / m.md5sum_mb_s), '(info)', '', '', '']);
  }
  if (r.bundle) {
    out.push([`JavaScript loaded at activation (${r.bundle.production ? 'production' : 'dev'} build)`, `${(r.bundle.activation_js_bytes / 1024).toFixed(0)} KiB`, '', '', '(info)', '', '', '']);
  }
  const a = r.activation;
  out.push(['activation (first activate() in the extension host, integration tier)', a ? `${a.activation_ms.toFixed(0)} ms` : 'not measured here', '', a ? `measured ${a.measured_at.slice(0, 16)}Z` : '', '(info)', '', '', '']);
  return out;
}

const HEADER: Row = ['metric', 'ours', 'baseline', 'result', 'goal', 'met', 'client CPU s/GiB (ours / baseline)', 'emulator CPU s/GiB (ours / baseline)'];

function describeRun(r: BenchResults): string {
  const m = r.machine;
  const s = r.settings;
  return (
    `${m.date} · ${r.mode} run · ${m.nproc} cores (${m.cpu_model}), ${m.memory_gib} GiB RAM, ${m.node}, load ${m.loadavg_start.join('/')}` +
    `${m.loadavg_end ? ` → ${m.loadavg_end.join('/')}` : ''}\n` +
    `file ${s.file_bytes / MiB} MiB (RSS run ${s.rss_file_bytes / MiB} MiB), part ${s.part_size / MiB} MiB, part concurrency ${s.concurrency}, ` +
    `median of ${s.rounds} alternating rounds; MB = 10^6 bytes${r.seconds === undefined ? '' : `; the run took ${r.seconds.toFixed(0)} s`}`
  );
}

export function renderTable(r: BenchResults): string {
  const all = [HEADER, ...rows(r)];
  const widths = HEADER.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (row: Row): string => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  const plain = (row: Row): Row => row.map((cell) => cell.replace(/\*\*/g, '')) as Row;
  return [describeRun(r), '', line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...rows(r).map(plain).map(line)].join('\n');
}

export function renderMarkdown(r: BenchResults): string {
  const line = (row: Row): string => `| ${row.join(' | ')} |`;
  return [describeRun(r).replace('\n', '  \n'), '', line(HEADER), `|${HEADER.map(() => '---').join('|')}|`, ...rows(r).map(line)].join('\n');
}
