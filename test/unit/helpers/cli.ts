// Runs the `datahub` CLI (src/cli/main.ts through tsx) as a child process, collecting its output.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { until } from './until';

const root = join(__dirname, '..', '..', '..');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `datahub <args>` from the repository root; `child` lets a test kill it, `done` settles when it exits. */
export function cli(args: string[]): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/**
 * Runs `datahub <args>` and kills it with SIGKILL (no chance to clean up) once `landed()` says enough has reached the
 * emulator, asked every `pollMs` for at least `polls` × `pollMs` (and never less than a minute: a loaded machine is
 * slow, not wrong); fails if the CLI ends first. Asserts the CLI died of that signal.
 */
export async function cliKilledOnce(args: string[], landed: () => Promise<boolean>, polls: number, pollMs: number): Promise<CliResult> {
  const run = cli(args);
  let exited: CliResult | undefined;
  void run.done.then((result) => (exited = result));
  await until('the CLI to get far enough to be killed', async () => {
    if (exited) throw new Error(`the CLI ended before it was killed (code ${exited.code}): ${exited.stderr}`);
    return (await landed()) ? true : undefined;
  }, Math.max(60_000, polls * pollMs), pollMs);
  run.child.kill('SIGKILL');
  const killed = await run.done;
  assert.equal(killed.signal, 'SIGKILL');
  return killed;
}
