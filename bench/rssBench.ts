// rss_growth_mib: peak RSS growth of a child process that uploads a large file through the engine.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BenchEmulator } from './emulatorProcess';

const run = promisify(execFile);

export interface RssBenchResult {
  file_bytes: number;
  baseline_mib: number;
  peak_mib: number;
  rss_growth_mib: number;
  rss_limit_mib: number;
  growth_by_phase_mib: Record<string, number>;
  seconds: number;
}

export async function benchRss(emu: BenchEmulator, path: string, size: number, partSize: number, concurrency: number): Promise<RssBenchResult> {
  await emu.reset();
  await emu.admin('POST', '/_emulator/subtasks', { subtask_id: 'bench-rss' });
  const args = JSON.stringify({ url: emu.url, path, subtaskId: 'bench-rss', partSize, concurrency });
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(__dirname, 'rssChild.ts'), args], { maxBuffer: 1024 * 1024 });
  const r = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
    baseline_mib: number;
    peak_mib: number;
    growth_mib: number;
    growth_by_phase_mib: Record<string, number>;
    seconds: number;
  };
  await emu.reset();
  return {
    file_bytes: size,
    baseline_mib: r.baseline_mib,
    peak_mib: r.peak_mib,
    rss_growth_mib: r.growth_mib,
    rss_limit_mib: (concurrency * partSize) / (1024 * 1024) + 64,
    growth_by_phase_mib: r.growth_by_phase_mib,
    seconds: r.seconds,
  };
}
