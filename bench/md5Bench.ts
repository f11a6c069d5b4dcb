// md5_ratio: src/transfer/md5.ts md5File vs `md5sum` on the same file in page cache; the upload's own pass
// (md5FileAndParts: whole file + every part) and spark-md5 for reference.
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import SparkMD5 from 'spark-md5';
import { md5File, md5FileAndParts } from '../src/transfer/md5';
import { mbPerSecond, median } from './stats';

const run = promisify(execFile);

export interface Md5BenchResult {
  md5: string;
  ours_seconds: number[];
  md5sum_seconds: number[];
  /** CPU seconds per GiB hashed (median): ours from process.cpuUsage, md5sum from bash's `times`. */
  ours_cpu_s_per_gib: number;
  md5sum_cpu_s_per_gib: number;
  ours_mb_s: number;
  md5sum_mb_s: number;
  md5_ratio: number;
  /** md5FileAndParts with the upload's part size: what a first upload run hashes before init. */
  with_parts_seconds: number[];
  with_parts_cpu_s_per_gib: number;
  with_parts_mb_s: number;
  spark_md5_seconds: number;
  spark_md5_mb_s: number;
}

interface Timed {
  seconds: number;
  cpu: number;
  md5: string;
}

async function timeInProcess(hash: () => Promise<string>): Promise<Timed> {
  const t = performance.now();
  const c = process.cpuUsage();
  const md5 = await hash();
  const used = process.cpuUsage(c);
  return { seconds: (performance.now() - t) / 1000, cpu: (used.user + used.system) / 1e6, md5 };
}

/** md5sum under bash, whose `times` prints the children's user and system CPU on its second line. */
async function timeMd5sum(path: string): Promise<Timed> {
  const t = performance.now();
  const { stdout } = await run('bash', ['-c', 'md5sum "$1"; times', 'md5-bench', path]);
  const seconds = (performance.now() - t) / 1000;
  const lines = stdout.trim().split('\n');
  const children = lines[lines.length - 1].split(/\s+/).map((x) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(x);
    return m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  });
  return { seconds, cpu: children[0] + children[1], md5: lines[0].split(/\s+/)[0] };
}

/** spark-md5 the way a browser-minded library would use it: incremental ArrayBuffer appends. */
async function timeSpark(path: string): Promise<Omit<Timed, 'cpu'>> {
  const t = performance.now();
  const spark = new SparkMD5.ArrayBuffer();
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 }) as AsyncIterable<Buffer>) {
    spark.append(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength) as ArrayBuffer);
  }
  const md5 = spark.end();
  return { seconds: (performance.now() - t) / 1000, md5 };
}

type Side = 'ours' | 'parts' | 'md5sum';

export async function benchMd5(path: string, size: number, partSize: number, rounds: number, log: (line: string) => void): Promise<Md5BenchResult> {
  const measure: Record<Side, () => Promise<Timed>> = {
    ours: () => timeInProcess(() => md5File(path)),
    parts: () => timeInProcess(async () => (await md5FileAndParts(path, { partSize })).md5),
    md5sum: () => timeMd5sum(path),
  };
  // Warm the page cache (and the code paths) once each, untimed.
  const warmOurs = await measure.ours();
  const warmSum = await measure.md5sum();
  if (warmOurs.md5 !== warmSum.md5) throw new Error(`md5File says ${warmOurs.md5}, md5sum says ${warmSum.md5}`);
  const seconds: Record<Side, number[]> = { ours: [], parts: [], md5sum: [] };
  const cpu: Record<Side, number[]> = { ours: [], parts: [], md5sum: [] };
  const sides: Side[] = ['ours', 'md5sum', 'parts'];
  for (let round = 1; round <= rounds; round++) {
    for (const side of round % 2 === 1 ? sides : [...sides].reverse()) {
      const r = await measure[side]();
      if (r.md5 !== warmOurs.md5) throw new Error(`${side}: md5 ${r.md5}, expected ${warmOurs.md5}`);
      seconds[side].push(r.seconds);
      cpu[side].push(r.cpu);
    }
    const at = (side: Side): string => `${seconds[side][round - 1].toFixed(2)} s (CPU ${cpu[side][round - 1].toFixed(2)} s)`;
    log(`  md5 round ${round}: md5File ${at('ours')}, md5sum ${at('md5sum')}, md5FileAndParts ${at('parts')}`);
  }
  const spark = await timeSpark(path);
  if (spark.md5 !== warmOurs.md5) throw new Error(`spark-md5 says ${spark.md5}, md5File says ${warmOurs.md5}`);
  log(`  spark-md5 ${spark.seconds.toFixed(2)} s`);
  const mbS = (side: Side): number => median(seconds[side].map((s) => mbPerSecond(size, s)));
  const cpuPerGib = (side: Side): number => median(cpu[side]) / (size / 1024 ** 3);
  return {
    md5: warmOurs.md5,
    ours_seconds: seconds.ours,
    md5sum_seconds: seconds.md5sum,
    ours_cpu_s_per_gib: cpuPerGib('ours'),
    md5sum_cpu_s_per_gib: cpuPerGib('md5sum'),
    ours_mb_s: mbS('ours'),
    md5sum_mb_s: mbS('md5sum'),
    md5_ratio: mbS('ours') / mbS('md5sum'),
    with_parts_seconds: seconds.parts,
    with_parts_cpu_s_per_gib: cpuPerGib('parts'),
    with_parts_mb_s: mbS('parts'),
    spark_md5_seconds: spark.seconds,
    spark_md5_mb_s: mbPerSecond(size, spark.seconds),
  };
}
