// A folder of large files end to end: one engine upload of the folder vs the raw loop uploading the same files
// (init, part PUTs, complete each; MD5s known), both with the same files and parts in flight, alternating, to the
// same emulator store.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatahubClient } from '../src/api/datahub/client';
import { silentLogger } from '../src/api/logger';
import { md5File } from '../src/transfer/md5';
import { ensureDataFile } from './dataFiles';
import type { BenchEmulator } from './emulatorProcess';
import { cpuSeconds, uploadThroughEngine, type EngineUploadTiming } from './engineUpload';
import { pool, rawUploadFile, type RawFile } from './rawPut';
import { mbPerSecond, median } from './stats';

export interface FolderBenchOptions {
  dataDir: string;
  files: number;
  fileBytes: number;
  partSize: number;
  concurrency: number;
  /** Files in flight, on both sides: the engine's fileConcurrency, the raw loop's pool of files. */
  fileConcurrency: number;
  rounds: number;
  log: (line: string) => void;
}

export interface FolderBenchResult {
  files: number;
  file_bytes: number;
  engine: EngineUploadTiming[];
  raw_seconds: number[];
  raw_cpu_seconds: number[];
  raw_server_cpu_seconds: number[];
  engine_mb_s: number;
  raw_mb_s: number;
  /** Headline: engine end to end (MD5 passes included) ÷ raw loop (no hashing). */
  folder_ratio: number;
  engine_cpu_s_per_gib: number;
  raw_cpu_s_per_gib: number;
  engine_server_cpu_s_per_gib: number;
  raw_server_cpu_s_per_gib: number;
}

const SUBTASK = 'bench-folder';

/** The folder's files (made once, each with its own content) and their MD5s. */
export async function ensureFolder(dir: string, count: number, fileBytes: number): Promise<RawFile[]> {
  const files: RawFile[] = [];
  for (let i = 0; i < count; i++) {
    const name = `part-${i}.bin`;
    const made = await ensureDataFile(join(dir, name), fileBytes, `folder-${i}`);
    files.push({ path: made.path, name: `folder/${name}`, size: fileBytes, md5: await md5File(made.path) });
  }
  return files;
}

async function freshSubtask(emu: BenchEmulator): Promise<void> {
  await emu.reset();
  await emu.admin('POST', '/_emulator/subtasks', { subtask_id: SUBTASK });
}

async function checkStored(emu: BenchEmulator, files: RawFile[], side: string): Promise<void> {
  const state = await emu.admin<{ objects?: { subtask_id: string; file_name: string; md5: string }[] }>('GET', '/_emulator/state');
  for (const f of files) {
    const stored = state.objects?.find((o) => o.subtask_id === SUBTASK && o.file_name === f.name);
    if (stored?.md5 !== f.md5) throw new Error(`${side}: the store holds ${JSON.stringify(stored)} for ${f.name}, expected md5 ${f.md5}`);
  }
}

export async function benchFolder(emu: BenchEmulator, o: FolderBenchOptions): Promise<FolderBenchResult> {
  const files = await ensureFolder(join(o.dataDir, `folder-${o.files}x${o.fileBytes}`), o.files, o.fileBytes);
  const total = o.files * o.fileBytes;
  const gib = total / 1024 ** 3;
  const engine: EngineUploadTiming[] = [];
  const rawSeconds: number[] = [];
  const rawCpu: number[] = [];
  const rawServer: number[] = [];
  const client = new DatahubClient({ baseUrl: () => emu.url, token: async () => 'bench-token', logger: silentLogger });
  for (let round = 1; round <= o.rounds; round++) {
    const order = round % 2 === 1 ? ['engine', 'raw'] : ['raw', 'engine'];
    for (const side of order) {
      await freshSubtask(emu);
      if (side === 'engine') {
        const t = await uploadThroughEngine({ url: emu.url, partSize: o.partSize, partConcurrency: o.concurrency, fileConcurrency: o.fileConcurrency }, files.map((f) => ({ path: f.path, name: f.name })), SUBTASK, undefined, () => emu.cpuSeconds());
        await checkStored(emu, files, 'engine');
        engine.push(t);
        o.log(`  folder round ${round} engine: ${t.totalSeconds.toFixed(2)} s (${mbPerSecond(total, t.totalSeconds).toFixed(0)} MB/s), client CPU ${t.totalCpuSeconds.toFixed(2)} s, emulator ${t.totalServerCpuSeconds.toFixed(2)} s`);
      } else {
        const cpu0 = cpuSeconds();
        const server0 = emu.cpuSeconds();
        const started = performance.now();
        await pool(files, o.fileConcurrency, (f) => rawUploadFile(client, SUBTASK, f, o.partSize, o.concurrency, 1024 * 1024));
        const s = (performance.now() - started) / 1000;
        await checkStored(emu, files, 'raw loop');
        rawSeconds.push(s);
        rawCpu.push(cpuSeconds() - cpu0);
        rawServer.push(emu.cpuSeconds() - server0);
        o.log(`  folder round ${round} raw:    ${s.toFixed(2)} s (${mbPerSecond(total, s).toFixed(0)} MB/s), client CPU ${rawCpu[rawCpu.length - 1].toFixed(2)} s`);
      }
    }
  }
  await emu.reset();
  const engineMb = median(engine.map((t) => mbPerSecond(total, t.totalSeconds)));
  const rawMb = median(rawSeconds.map((s) => mbPerSecond(total, s)));
  return {
    files: o.files,
    file_bytes: o.fileBytes,
    engine,
    raw_seconds: rawSeconds,
    raw_cpu_seconds: rawCpu,
    raw_server_cpu_seconds: rawServer,
    engine_mb_s: engineMb,
    raw_mb_s: rawMb,
    folder_ratio: engineMb / rawMb,
    engine_cpu_s_per_gib: median(engine.map((t) => t.totalCpuSeconds)) / gib,
    raw_cpu_s_per_gib: median(rawCpu) / gib,
    engine_server_cpu_s_per_gib: median(engine.map((t) => t.totalServerCpuSeconds)) / gib,
    raw_server_cpu_s_per_gib: median(rawServer) / gib,
  };
}
