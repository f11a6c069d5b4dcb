// download_ratio: the datahub-download protocol (through the engine) vs a raw node:http ranged GET loop,
// alternating, from the same stored object.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatahubClient } from '../src/api/datahub/client';
import { silentLogger } from '../src/api/logger';
import { md5File } from '../src/transfer/md5';
import { downloadThroughEngine, type EngineDownloadTiming } from './engineDownload';
import { cpuSeconds } from './engineUpload';
import type { BenchEmulator } from './emulatorProcess';
import { rawRangedDownload } from './rangedDownload';
import { mbPerSecond, median } from './stats';

export interface DownloadBenchOptions {
  dataDir: string;
  size: number;
  partSize: number;
  concurrency: number;
  rounds: number;
  log: (line: string) => void;
}

export interface DownloadBenchResult {
  ours_implementation: string;
  ours: EngineDownloadTiming[];
  raw_seconds: number[];
  raw_cpu_seconds: number[];
  /** Client CPU seconds per GiB received (median). */
  ours_cpu_s_per_gib: number;
  raw_cpu_s_per_gib: number;
  /** The emulator's CPU seconds per GiB served (median). */
  ours_server_cpu_s_per_gib: number;
  raw_server_cpu_s_per_gib: number;
  ours_mb_s: number;
  ours_with_verify_mb_s: number;
  raw_mb_s: number;
  /** Detail: the transfer alone (every range written) ÷ the raw loop. */
  download_ratio: number;
  /** Headline: end to end, MD5 check and rename included, ÷ the raw loop (which checks nothing). */
  download_verified_ratio: number;
  /** Client and emulator CPU seconds per GiB end to end (the check included). */
  ours_total_cpu_s_per_gib: number;
  ours_total_server_cpu_s_per_gib: number;
  /** raw seconds ÷ ours end to end, per round. */
  round_ratios: number[];
}

const SUBTASK = 'bench-download';
const NAME = 'bench-download.bin';

type Side = 'ours' | 'raw';

export async function benchDownload(emu: BenchEmulator, o: DownloadBenchOptions): Promise<DownloadBenchResult> {
  await emu.reset();
  const created = await emu.admin<{ input_file: { md5: string; size: number } }>('POST', '/_emulator/subtasks', {
    subtask_id: SUBTASK,
    input_file: { name: NAME, size: o.size, seed: 'bench' },
  });
  const client = new DatahubClient({ baseUrl: () => emu.url, token: async () => 'bench-token', logger: silentLogger });
  const dest = join(o.dataDir, NAME);
  const ours: EngineDownloadTiming[] = [];
  const seconds: number[] = [];
  const cpu: number[] = [];
  const serverCpu: number[] = [];
  const roundRatios: number[] = [];
  const oursTotalCpu: number[] = [];
  const oursTotalServer: number[] = [];
  const sides: Side[] = ['ours', 'raw'];
  for (let round = 1; round <= o.rounds; round++) {
    const order = round % 2 === 1 ? sides : [...sides].reverse();
    for (const side of order) {
      await rm(dest, { force: true });
      if (side === 'ours') {
        // The protocol checks size and MD5 itself before it renames.
        const cpu0 = cpuSeconds();
        const server0 = emu.cpuSeconds();
        const t = await downloadThroughEngine(emu.url, SUBTASK, o.dataDir, NAME, o.partSize, o.concurrency, () => emu.cpuSeconds());
        ours.push(t);
        oursTotalCpu.push(cpuSeconds() - cpu0);
        oursTotalServer.push(emu.cpuSeconds() - server0);
        o.log(`  download round ${round} ours : ranges ${t.rangesSeconds.toFixed(2)} s (${mbPerSecond(o.size, t.rangesSeconds).toFixed(0)} MB/s), with MD5 check ${t.totalSeconds.toFixed(2)} s, client CPU ${t.rangesCpuSeconds.toFixed(2)} s`);
        continue;
      }
      const started = performance.now();
      const cpu0 = cpuSeconds();
      const server0 = emu.cpuSeconds();
      // The presign is part of a real download (the protocol does it too), so it is inside the timed window.
      const { download_url: url } = await client.presignDownload(SUBTASK);
      await rawRangedDownload({ url, size: o.size, partSize: o.partSize, concurrency: o.concurrency, dest });
      const s = (performance.now() - started) / 1000;
      seconds.push(s);
      cpu.push(cpuSeconds() - cpu0);
      serverCpu.push(emu.cpuSeconds() - server0);
      if (round === 1) {
        const md5 = await md5File(dest);
        if (md5 !== created.input_file.md5) throw new Error(`${side} download: md5 ${md5}, the store has ${created.input_file.md5}`);
      }
      o.log(`  download round ${round} ${side.padEnd(5)}: ${s.toFixed(2)} s (${mbPerSecond(o.size, s).toFixed(0)} MB/s), client CPU ${cpu[cpu.length - 1].toFixed(2)} s`);
    }
    roundRatios.push(seconds[round - 1] / ours[round - 1].totalSeconds);
  }
  await rm(dest, { force: true });
  await emu.reset();
  const gib = o.size / 1024 ** 3;
  const oursMb = median(ours.map((t) => mbPerSecond(o.size, t.rangesSeconds)));
  const rawMb = median(seconds.map((s) => mbPerSecond(o.size, s)));
  const oursVerified = median(ours.map((t) => mbPerSecond(o.size, t.totalSeconds)));
  return {
    ours_implementation: 'src/transfer/protocols/datahubDownload.ts through the engine (node:http ranged GETs of src/transfer/rangedDownload.ts)',
    ours,
    raw_seconds: seconds,
    raw_cpu_seconds: cpu,
    ours_cpu_s_per_gib: median(ours.map((t) => t.rangesCpuSeconds)) / gib,
    raw_cpu_s_per_gib: median(cpu) / gib,
    ours_server_cpu_s_per_gib: median(ours.map((t) => t.rangesServerCpuSeconds)) / gib,
    raw_server_cpu_s_per_gib: median(serverCpu) / gib,
    ours_mb_s: oursMb,
    ours_with_verify_mb_s: oursVerified,
    raw_mb_s: rawMb,
    download_ratio: oursMb / rawMb,
    download_verified_ratio: oursVerified / rawMb,
    ours_total_cpu_s_per_gib: median(oursTotalCpu) / gib,
    ours_total_server_cpu_s_per_gib: median(oursTotalServer) / gib,
    round_ratios: roundRatios,
  };
}
