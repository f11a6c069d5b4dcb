// The benchmark's table, as plain text for stdout and as Markdown for bench/README.md.
import type { DownloadBenchResult } from './downloadBench';
import type { MachineInfo } from './machine';
import type { Md5BenchResult } from './md5Bench';
import type { RssBenchResult } from './rssBench';
import { MiB } from './stats';
import type { UploadBenchResult } from './uploadBench';

export interface BenchResults {
  mode: 'quick' | 'full';
  machine: MachineInfo;
  settings: { file_bytes: number; rss_file_bytes: number; part_size: number; concurrency: number; rounds: number };
  md5?: Md5BenchResult;
  upload?: UploadBenchResult;
  download?: DownloadBenchResult;
  rss?: RssBenchResult;
  seconds?: number;
}

type Row = [metric: string, ours: string, baseline: string, result: string, goal: string, met: string];

const mb = (x: number): string => `${x.toFixed(0)} MB/s`;
const ratio = (x: number): string => `${x.toFixed(2)}×`;
const cpu = (x: number): string => `${x.toFixed(2)} s/GiB`;
const met = (ok: boolean): string => (ok ? 'yes' : 'NO');

function rows(r: BenchResults): Row[] {
  const out: Row[] = [];
  if (r.upload) {
    const u = r.upload;
    out.push(['upload, PUT phase (headline)', mb(u.engine_put_mb_s), mb(u.raw_put_mb_s), ratio(u.upload_ratio), '≥ 0.90×', met(u.upload_ratio >= 0.9)]);
    out.push(['upload, MD5 pass + init + PUT', mb(u.engine_with_md5_mb_s), mb(u.raw_put_mb_s), ratio(u.upload_ratio_with_md5), '(info)', '']);
    out.push(['upload, end to end (+ complete)', mb(u.engine_total_mb_s), '', '', '(info)', '']);
    out.push(['upload, PUT phase client CPU', cpu(u.engine_put_cpu_s_per_gib), cpu(u.raw_put_cpu_s_per_gib), ratio(u.engine_put_cpu_s_per_gib / u.raw_put_cpu_s_per_gib), '(info)', '']);
    out.push(['upload, PUT phase emulator CPU', cpu(u.engine_server_cpu_s_per_gib), cpu(u.raw_server_cpu_s_per_gib), '', '(info)', '']);
  }
  if (r.md5) {
    const m = r.md5;
    out.push(['whole-file MD5: md5File vs md5sum', mb(m.ours_mb_s), mb(m.md5sum_mb_s), ratio(m.md5_ratio), '≥ 0.90×', met(m.md5_ratio >= 0.9)]);
    out.push(['whole-file MD5: CPU', cpu(m.ours_cpu_s_per_gib), cpu(m.md5sum_cpu_s_per_gib), ratio(m.ours_cpu_s_per_gib / m.md5sum_cpu_s_per_gib), '(info)', '']);
    out.push(['whole-file + part MD5s (upload): md5FileAndParts', mb(m.with_parts_mb_s), mb(m.md5sum_mb_s), ratio(m.with_parts_mb_s / m.md5sum_mb_s), '(info)', '']);
    out.push(['whole-file + part MD5s: CPU', cpu(m.with_parts_cpu_s_per_gib), cpu(m.md5sum_cpu_s_per_gib), ratio(m.with_parts_cpu_s_per_gib / m.md5sum_cpu_s_per_gib), '(info)', '']);
    out.push(['whole-file MD5: spark-md5 (reference)', mb(m.spark_md5_mb_s), mb(m.md5sum_mb_s), ratio(m.spark_md5_mb_s / m.md5sum_mb_s), '(info)', '']);
  }
  if (r.download) {
    const d = r.download;
    out.push(['ranged download (headline)', mb(d.ours_mb_s), mb(d.raw_mb_s), ratio(d.download_ratio), '≥ 0.90×', met(d.download_ratio >= 0.9)]);
    out.push(['ranged download + MD5 check + rename', mb(d.ours_with_verify_mb_s), mb(d.raw_mb_s), ratio(d.ours_with_verify_mb_s / d.raw_mb_s), '(info)', '']);
    out.push(['ranged download client CPU', cpu(d.ours_cpu_s_per_gib), cpu(d.raw_cpu_s_per_gib), ratio(d.ours_cpu_s_per_gib / d.raw_cpu_s_per_gib), '(info)', '']);
    out.push(['ranged download emulator CPU', cpu(d.ours_server_cpu_s_per_gib), cpu(d.raw_server_cpu_s_per_gib), '', '(info)', '']);
    if (d.axios_mb_s !== undefined && d.axios_cpu_s_per_gib !== undefined) {
      out.push(['ranged download, axios loop (reference)', mb(d.axios_mb_s), mb(d.raw_mb_s), ratio(d.axios_mb_s / d.raw_mb_s), '(info)', '']);
      out.push(['  its client CPU', cpu(d.axios_cpu_s_per_gib), cpu(d.raw_cpu_s_per_gib), ratio(d.axios_cpu_s_per_gib / d.raw_cpu_s_per_gib), '(info)', '']);
    }
  }
  if (r.rss) {
    const s = r.rss;
    out.push([
      `peak RSS growth, ${(s.file_bytes / MiB / 1024).toFixed(2).replace(/\.?0+$/, '')} GiB upload`,
      `${s.rss_growth_mib.toFixed(1)} MiB`,
      '',
      `${s.rss_growth_mib.toFixed(1)} MiB`,
      `≤ ${s.rss_limit_mib} MiB`,
      met(s.rss_growth_mib <= s.rss_limit_mib),
    ]);
  }
  return out;
}

const HEADER: Row = ['metric', 'ours', 'baseline', 'result', 'goal', 'met'];

function describeRun(r: BenchResults): string {
  const m = r.machine;
  const s = r.settings;
  return (
    `${m.date} · ${r.mode} run · ${m.nproc} cores (${m.cpu_model}), ${m.memory_gib} GiB RAM, ${m.node}, load ${m.loadavg_start.join('/')}` +
    `${m.loadavg_end ? ` → ${m.loadavg_end.join('/')}` : ''}\n` +
    `file ${s.file_bytes / MiB} MiB (RSS run ${s.rss_file_bytes / MiB} MiB), part ${s.part_size / MiB} MiB, part concurrency ${s.concurrency}, ` +
    `median of ${s.rounds} alternating rounds; MB = 10^6 bytes`
  );
}

export function renderTable(r: BenchResults): string {
  const all = [HEADER, ...rows(r)];
  const widths = HEADER.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (row: Row): string => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [describeRun(r), '', line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...rows(r).map(line)].join('\n');
}

export function renderMarkdown(r: BenchResults): string {
  const line = (row: Row): string => `| ${row.join(' | ')} |`;
  return [describeRun(r).replace('\n', '  \n'), '', line(HEADER), `|${HEADER.map(() => '---').join('|')}|`, ...rows(r).map(line)].join('\n');
}
