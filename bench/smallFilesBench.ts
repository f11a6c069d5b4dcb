// Many small files: a folder of N × 4 KiB through the engine vs the raw three-call loop (init, PUT, complete)
// one at a time and at the engine's file concurrency, alternating, to the same emulator store.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchEmulator } from './emulatorProcess';
import { cpuSeconds, uploadThroughEngine, type EngineUploadTiming } from './engineUpload';
import { rawSmallFiles, type SmallFile } from './rawSmallFiles';
import { median } from './stats';

export interface SmallFilesBenchOptions {
  dataDir: string;
  count: number;
  fileBytes: number;
  /** Files in flight: the raw loop's second run and the engine's file concurrency. */
  concurrency: number;
  rounds: number;
  log: (line: string) => void;
}

interface RawRun {
  files_per_s: number;
  client_cpu_ms_per_file: number;
  emulator_cpu_ms_per_file: number;
  /** Median milliseconds per call (request → answer). */
  init_ms: number;
  put_ms: number;
  complete_ms: number;
}

export interface SmallFilesBenchResult {
  count: number;
  file_bytes: number;
  concurrency: number;
  /** Raw loop one file at a time (per-call latencies are the emulator's answer time plus one local round trip). */
  raw_serial: RawRun[];
  raw_parallel: RawRun[];
  engine: (EngineUploadTiming & { files_per_s: number })[];
  raw_serial_files_s: number;
  raw_parallel_files_s: number;
  engine_files_s: number;
  /** engine files/s ÷ raw files/s at the same concurrency. */
  small_files_ratio: number;
  engine_client_cpu_ms_per_file: number;
  raw_client_cpu_ms_per_file: number;
  engine_emulator_cpu_ms_per_file: number;
  raw_emulator_cpu_ms_per_file: number;
  serial_init_ms: number;
  serial_put_ms: number;
  serial_complete_ms: number;
}

const SUBTASK = 'bench-small';

/** The folder of small files (made once; kept with --keep like the other inputs). */
export async function ensureSmallFiles(dir: string, count: number, fileBytes: number): Promise<SmallFile[]> {
  const files: SmallFile[] = [];
  const perFolder = 250;
  for (let i = 0; i < count; i++) {
    const name = `d${String(Math.floor(i / perFolder)).padStart(2, '0')}/f${String(i).padStart(5, '0')}.bin`;
    files.push({ path: join(dir, name), name });
  }
  const present = existsSync(dir) ? (await readdir(dir, { recursive: true })).length : 0;
  if (present < count) {
    for (let i = 0; i < count; i++) {
      if (i % perFolder === 0) await mkdir(join(dir, `d${String(i / perFolder).padStart(2, '0')}`), { recursive: true });
      await writeFile(files[i].path, randomBytes(fileBytes));
    }
  }
  return files;
}

async function freshSubtask(emu: BenchEmulator): Promise<void> {
  await emu.reset();
  await emu.admin('POST', '/_emulator/subtasks', { subtask_id: SUBTASK });
}

async function checkStored(emu: BenchEmulator, count: number, side: string): Promise<void> {
  const state = await emu.admin<{ objects?: { subtask_id: string }[] }>('GET', '/_emulator/state');
  const stored = (state.objects ?? []).filter((o) => o.subtask_id === SUBTASK).length;
  if (stored !== count) throw new Error(`${side}: the store holds ${stored} objects, expected ${count}`);
}

async function rawRun(emu: BenchEmulator, files: SmallFile[], concurrency: number): Promise<RawRun> {
  await freshSubtask(emu);
  const cpu0 = cpuSeconds();
  const server0 = emu.cpuSeconds();
  const r = await rawSmallFiles(emu.url, SUBTASK, files, concurrency);
  const cpu = cpuSeconds() - cpu0;
  const server = emu.cpuSeconds() - server0;
  await checkStored(emu, files.length, `raw loop ×${concurrency}`);
  return {
    files_per_s: files.length / r.seconds,
    client_cpu_ms_per_file: (cpu * 1000) / files.length,
    emulator_cpu_ms_per_file: (server * 1000) / files.length,
    init_ms: median(r.initMs),
    put_ms: median(r.putMs),
    complete_ms: median(r.completeMs),
  };
}

export async function benchSmallFiles(emu: BenchEmulator, o: SmallFilesBenchOptions): Promise<SmallFilesBenchResult> {
  const files = await ensureSmallFiles(join(o.dataDir, `small-${o.count}x${o.fileBytes}`), o.count, o.fileBytes);
  const serial: RawRun[] = [];
  const parallel: RawRun[] = [];
  const engine: (EngineUploadTiming & { files_per_s: number })[] = [];
  for (let round = 1; round <= o.rounds; round++) {
    const order = round % 2 === 1 ? ['engine', 'raw'] : ['raw', 'engine'];
    for (const side of order) {
      if (side === 'engine') {
        await freshSubtask(emu);
        const t = await uploadThroughEngine({ url: emu.url, partSize: 5 * 1024 * 1024, partConcurrency: 4, fileConcurrency: o.concurrency }, files, SUBTASK, undefined, () => emu.cpuSeconds());
        await checkStored(emu, files.length, 'engine');
        engine.push({ ...t, files_per_s: files.length / t.totalSeconds });
        o.log(`  small files round ${round} engine: ${(files.length / t.totalSeconds).toFixed(0)} files/s, client CPU ${((t.totalCpuSeconds * 1000) / files.length).toFixed(2)} ms/file, emulator ${((t.totalServerCpuSeconds * 1000) / files.length).toFixed(2)} ms/file`);
      } else {
        const s = await rawRun(emu, files, 1);
        serial.push(s);
        const p = await rawRun(emu, files, o.concurrency);
        parallel.push(p);
        o.log(
          `  small files round ${round} raw: ×1 ${s.files_per_s.toFixed(0)} files/s (init ${s.init_ms.toFixed(2)} ms, PUT ${s.put_ms.toFixed(2)} ms, complete ${s.complete_ms.toFixed(2)} ms), ` +
            `×${o.concurrency} ${p.files_per_s.toFixed(0)} files/s, client CPU ${p.client_cpu_ms_per_file.toFixed(2)} ms/file, emulator ${p.emulator_cpu_ms_per_file.toFixed(2)} ms/file`,
        );
      }
    }
  }
  await emu.reset();
  const engineFiles = median(engine.map((e) => e.files_per_s));
  const rawParallel = median(parallel.map((p) => p.files_per_s));
  return {
    count: o.count,
    file_bytes: o.fileBytes,
    concurrency: o.concurrency,
    raw_serial: serial,
    raw_parallel: parallel,
    engine,
    raw_serial_files_s: median(serial.map((s) => s.files_per_s)),
    raw_parallel_files_s: rawParallel,
    engine_files_s: engineFiles,
    small_files_ratio: engineFiles / rawParallel,
    engine_client_cpu_ms_per_file: median(engine.map((e) => (e.totalCpuSeconds * 1000) / o.count)),
    raw_client_cpu_ms_per_file: median(parallel.map((p) => p.client_cpu_ms_per_file)),
    engine_emulator_cpu_ms_per_file: median(engine.map((e) => (e.totalServerCpuSeconds * 1000) / o.count)),
    raw_emulator_cpu_ms_per_file: median(parallel.map((p) => p.emulator_cpu_ms_per_file)),
    serial_init_ms: median(serial.map((s) => s.init_ms)),
    serial_put_ms: median(serial.map((s) => s.put_ms)),
    serial_complete_ms: median(serial.map((s) => s.complete_ms)),
  };
}
