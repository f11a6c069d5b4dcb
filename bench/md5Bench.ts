// md5_ratio: src/transfer/md5.ts md5File vs `md5sum` on the same file in page cache; spark-md5 for reference.
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import SparkMD5 from 'spark-md5';
import { md5File } from '../src/transfer/md5';
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
  spark_md5_seconds: number;
  spark_md5_mb_s: number;
}

interface Timed {
  seconds: number;
  cpu: number;
  md5: string;
}

async function timeOurs(path: string): Promise<Timed> {
  const t = performance.now();
  const c = process.cpuUsage();
  const md5 = await md5File(path);
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

export async function benchMd5(path: string, size: number, rounds: number, log: (line: string) => void): Promise<Md5BenchResult> {
  // Warm the page cache (and the code paths) once each, untimed.
  const warmOurs = await timeOurs(path);
  const warmSum = await timeMd5sum(path);
  if (warmOurs.md5 !== warmSum.md5) throw new Error(`md5File says ${warmOurs.md5}, md5sum says ${warmSum.md5}`);
  const ours: number[] = [];
  const sum: number[] = [];
  const oursCpu: number[] = [];
  const sumCpu: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? [timeOurs, timeMd5sum] : [timeMd5sum, timeOurs];
    for (const fn of order) {
      const r = await fn(path);
      if (r.md5 !== warmOurs.md5) throw new Error(`md5 changed between runs: ${r.md5}`);
      (fn === timeOurs ? ours : sum).push(r.seconds);
      (fn === timeOurs ? oursCpu : sumCpu).push(r.cpu);
    }
    log(`  md5 round ${round}: md5File ${ours[round - 1].toFixed(2)} s (CPU ${oursCpu[round - 1].toFixed(2)} s), md5sum ${sum[round - 1].toFixed(2)} s (CPU ${sumCpu[round - 1].toFixed(2)} s)`);
  }
  const spark = await timeSpark(path);
  if (spark.md5 !== warmOurs.md5) throw new Error(`spark-md5 says ${spark.md5}, md5File says ${warmOurs.md5}`);
  log(`  spark-md5 ${spark.seconds.toFixed(2)} s`);
  const oursMb = median(ours.map((s) => mbPerSecond(size, s)));
  const sumMb = median(sum.map((s) => mbPerSecond(size, s)));
  return {
    md5: warmOurs.md5,
    ours_seconds: ours,
    md5sum_seconds: sum,
    ours_cpu_s_per_gib: median(oursCpu) / (size / 1024 ** 3),
    md5sum_cpu_s_per_gib: median(sumCpu) / (size / 1024 ** 3),
    ours_mb_s: oursMb,
    md5sum_mb_s: sumMb,
    md5_ratio: oursMb / sumMb,
    spark_md5_seconds: spark.seconds,
    spark_md5_mb_s: mbPerSecond(size, spark.seconds),
  };
}
