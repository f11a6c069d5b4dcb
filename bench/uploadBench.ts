// upload_ratio: the engine's PUT phase vs the raw node:http PUT loop, alternating, to the same emulator store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nowNs } from '../src/transfer/fileIdentity';
import { HashCache } from '../src/transfer/hashCache';
import { performance } from 'node:perf_hooks';
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
  /** md5sum of the same file (median seconds, CPU seconds per GiB): the hashing share of the sequential ideal. */
  md5sumSeconds: number;
  md5sumCpuSPerGib: number;
  log: (line: string) => void;
}

export interface UploadBenchResult {
  engine: EngineUploadTiming[];
  /** Raw loop init → complete answered, and its PUT phase alone. */
  rawSeconds: number[];
  rawPutSeconds: number[];
  rawCpuSeconds: number[];
  rawServerCpuSeconds: number[];
  /** Headline: md5sum + raw loop end to end (the sequential ideal) ÷ the engine's cold upload end to end. */
  upload_cold_ratio: number;
  /** The engine end to end (engine.add → completed) and the ideal, MB/s. */
  engine_total_mb_s: number;
  ideal_mb_s: number;
  /** The raw loop alone, init → complete. */
  raw_total_mb_s: number;
  /** CPU seconds per GiB over the whole upload: engine (hash pass included) vs raw loop + md5sum. */
  engine_total_cpu_s_per_gib: number;
  ideal_cpu_s_per_gib: number;
  raw_total_cpu_s_per_gib: number;
  engine_total_server_cpu_s_per_gib: number;
  raw_total_server_cpu_s_per_gib: number;
  /** Detail: the PUT phase alone (first part PUT → last answered) and its CPU. */
  engine_put_mb_s: number;
  raw_put_mb_s: number;
  upload_put_ratio: number;
  engine_put_cpu_s_per_gib: number;
  engine_server_cpu_s_per_gib: number;
  /** The same unchanged file again, its MD5 from the hash cache: engine end to end per round. */
  cached: EngineUploadTiming[];
  /** Headline: the raw loop end to end (no MD5 pass: it is known) ÷ the engine's upload of the cached file. */
  upload_cached_ratio: number;
  /** Median engine.add → first part PUT of the cached runs, ms (the issue: within 200 ms for 1 GiB). */
  cached_first_put_ms: number;
  engine_cached_mb_s: number;
  /** Detail: engine.add → last part PUT answered (hash pass + init + PUTs). */
  engine_with_md5_mb_s: number;
  /** ideal ÷ engine of the same round. */
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

async function engineRound(emu: BenchEmulator, o: UploadBenchOptions, hashCache?: HashCache): Promise<EngineUploadTiming> {
  await freshSubtask(emu);
  const timing = await uploadThroughEngine({ url: emu.url, partSize: o.partSize, partConcurrency: o.concurrency, hashCache }, o.path, SUBTASK, undefined, () => emu.cpuSeconds());
  const state = await emu.admin<{ objects?: StoredObject[] }>('GET', '/_emulator/state');
  const stored = state.objects?.find((x) => x.subtask_id === SUBTASK);
  if (!stored || stored.md5 !== o.md5 || stored.size !== o.size) throw new Error(`engine upload: the store holds ${JSON.stringify(stored)}, expected md5 ${o.md5}`);
  return timing;
}

/** The raw loop end to end: init, every part PUT, complete (the MD5 is known: hashing is md5sum's share of the ideal). */
async function rawRound(emu: BenchEmulator, o: UploadBenchOptions): Promise<{ seconds: number; putSeconds: number; cpu: number; serverCpu: number }> {
  await freshSubtask(emu);
  const client = new DatahubClient({ baseUrl: () => emu.url, token: async () => 'bench-token', logger: silentLogger });
  const cpu0 = cpuSeconds();
  const server0 = emu.cpuSeconds();
  const started = performance.now();
  const init = await client.initUpload({ subtask_id: SUBTASK, file_name: 'bench.bin', file_size: o.size, file_md5: o.md5, chunk_size: o.partSize });
  const urls = new Map(init.part_upload_urls.map((p) => [p.index, p.url]));
  const { seconds: putSeconds, etags } = await rawParallelPut({ path: o.path, size: o.size, partSize: o.partSize, concurrency: o.concurrency, urls, highWaterMark: o.rawHighWaterMark });
  if (etags.size !== urls.size) throw new Error(`raw upload: ${etags.size} ETags for ${urls.size} parts`);
  const parts = [...etags].sort((a, b) => a[0] - b[0]).map(([index, etag]) => ({ index, etag }));
  await client.completeUpload({ upload_id: init.upload_id, subtask_id: SUBTASK, file_name: 'bench.bin', parts });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, putSeconds, cpu: cpuSeconds() - cpu0, serverCpu: emu.cpuSeconds() - server0 };
}

