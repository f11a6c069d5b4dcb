// Probe, run by hand: the raw three-call loop (init, PUT, complete) over N small files against the emulator in a
// child process, one at a time and 8 in flight; per-call answer times and the emulator's CPU per file.
// `node --import tsx bench/probeSmallFiles.ts [files=2000]`; profile the emulator with NODE_OPTIONS=--cpu-prof.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startBenchEmulator } from './emulatorProcess';
import { rawSmallFiles } from './rawSmallFiles';
import { ensureSmallFiles } from './smallFilesBench';
import { median } from './stats';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 2000);
  const emuDir = join(__dirname, 'data', `probe-emulator-${process.pid}`);
  const emu = await startBenchEmulator(emuDir);
  try {
    const files = await ensureSmallFiles(join(__dirname, 'data', `small-${count}x4096`), count, 4096);
    for (const concurrency of [1, 8]) {
      await emu.reset();
      await emu.admin('POST', '/_emulator/subtasks', { subtask_id: 'probe' });
      const server0 = emu.cpuSeconds();
      const r = await rawSmallFiles(emu.url, 'probe', files, concurrency);
      const serverMs = ((emu.cpuSeconds() - server0) * 1000) / count;
      process.stdout.write(
        `×${concurrency}: ${(count / r.seconds).toFixed(0)} files/s; median init ${median(r.initMs).toFixed(2)} ms, PUT ${median(r.putMs).toFixed(2)} ms, ` +
          `complete ${median(r.completeMs).toFixed(2)} ms; emulator CPU ${serverMs.toFixed(2)} ms/file\n`,
      );
    }
  } finally {
    await emu.close();
    await rm(emuDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
