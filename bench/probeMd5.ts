// Finding the MD5 gap: md5File vs reused-buffer reads of several sizes vs md5sum, CPU seconds per GiB.
// Run: node --import tsx bench/probeMd5.ts FILE [rounds]
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { promisify } from 'node:util';
import { md5File } from '../src/transfer/md5';
import { md5FileReuse } from './prototypes/md5Reuse';
import { median } from './stats';

const run = promisify(execFile);

async function main(): Promise<void> {
  const path = process.argv[2];
  const rounds = Number(process.argv[3] ?? 3);
  const gib = statSync(path).size / 1024 ** 3;
  const variants: Record<string, () => Promise<string>> = {
    'md5File (stream, 4 MiB chunks)': () => md5File(path),
    'reused buffer 64 KiB': () => md5FileReuse(path, 64 * 1024),
    'reused buffer 256 KiB': () => md5FileReuse(path, 256 * 1024),
    'reused buffer 1 MiB': () => md5FileReuse(path, 1024 * 1024),
    'reused buffer 4 MiB': () => md5FileReuse(path, 4 * 1024 * 1024),
  };
  const cpu: Record<string, number[]> = {};
  const sum: number[] = [];
  let expected = '';
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(variants)) {
      const c = process.cpuUsage();
      const md5 = await fn();
      const u = process.cpuUsage(c);
      if (expected && md5 !== expected) throw new Error(`${name}: ${md5} != ${expected}`);
      expected = md5;
      (cpu[name] ??= []).push((u.user + u.system) / 1e6 / gib);
    }
    const { stdout } = await run('bash', ['-c', 'md5sum "$1" >/dev/null; times', 'x', path]);
    const m = stdout.trim().split('\n').pop()?.split(/\s+/).map((x) => /^(\d+)m([\d.]+)s$/.exec(x)).map((x) => (x ? Number(x[1]) * 60 + Number(x[2]) : 0)) ?? [0, 0];
    sum.push((m[0] + m[1]) / gib);
  }
  for (const [name, list] of Object.entries(cpu)) process.stdout.write(`${name.padEnd(34)} ${median(list).toFixed(2)} s CPU/GiB\n`);
  process.stdout.write(`${'md5sum'.padEnd(34)} ${median(sum).toFixed(2)} s CPU/GiB\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