export async function benchUpload(emu: BenchEmulator, o: UploadBenchOptions): Promise<UploadBenchResult> {
  const engine: EngineUploadTiming[] = [];
  const rawSeconds: number[] = [];
  const rawPut: number[] = [];
  const rawCpu: number[] = [];
  const rawServer: number[] = [];
  const roundRatios: number[] = [];
  const cached: EngineUploadTiming[] = [];
  // One cache for the cached runs, filled by an upload first (not timed): what a second upload of a file finds.
  const cache = new HashCache({ folder: mkdtempSync(join(tmpdir(), 'bench-hash-cache-')), nowNs: () => nowNs() + 60_000_000_000n });
  await engineRound(emu, o, cache);
  await cache.flush();
  for (let round = 1; round <= o.rounds; round++) {
    // Alternate who goes first: disk write-back of the previous run then hurts both sides alike.
    const order = round % 2 === 1 ? ['engine', 'raw'] : ['raw', 'engine'];
    for (const side of order) {
      if (side === 'engine') {
        const t = await engineRound(emu, o);
        engine.push(t);
        o.log(`  upload round ${round} engine: end to end ${t.totalSeconds.toFixed(2)} s (${mbPerSecond(o.size, t.totalSeconds).toFixed(0)} MB/s; PUT phase ${t.putSeconds.toFixed(2)} s), client CPU ${t.totalCpuSeconds.toFixed(2)} s, emulator ${t.totalServerCpuSeconds.toFixed(2)} s`);
        const c = await engineRound(emu, o, cache);
        cached.push(c);
        o.log(`  upload round ${round} engine, hash cached: end to end ${c.totalSeconds.toFixed(2)} s (${mbPerSecond(o.size, c.totalSeconds).toFixed(0)} MB/s; first part PUT after ${(c.firstPutSeconds * 1000).toFixed(0)} ms), client CPU ${c.totalCpuSeconds.toFixed(2)} s`);
      } else {
        const r = await rawRound(emu, o);
        rawSeconds.push(r.seconds);
        rawPut.push(r.putSeconds);
        rawCpu.push(r.cpu);
        rawServer.push(r.serverCpu);
        o.log(`  upload round ${round} raw:    end to end ${r.seconds.toFixed(2)} s (+ md5sum ${o.md5sumSeconds.toFixed(2)} s; PUT phase ${r.putSeconds.toFixed(2)} s), client CPU ${r.cpu.toFixed(2)} s, emulator ${r.serverCpu.toFixed(2)} s`);
      }
    }
    roundRatios.push((o.md5sumSeconds + rawSeconds[round - 1]) / engine[round - 1].totalSeconds);
  }
  const gib = o.size / 1024 ** 3;
  const engineTotal = median(engine.map((t) => mbPerSecond(o.size, t.totalSeconds)));
  const ideal = median(rawSeconds.map((s) => mbPerSecond(o.size, s + o.md5sumSeconds)));
  const enginePut = median(engine.map((t) => mbPerSecond(o.size, t.putSeconds)));
  const rawPutMb = median(rawPut.map((s) => mbPerSecond(o.size, s)));
  const rawTotalCpu = median(rawCpu) / gib;
  await emu.reset();
  return {
    engine,
    rawSeconds,
    rawPutSeconds: rawPut,
    rawCpuSeconds: rawCpu,
    rawServerCpuSeconds: rawServer,
    upload_cold_ratio: engineTotal / ideal,
    engine_total_mb_s: engineTotal,
    ideal_mb_s: ideal,
    raw_total_mb_s: median(rawSeconds.map((s) => mbPerSecond(o.size, s))),
    engine_total_cpu_s_per_gib: median(engine.map((t) => t.totalCpuSeconds)) / gib,
    ideal_cpu_s_per_gib: rawTotalCpu + o.md5sumCpuSPerGib,
    raw_total_cpu_s_per_gib: rawTotalCpu,
    engine_total_server_cpu_s_per_gib: median(engine.map((t) => t.totalServerCpuSeconds)) / gib,
    raw_total_server_cpu_s_per_gib: median(rawServer) / gib,
    engine_put_mb_s: enginePut,
    raw_put_mb_s: rawPutMb,
    upload_put_ratio: enginePut / rawPutMb,
    engine_put_cpu_s_per_gib: median(engine.map((t) => t.putCpuSeconds)) / gib,
    engine_server_cpu_s_per_gib: median(engine.map((t) => t.putServerCpuSeconds)) / gib,
    cached,
    upload_cached_ratio: median(cached.map((t) => mbPerSecond(o.size, t.totalSeconds))) / median(rawSeconds.map((s) => mbPerSecond(o.size, s))),
    engine_cached_mb_s: median(cached.map((t) => mbPerSecond(o.size, t.totalSeconds))),
    cached_first_put_ms: median(cached.map((t) => t.firstPutSeconds * 1000)),
    engine_with_md5_mb_s: median(engine.map((t) => mbPerSecond(o.size, t.withMd5Seconds))),
    round_ratios: roundRatios,
  };
}
