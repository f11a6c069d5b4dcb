// `npm run test:stress -- [N] [--tiers=unit,integration|all] [--shuffle] [--isolate[=test]] [--files=PREFIX]`: runs the
// unit and integration tiers N times (default 3) while another process keeps one core busy, and reports each run's
// result and which tests failed; `--tiers=all` runs the whole `npm test` (every stage, e2e included) N times. --shuffle runs the unit files in a new random order each time; --isolate runs each
// unit file alone, --isolate=test each unit test alone (slow: one process per test); --files limits the unit files.
// A flake found here is fixed at its root (a wait on a state or an event), never with a retry.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from './lib/proc.mjs';

const TIERS = ['unit', 'integration', 'all'];

function parseArgs(argv) {
  const options = { runs: 3, tiers: TIERS, shuffle: false, isolate: false, each: false, files: '' };
  for (const arg of argv) {
    if (/^\d+$/.test(arg)) options.runs = Number(arg);
    else if (arg.startsWith('--tiers=')) options.tiers = arg.slice('--tiers='.length).split(',').filter(Boolean);
    else if (arg === '--shuffle') options.shuffle = true;
    else if (arg === '--isolate') options.isolate = true;
    else if (arg === '--isolate=test') options.isolate = options.each = true;
    else if (arg.startsWith('--files=')) options.files = arg.slice('--files='.length);
    else throw new Error(`unknown argument ${arg} (known: N, --tiers=unit,integration, --shuffle, --isolate[=test], --files=PREFIX)`);
  }
  if (options.runs < 1) throw new Error('N must be at least 1');
  for (const tier of options.tiers) if (!TIERS.includes(tier)) throw new Error(`unknown tier ${tier} (known: ${TIERS.join(', ')})`);
  return options;
}

/** One core kept busy by a child process until stop() (what a second job on a CI machine does). */
function busyCore() {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  return { stop: () => child.kill('SIGKILL') };
}

/** Runs a command, its output kept (and streamed when `echo`); resolves with the exit code and the output. */
function runCaptured(command, args, { echo = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (d) => {
        output += d;
        if (echo) process.stdout.write(d);
      });
    }
    child.on('error', (err) => resolve({ code: 1, output: output + String(err) }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

function unitFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.test.ts')) files.push(relative(repoRoot, path));
    }
  };
  walk(join(repoRoot, 'test', 'unit'));
  return files.sort();
}

