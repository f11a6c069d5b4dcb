// rss_growth_mib: peak RSS growth of a child process that uploads a large file through the engine, and of one that
// downloads a subtask input of the same size.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
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

/**
 * `upload`: `path` (a file of `size` bytes) is uploaded. `download`: a subtask input of `size` bytes, made by the
 * emulator, is downloaded to `path` (deleted afterwards).
 */
export async function benchRss(emu: BenchEmulator, mode: 'upload' | 'download', path: string, size: number, partSize: number, concurrency: number): Promise<RssBenchResult> {
  await emu.reset();
  await emu.admin('POST', '/_emulator/subtasks', mode === 'upload' ? { subtask_id: 'bench-rss' } : { subtask_id: 'bench-rss', input_file: { name: 'rss.bin', size, seed: 'rss' } });
  const args = JSON.stringify({ mode, url: emu.url, path, subtaskId: 'bench-rss', partSize, concurrency });
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(__dirname, 'rssChild.ts'), args], { maxBuffer: 1024 * 1024 });
  const r = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
    baseline_mib: number;
    peak_mib: number;
    growth_mib: number;
    growth_by_phase_mib: Record<string, number>;
    seconds: number;
  };
  await emu.reset();
  if (mode === 'download') await rm(path, { force: true });
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
