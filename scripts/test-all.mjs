// `npm test`: tools → build → type-check → lint → unit → third-party → integration → e2e → package (.vsix installs), streamed, stopping at the
// first failing stage; ends with a per-stage summary and the total "N passed, N failed" line.
// Options: --skip=stage[,stage] (e.g. --skip=e2e), --only=stage[,stage].
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureTools } from './ensure-tools.mjs';
import { mochaCounts, summaryCounts } from './lib/counts.mjs';
import { repoRoot } from './lib/proc.mjs';

const node = process.execPath;
const bin = (...parts) => join(repoRoot, 'node_modules', ...parts);

/** Each stage: a command (streamed) or an in-process function, and how to read its test counts. */
const STAGES = [
  { name: 'tools', run: () => ensureTools({ chromium: true, thirdParty: true }) },
  { name: 'build', command: [node, 'esbuild.mjs'] },
  { name: 'typecheck', command: [node, bin('typescript', 'bin', 'tsc'), '--noEmit', '-p', '.'] },
  { name: 'lint', command: [node, bin('eslint', 'bin', 'eslint.js'), '.'] },
  { name: 'unit', command: [node, bin('mocha', 'bin', 'mocha.js')], counts: mochaCounts },
  // The same client against servers we did not write (s3rver, js-ipfs), installed by the tools stage.
  { name: 'third-party', command: [node, bin('mocha', 'bin', 'mocha.js'), '--config', '.mocharc.third-party.json'], counts: mochaCounts },
  { name: 'integration', command: [node, join('scripts', 'run-integration.mjs'), '--no-build'], counts: summaryCounts },
  { name: 'e2e', command: [node, join('scripts', 'run-e2e.mjs'), '--no-build'], counts: summaryCounts },
  { name: 'package', command: [node, join('scripts', 'check-package.mjs')], counts: summaryCounts },
];

function parseList(argv, flag) {
  const arg = argv.find((a) => a.startsWith(`${flag}=`));
  return arg ? arg.slice(flag.length + 1).split(',').filter(Boolean) : undefined;
}

function runStreamed([command, ...args]) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      output += d;
      process.stderr.write(d);
    });
    child.on('error', (err) => {
      output += String(err);
      resolve({ code: 1, output });
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

function banner(text) {
  process.stdout.write(`\n${'='.repeat(78)}\n== ${text}\n${'='.repeat(78)}\n`);
}

async function main() {
  const argv = process.argv.slice(2);
  const skip = parseList(argv, '--skip') ?? [];
  const only = parseList(argv, '--only');
  for (const name of [...skip, ...(only ?? [])]) if (!STAGES.some((s) => s.name === name)) throw new Error(`unknown stage ${name}`);
  const stages = STAGES.filter((s) => !skip.includes(s.name) && (!only || only.includes(s.name)));
  const results = [];
  const started = Date.now();
  for (const stage of stages) {
    banner(`${stage.name}${stage.command ? `: ${stage.command.slice(1).join(' ')}` : ''}`);
    const t0 = Date.now();
    let ok;
    let counts;
    if (stage.run) {
      try {
        await stage.run();
        ok = true;
      } catch (err) {
        console.error(`${stage.name}: ${err instanceof Error ? err.message : String(err)}`);
        ok = false;
      }
    } else {
      const { code, output } = await runStreamed(stage.command);
      counts = stage.counts?.(output);
      ok = code === 0 && (counts === undefined || counts.failed === 0);
      // A test stage that printed no counts but failed still counts as one failure.
      if (!ok && stage.counts && (counts === undefined || counts.failed === 0)) counts = { passed: counts?.passed ?? 0, failed: 1, pending: counts?.pending ?? 0 };
    }
    results.push({ name: stage.name, ok, seconds: (Date.now() - t0) / 1000, counts });
    if (!ok) break;
  }

  banner('summary');
  const total = { passed: 0, failed: 0, pending: 0 };
  for (const r of results) {
    const counts = r.counts ? `  ${r.counts.passed} passed, ${r.counts.failed} failed${r.counts.pending ? `, ${r.counts.pending} skipped` : ''}` : '';
    process.stdout.write(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(12)} ${r.seconds.toFixed(1).padStart(7)} s${counts}\n`);
    if (r.counts) for (const key of Object.keys(total)) total[key] += r.counts[key];
  }
  const failedStage = results.find((r) => !r.ok);
  // A failing stage without tests (build, typecheck, lint, tools) is one failure in the total.
  if (failedStage && !failedStage.counts) total.failed += 1;
  for (const stage of stages.slice(results.length)) process.stdout.write(`  skip  ${stage.name.padEnd(12)}       - (an earlier stage failed)\n`);
  process.stdout.write(`  total ${((Date.now() - started) / 1000).toFixed(1)} s${failedStage ? `; stopped at ${failedStage.name}` : ''}\n\n`);
  process.stdout.write(`${total.passed} passed, ${total.failed} failed${total.pending ? `, ${total.pending} skipped` : ''}\n`);
  return failedStage ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`test-all: ${err instanceof Error ? err.message : String(err)}`);
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  },
);
