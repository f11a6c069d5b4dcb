// upload_ratio: the engine's PUT phase vs the raw node:http PUT loop, alternating, to the same emulator store.
import { DatahubClient } from '../src/api/datahub/client';
import { silentLogger } from '../src/api/logger';
import type { BenchEmulator } from './emulatorProcess';
import { cpuSeconds, uploadThroughEngine, type EngineUploadTiming } from './engineUpload';
import { rawParallelPut } from './rawPut';
import { mbPerSecond, median } from './stats';

export interface UploadBenchOptions {
  path: string;
  size: number;
  md5: string;
  partSize: number;
  concurrency: number;
  rounds: number;
  /** Read size of the baseline's file streams. */
  rawHighWaterMark: number;
  log: (line: string) => void;
}

export interface UploadBenchResult {
  engine: EngineUploadTiming[];
  rawSeconds: number[];
  rawCpuSeconds: number[];
  rawServerCpuSeconds: number[];
  /** The emulator's CPU seconds per GiB received in the PUT phase (median), engine side and raw side. */
  engine_server_cpu_s_per_gib: number;
  raw_server_cpu_s_per_gib: number;
  /** Client CPU seconds per GiB sent in the PUT phase (median): steadier than wall time on a shared machine. */
  engine_put_cpu_s_per_gib: number;
  raw_put_cpu_s_per_gib: number;
  engine_put_mb_s: number;
  engine_with_md5_mb_s: number;
  engine_total_mb_s: number;
  raw_put_mb_s: number;
  upload_ratio: number;
  upload_ratio_with_md5: number;
  /** engine PUT MB/s ÷ raw MB/s of the same round. */
  round_ratios: number[];
}

const SUBTASK = 'bench-upload';

interface StoredObject {
  subtask_id: string;
  file_name: string;
  size: number;
  md5: string;
}

async function freshSubtask(emu: BenchEmulator): Promise<void> {
  await emu.reset();
  await emu.admin('POST', '/_emulator/subtasks', { subtask_id: SUBTASK });
}

async function engineRound(emu: BenchEmulator, o: UploadBenchOptions): Promise<EngineUploadTiming> {
  await freshSubtask(emu);
  const timing = await uploadThroughEngine({ url: emu.url, partSize: o.partSize, partConcurrency: o.concurrency }, o.path, SUBTASK, undefined, () => emu.cpuSeconds());
  const state = await emu.admin<{ objects?: StoredObject[] }>('GET', '/_emulator/state');
  const stored = state.objects?.find((x) => x.subtask_id === SUBTASK);
  if (!stored || stored.md5 !== o.md5 || stored.size !== o.size) throw new Error(`engine upload: the store holds ${JSON.stringify(stored)}, expected md5 ${o.md5}`);
  return timing;
}

async function rawRound(emu: BenchEmulator, o: UploadBenchOptions): Promise<{ seconds: number; cpu: number; serverCpu: number }> {
  await freshSubtask(emu);
  const client = new DatahubClient({ baseUrl: () => emu.url, token: async () => 'bench-token', logger: silentLogger });
  const init = await client.initUpload({ subtask_id: SUBTASK, file_name: 'bench.bin', file_size: o.size, file_md5: o.md5, chunk_size: o.partSize });
  const urls = new Map(init.part_upload_urls.map((p) => [p.index, p.url]));
  const cpu0 = cpuSeconds();
  const server0 = emu.cpuSeconds();
  const { seconds, etags } = await rawParallelPut({ path: o.path, size: o.size, partSize: o.partSize, concurrency: o.concurrency, urls, highWaterMark: o.rawHighWaterMark });
  if (etags.size !== urls.size) throw new Error(`raw upload: ${etags.size} ETags for ${urls.size} parts`);
  return { seconds, cpu: cpuSeconds() - cpu0, serverCpu: emu.cpuSeconds() - server0 };
}

export async function benchUpload(emu: BenchEmulator, o: UploadBenchOptions): Promise<UploadBenchResult> {
  const engine: EngineUploadTiming[] = [];
  const rawSeconds: number[] = [];
  const rawCpu: number[] = [];
  const rawServer: number[] = [];
  const roundRatios: number[] = [];
  for (let round = 1; round <= o.rounds; round++) {
    // Alternate who goes first: disk write-back of the previous run then hurts both sides alike.
    const order = round % 2 === 1 ? ['engine', 'raw'] : ['raw', 'engine'];
    for (const side of order) {
      if (side === 'engine') {
        const t = await engineRound(emu, o);
        engine.push(t);
        o.log(`  upload round ${round} engine: PUT ${t.putSeconds.toFixed(2)} s (${mbPerSecond(o.size, t.putSeconds).toFixed(0)} MB/s), with MD5 ${t.withMd5Seconds.toFixed(2)} s, total ${t.totalSeconds.toFixed(2)} s, PUT client CPU ${t.putCpuSeconds.toFixed(2)} s`);
      } else {
        const { seconds: s, cpu, serverCpu } = await rawRound(emu, o);
        rawSeconds.push(s);
        rawCpu.push(cpu);
        rawServer.push(serverCpu);
        o.log(`  upload round ${round} raw:    PUT ${s.toFixed(2)} s (${mbPerSecond(o.size, s).toFixed(0)} MB/s), client CPU ${cpu.toFixed(2)} s`);
      }
    }
    roundRatios.push(rawSeconds[round - 1] / engine[round - 1].putSeconds);
  }
  const enginePut = median(engine.map((t) => mbPerSecond(o.size, t.putSeconds)));
  const engineWithMd5 = median(engine.map((t) => mbPerSecond(o.size, t.withMd5Seconds)));
  const engineTotal = median(engine.map((t) => mbPerSecond(o.size, t.totalSeconds)));
  const raw = median(rawSeconds.map((s) => mbPerSecond(o.size, s)));
  const gib = o.size / (1024 * 1024 * 1024);
  await emu.reset();
  return {
    engine,
    rawSeconds,
    rawCpuSeconds: rawCpu,
    rawServerCpuSeconds: rawServer,
    engine_server_cpu_s_per_gib: median(engine.map((t) => t.putServerCpuSeconds)) / gib,
    raw_server_cpu_s_per_gib: median(rawServer) / gib,
    engine_put_cpu_s_per_gib: median(engine.map((t) => t.putCpuSeconds)) / gib,
    raw_put_cpu_s_per_gib: median(rawCpu) / gib,
    engine_put_mb_s: enginePut,
    engine_with_md5_mb_s: engineWithMd5,
    engine_total_mb_s: engineTotal,
    raw_put_mb_s: raw,
    upload_ratio: enginePut / raw,
    upload_ratio_with_md5: engineWithMd5 / raw,
    round_ratios: roundRatios,
  };
}
