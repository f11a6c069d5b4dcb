// Finding the download gap: the protocol through the engine vs the data path alone (downloadToFile of
// src/transfer/rangedDownload.ts) vs the raw node:http loop, client CPU seconds per GiB.
// Run: node --import tsx bench/probeDownload.ts [MiB] [rounds]   (add --cpu-prof before --import to profile)
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatahubClient } from '../src/api/datahub/client';
import { destroyAgents, keepAliveAgents } from '../src/api/http';
import { silentLogger } from '../src/api/logger';
import { downloadToFile } from '../src/transfer/rangedDownload';
import { downloadThroughEngine } from './engineDownload';
import { cpuSeconds } from './engineUpload';
import { startBenchEmulator } from './emulatorProcess';
import { rawRangedDownload } from './rangedDownload';
import { MiB, mbPerSecond, median } from './stats';

const PART = 5 * MiB;
const CONC = 4;

async function main(): Promise<void> {
  const sizeMiB = Number(process.argv[2] ?? 512);
  const rounds = Number(process.argv[3] ?? 3);
  const size = sizeMiB * MiB;
  const dataDir = join(__dirname, 'data');
  const emu = await startBenchEmulator(join(dataDir, `emulator-probe-${process.pid}`));
  const dest = join(dataDir, 'probe-download.bin');
  try {
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: 'probe-dl', input_file: { name: 'p.bin', size, seed: 'probe' } });
    const client = new DatahubClient({ baseUrl: () => emu.url, token: async () => 't', logger: silentLogger });
    const variants: Record<string, () => Promise<void>> = {
      'protocol through the engine': async () => {
        await downloadThroughEngine(emu.url, 'probe-dl', dataDir, 'probe-download.bin', PART, CONC);
      },
      'downloadToFile (data path alone)': async () => {
        const { download_url: url } = await client.presignDownload('probe-dl');
        const a = keepAliveAgents(8);
        await downloadToFile({ url, path: dest, concurrency: CONC, partSize: PART, agents: a });
        destroyAgents(a);
      },
      'raw node:http loop': async () => {
        const { download_url: url } = await client.presignDownload('probe-dl');
        await rawRangedDownload({ url, size, partSize: PART, concurrency: CONC, dest });
      },
    };
    const out: Record<string, { mb: number[]; cpu: number[] }> = {};
    for (let r = 0; r < rounds; r++) {
      const names = Object.keys(variants);
      for (const name of r % 2 === 0 ? names : names.reverse()) {
        await rm(dest, { force: true });
        const c0 = cpuSeconds();
        const t0 = performance.now();
        await variants[name]();
        const s = (performance.now() - t0) / 1000;
        const entry = (out[name] ??= { mb: [], cpu: [] });
        entry.mb.push(mbPerSecond(size, s));
        entry.cpu.push(((cpuSeconds() - c0) * 1024) / sizeMiB);
      }
    }
    for (const [name, e] of Object.entries(out)) process.stdout.write(`${name.padEnd(36)} ${median(e.mb).toFixed(0).padStart(5)} MB/s ${median(e.cpu).toFixed(2)} s CPU/GiB\n`);
  } finally {
    await rm(dest, { force: true });
    await emu.close();
    await rm(emu.dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
