// Starts bench/emulatorChild.ts as a child process and talks to its admin API.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { adminClient } from '../test/unit/helpers/emulator';

export interface BenchEmulator {
  url: string;
  dataDir: string;
  admin<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** CPU seconds (user + system) the emulator process has used so far; NaN where /proc is missing. */
  cpuSeconds(): number;
  /** Empties the store (subtasks, uploads, objects, counters). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startBenchEmulator(dataDir: string): Promise<BenchEmulator> {
  // BENCH_EMULATOR_NODE_ARGS: extra node flags for the emulator alone, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const extra = (process.env.BENCH_EMULATOR_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...extra, '--import', 'tsx', join(__dirname, 'emulatorChild.ts'), dataDir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stdout = child.stdout;
  if (!stdout) throw new Error('emulator child has no stdout');
  const lines = createInterface({ input: stdout });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => String(line)),
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`emulator child exited with ${String(code)} before it listened`))),
  ]);
  const url = (JSON.parse(first) as { url: string }).url;
  const admin = adminClient(url);
  return {
    url,
    dataDir,
    admin,
    cpuSeconds: () => processCpuSeconds(child.pid),
    reset: async () => {
      await admin('POST', '/_emulator/reset');
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** utime + stime of a process from /proc/<pid>/stat (clock ticks of 1/100 s on Linux). */
function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at state; utime and stime are the 12th and 13th of them.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