function shuffled(list) {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** mocha on `files` (the .mocharc.json set when none), with the JSON reporter: passes, failures and their titles. */
async function mocha(files, extra = []) {
  const config = JSON.parse(readFileSync(join(repoRoot, '.mocharc.json'), 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'datahub-stress-'));
  const report = join(dir, 'report.json');
  const args = [join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js')];
  if (files) args.push('--no-config', ...config.require.flatMap((r) => ['--require', r]), '--timeout', String(config.timeout), ...files);
  args.push(...extra, '--reporter', 'json', '--reporter-option', `output=${report}`);
  const { code, output } = await runCaptured(process.execPath, args);
  try {
    const result = JSON.parse(readFileSync(report, 'utf8'));
    return { code, passed: result.stats.passes, titles: result.tests.map((t) => t.fullTitle), failed: result.failures.map((f) => ({ title: f.fullTitle, message: String(f.err?.message ?? '').split('\n')[0] })) };
  } catch {
    return { code, passed: 0, failed: [{ title: 'mocha', message: `ended (code ${code}) without a report: ${output.slice(-1500)}` }] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function unitTier(options) {
  const files = unitFiles().filter((f) => f.startsWith(options.files));
  if (options.isolate) {
    let passed = 0;
    const failed = [];
    for (const file of shuffled(files)) {
      if (!options.each) {
        const result = await mocha([file]);
        passed += result.passed;
        failed.push(...result.failed.map((f) => ({ ...f, title: `${f.title} (${file} alone)` })));
        continue;
      }
      // Each test of the file alone: its full title, matched as a fixed string.
      const { titles } = await mocha([file], ['--dry-run']);
      for (const title of shuffled(titles ?? [])) {
        const result = await mocha([file], ['--fgrep', title]);
        passed += result.passed;
        failed.push(...result.failed.map((f) => ({ ...f, title: `${f.title} (alone)` })));
      }
    }
    return { passed, failed };
  }
  if (options.files) return mocha(options.shuffle ? shuffled(files) : files);
  return mocha(options.shuffle ? shuffled(files) : undefined);
}

async function integrationTier() {
  const { code, output } = await runCaptured(process.execPath, [join(repoRoot, 'scripts', 'run-integration.mjs'), '--no-build']);
  const counts = /^(\d+) passed, (\d+) failed/m.exec(output);
  const titles = [...new Set(output.split('\n').filter((l) => /^\s*✗ /.test(l)).map((l) => l.trim().slice(2)))];
  const failed = titles.map((title) => ({ title, message: '' }));
  if (code !== 0 && failed.length === 0) failed.push({ title: 'run-integration', message: `ended with code ${code}: ${output.trim().split('\n').slice(-5).join(' | ')}` });
  return { passed: counts ? Number(counts[1]) : 0, failed };
}

/** The whole `npm test`; a failed run's output is kept in a file named in the report. */
async function wholeRun(run) {
  const { code, output } = await runCaptured(process.execPath, [join(repoRoot, 'scripts', 'test-all.mjs')]);
  const total = /^(\d+) passed, (\d+) failed/m.exec(output.split('\n').slice(-6).join('\n'));
  const titles = [...new Set(output.split('\n').filter((l) => /^\s*(✗|\d+\)) /.test(l)).map((l) => l.trim()))];
  const failed = code === 0 ? [] : titles.map((title) => ({ title, message: '' }));
  if (code !== 0) {
    const log = join(tmpdir(), `datahub-stress-run-${run}-${Date.now()}.log`);
    writeFileSync(log, output);
    failed.push({ title: 'npm test', message: `ended with code ${code}; its output is in ${log}` });
  }
  return { passed: total ? Number(total[1]) : 0, failed };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const build = await runCaptured(process.execPath, ['esbuild.mjs'], { echo: true });
  if (build.code !== 0) throw new Error('the build failed');
  const results = [];
  const busy = busyCore();
  const stop = () => {
    busy.stop();
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for (let run = 1; run <= options.runs; run++) {
      for (const tier of options.tiers) {
        const started = Date.now();
        const loadBefore = loadavg()[0];
        const result = tier === 'unit' ? await unitTier(options) : tier === 'integration' ? await integrationTier() : await wholeRun(run);
        const seconds = (Date.now() - started) / 1000;
        results.push({ run, tier, seconds, ...result });
        const mark = result.failed.length === 0 ? 'ok  ' : 'FAIL';
        process.stdout.write(`run ${run}/${options.runs} ${tier.padEnd(11)} ${mark} ${seconds.toFixed(0).padStart(5)} s  ${result.passed} passed, ${result.failed.length} failed  (load ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)})\n`);
        for (const failure of result.failed) process.stdout.write(`      ✗ ${failure.title}${failure.message ? ` — ${failure.message}` : ''}\n`);
      }
    }
  } finally {
    busy.stop();
  }
  const failedRuns = results.filter((r) => r.failed.length > 0);
  process.stdout.write(`\n${results.length - failedRuns.length} of ${results.length} tier runs green beside a busy core${options.shuffle ? ' (unit files shuffled)' : ''}${options.isolate ? ` (unit ${options.each ? 'tests' : 'files'} isolated)` : ''}\n`);
  const flaky = new Map();
  for (const r of failedRuns) for (const f of r.failed) flaky.set(f.title, (flaky.get(f.title) ?? 0) + 1);
  for (const [test, times] of flaky) process.stdout.write(`  failed ${times}×: ${test}\n`);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed.length, 0);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`stress: ${err instanceof Error ? err.message : String(err)}`);
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  },
);
