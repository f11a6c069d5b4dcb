// Finding the upload gap: times part-PUT loops that differ in one thing each (HTTP stack, read size,
// per-part MD5, axios maxBodyLength) against the same emulator, with the client's CPU time.
// Run: node --import tsx bench/probeUpload.ts [MiB] [rounds]   (uses/creates bench/data/probe-<MiB>MiB.bin)
import * as http from 'node:http';
import * as https from 'node:https';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatahubClient } from '../src/api/datahub/client';
import { createDataAxios } from '../src/api/http';
import { silentLogger } from '../src/api/logger';
import { putFileRange } from '../src/transfer/dataPlane';
import { md5File } from '../src/transfer/md5';
import { planParts } from '../src/transfer/parts';
import { ensureDataFile } from './dataFiles';
import { startBenchEmulator } from './emulatorProcess';
import { md5FileWithParts } from './prototypes/md5WithParts';
import { putFileRangeHttp } from './prototypes/putRangeHttp';
import { pool, rawParallelPut } from './rawPut';
import { MiB, mbPerSecond, median } from './stats';

type Variant = (path: string, size: number, urls: Map<number, string>) => Promise<void>;

const PART = 5 * MiB;
const CONC = 4;

function loop(put: (url: string, path: string, start: number, end: number, signal: AbortSignal) => Promise<unknown>): Variant {
  return async (path, size, urls) => {
    const signal = new AbortController().signal;
    await pool(planParts(size, PART).parts, CONC, async (p) => {
      await put(urls.get(p.index) as string, path, p.start, p.end, signal);
    });
  };
}

function axiosVariant(maxBodyLength: number): Variant {
  const data = createDataAxios(8);
  data.defaults.maxBodyLength = maxBodyLength;
  return loop((url, path, start, end, signal) => putFileRange({ http: data, service: 'datahub', url, path, start, end, signal, stallMs: 60_000, onBytes: () => undefined }));
}

function httpVariant(hash: boolean): Variant {
  const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 8 }), https: new https.Agent({ keepAlive: true, maxSockets: 8 }) };
  return loop((url, path, start, end, signal) => putFileRangeHttp({ agents, service: 'datahub', url, path, start, end, signal, stallMs: 60_000, hash, onBytes: () => undefined }));
}

const variants: Record<string, Variant> = {
  'raw http, 64 KiB reads': async (path, size, urls) => {
    await rawParallelPut({ path, size, partSize: PART, concurrency: CONC, urls, highWaterMark: 64 * 1024 });
  },
  'raw http, 1 MiB reads': async (path, size, urls) => {
    await rawParallelPut({ path, size, partSize: PART, concurrency: CONC, urls, highWaterMark: MiB });
  },
  'dataPlane putFileRange (axios, as is)': axiosVariant(Infinity),
  'putFileRange, axios maxBodyLength -1': axiosVariant(-1),
  'prototype node:http + MD5 tap': httpVariant(true),
  'prototype node:http, no MD5': httpVariant(false),
};

async function main(): Promise<void> {
  const sizeMiB = Number(process.argv[2] ?? 512);
  const rounds = Number(process.argv[3] ?? 3);
  const only = process.argv[4]?.split(',');
  const size = sizeMiB * MiB;
  const file = await ensureDataFile(join(__dirname, 'data', `probe-${sizeMiB}MiB.bin`), size, 'probe');
  const md5 = await md5File(file.path);
  const emu = await startBenchEmulator(join(__dirname, 'data', `emulator-probe-${process.pid}`));
  const client = new DatahubClient({ baseUrl: () => emu.url, token: async () => 't', logger: silentLogger });
  const results: Record<string, { mb: number[]; cpu: number[] }> = {};
  const names = Object.keys(variants).filter((_n, i) => !only || only.includes(String(i)));
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        await emu.reset();
        await emu.admin('POST', '/_emulator/subtasks', { subtask_id: 'probe' });
        const init = await client.initUpload({ subtask_id: 'probe', file_name: 'p.bin', file_size: size, file_md5: md5, chunk_size: PART });
        const urls = new Map(init.part_upload_urls.map((p) => [p.index, p.url]));
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        await variants[name](file.path, size, urls);
        const seconds = (performance.now() - t0) / 1000;
        const cpu = process.cpuUsage(cpu0);
        const r = (results[name] ??= { mb: [], cpu: [] });
        r.mb.push(mbPerSecond(size, seconds));
        // Client CPU seconds per GiB sent: robust on a shared machine where wall time is noisy.
        r.cpu.push(((cpu.user + cpu.system) / 1e6) * (1024 / sizeMiB));
        process.stderr.write(`  ${name}: ${mbPerSecond(size, seconds).toFixed(0)} MB/s, client CPU ${r.cpu[r.cpu.length - 1].toFixed(2)} s/GiB\n`);
      }
    }
  } finally {
    await emu.close();
    await import('node:fs/promises').then((fs) => fs.rm(emu.dataDir, { recursive: true, force: true }));
  }
  // The other half of the proposal: what hashing the parts in the MD5 pass costs there.
  const passes: Record<string, number[]> = { md5File: [], 'md5FileWithParts (prototype)': [] };
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of [
      ['md5File', () => md5File(file.path)],
      ['md5FileWithParts (prototype)', () => md5FileWithParts(file.path, PART)],
    ] as const) {
      const cpu0 = process.cpuUsage();
      await fn();
      const c = process.cpuUsage(cpu0);
      passes[name].push(((c.user + c.system) / 1e6) * (1024 / sizeMiB));
    }
  }
  const check = await md5FileWithParts(file.path, PART);
  if (check.md5 !== md5) throw new Error('md5FileWithParts disagrees with md5File');
  for (const [name, cpu] of Object.entries(passes)) process.stdout.write(`MD5 pass ${name}: ${median(cpu).toFixed(2)} s CPU/GiB\n`);
  process.stdout.write(`\n${'variant'.padEnd(40)} ${'MB/s (median)'.padStart(14)} ${'client CPU s/GiB'.padStart(17)}\n`);
  for (const name of names) {
    const r = results[name];
    process.stdout.write(`${name.padEnd(40)} ${median(r.mb).toFixed(0).padStart(14)} ${median(r.cpu).toFixed(2).padStart(17)}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
