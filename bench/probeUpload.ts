// The upload's data path with and without the engine: part-PUT loops of src/transfer/dataPlane.ts
// putFileRange as a first run sends (part MD5s known from the MD5 pass) and as a resumed run sends
// (hashing while sending), the whole protocol through the engine, and the raw node:http loop; each
// with the client's and the emulator's CPU time.
// Run: node --import tsx bench/probeUpload.ts [MiB] [rounds]   (uses/creates bench/data/probe-<MiB>MiB.bin)
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatahubClient } from '../src/api/datahub/client';
import { keepAliveAgents } from '../src/api/http';
import { silentLogger } from '../src/api/logger';
import { putFileRange } from '../src/transfer/dataPlane';
import { md5FileAndParts } from '../src/transfer/md5';
import { planParts } from '../src/transfer/parts';
import { ensureDataFile } from './dataFiles';
import { startBenchEmulator } from './emulatorProcess';
import { cpuSeconds, uploadThroughEngine } from './engineUpload';
import { pool, rawParallelPut } from './rawPut';
import { MiB, mbPerSecond, median } from './stats';

const PART = 5 * MiB;
const CONC = 4;
const SUBTASK = 'probe';

/** One PUT phase: wall seconds, client and emulator CPU seconds. */
interface Measured {
  seconds: number;
  cpu: number;
  server: number;
}

type Variant = () => Promise<Measured>;

async function main(): Promise<void> {
  const sizeMiB = Number(process.argv[2] ?? 512);
  const rounds = Number(process.argv[3] ?? 3);
  const size = sizeMiB * MiB;
  const file = await ensureDataFile(join(__dirname, 'data', `probe-${sizeMiB}MiB.bin`), size, 'probe');
  const { md5, partMd5s } = await md5FileAndParts(file.path, { partSize: PART });
  const emu = await startBenchEmulator(join(__dirname, 'data', `emulator-probe-${process.pid}`));
  const client = new DatahubClient({ baseUrl: () => emu.url, token: async () => 't', logger: silentLogger });

  /** Inits the upload, then times `put` over its part URLs. */
  const partLoop =
    (put: (urls: Map<number, string>) => Promise<void>): Variant =>
      async () => {
        const init = await client.initUpload({ subtask_id: SUBTASK, file_name: 'p.bin', file_size: size, file_md5: md5, chunk_size: PART });
        const urls = new Map(init.part_upload_urls.map((p) => [p.index, p.url]));
        const cpu0 = cpuSeconds();
        const server0 = emu.cpuSeconds();
        const t0 = performance.now();
        await put(urls);
        return { seconds: (performance.now() - t0) / 1000, cpu: cpuSeconds() - cpu0, server: emu.cpuSeconds() - server0 };
      };
  /** putFileRange over every part, as the protocol calls it; `known` given = the first run's path. */
  const dataPlane = (known?: string[]): Variant => {
    const agents = keepAliveAgents(8);
    return partLoop(async (urls) => {
      const signal = new AbortController().signal;
      await pool(planParts(size, PART).parts, CONC, async (p) => {
        const url = urls.get(p.index) as string;
        const r = await putFileRange({ agents, service: 'datahub', url, path: file.path, start: p.start, end: p.end, signal, stallMs: 60_000, knownMd5: known?.[p.index - 1] });
        if (r.etag.replace(/"/g, '') !== r.md5) throw new Error(`part ${p.index}: ETag ${r.etag}, MD5 ${r.md5}`);
      });
    });
  };
  const variants: Record<string, Variant> = {
    'raw node:http, 1 MiB reads (baseline)': partLoop(async (urls) => {
      await rawParallelPut({ path: file.path, size, partSize: PART, concurrency: CONC, urls, highWaterMark: MiB });
    }),
    'putFileRange, knownMd5 (first run)': dataPlane(partMd5s),
    'putFileRange, hashing (resumed run)': dataPlane(),
    // The whole protocol (its own MD5 pass and init are outside the PUT window it reports).
    'engine + protocol, PUT phase': async () => {
      const t = await uploadThroughEngine({ url: emu.url, partSize: PART, partConcurrency: CONC }, file.path, SUBTASK, undefined, () => emu.cpuSeconds());
      return { seconds: t.putSeconds, cpu: t.putCpuSeconds, server: t.putServerCpuSeconds };
    },
  };
  const results: Record<string, { mb: number[]; cpu: number[]; server: number[] }> = {};
  const names = Object.keys(variants);
  const perGib = (x: number): number => (x * 1024) / sizeMiB;
  try {
    for (let round = 0; round < rounds; round++) {
      for (const name of round % 2 === 0 ? names : [...names].reverse()) {
        await emu.reset();
        await emu.admin('POST', '/_emulator/subtasks', { subtask_id: SUBTASK });
        const m = await variants[name]();
        const r = (results[name] ??= { mb: [], cpu: [], server: [] });
        r.mb.push(mbPerSecond(size, m.seconds));
        // CPU seconds per GiB sent: robust on a shared machine where wall time is noisy.
        r.cpu.push(perGib(m.cpu));
        r.server.push(perGib(m.server));
        process.stderr.write(`  ${name}: ${mbPerSecond(size, m.seconds).toFixed(0)} MB/s, client CPU ${perGib(m.cpu).toFixed(2)} s/GiB, emulator ${perGib(m.server).toFixed(2)}\n`);
      }
    }
  } finally {
    await emu.close();
    await rm(emu.dataDir, { recursive: true, force: true });
  }
  process.stdout.write(`\n${'variant'.padEnd(40)} ${'MB/s (median)'.padStart(14)} ${'client CPU s/GiB'.padStart(17)} ${'emulator CPU s/GiB'.padStart(19)}\n`);
  for (const name of names) {
    const r = results[name];
    process.stdout.write(`${name.padEnd(40)} ${median(r.mb).toFixed(0).padStart(14)} ${median(r.cpu).toFixed(2).padStart(17)} ${median(r.server).toFixed(2).padStart(19)}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
