// `npm run test:e2e [-- --grep PATTERN] [--no-build] [files…]`: runs test/e2e/*.e2e.ts with mocha + tsx;
// each suite starts its own emulator + code-server + Chromium through test/e2e/harness.ts.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureTools } from './ensure-tools.mjs';
import { log, repoRoot, run } from './lib/proc.mjs';
import { mochaCounts } from './lib/counts.mjs';

async function main() {
  const args = process.argv.slice(2);
  const build = !args.includes('--no-build');
  const mochaArgs = args.filter((a) => a !== '--no-build');
  // Files named on the command line replace the default set (mocha would add them to a config spec).
  const namesFiles = mochaArgs.some((a, i) => /\.e2e\.ts$/.test(a) && !['--grep', '-g', '--fgrep', '-f'].includes(mochaArgs[i - 1]));
  if (!namesFiles) mochaArgs.push('test/e2e/**/*.e2e.ts');
  const started = Date.now();
  await ensureTools({ chromium: true });
  if (build) await run(process.execPath, ['esbuild.mjs'], { scope: 'build' });
  log('e2e', `mocha --config .mocharc.e2e.json ${mochaArgs.join(' ')}`);
  const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--config', '.mocharc.e2e.json', ...mochaArgs], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
    process.stdout.write(d);
  });
  child.stderr.on('data', (d) => process.stderr.write(d));
  const code = await new Promise((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  const { passed, failed, pending } = mochaCounts(output);
  log('e2e', `finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  // mocha exits non-zero on a failure, and also when it could not load a file (no counts then).
  const failures = code !== 0 && failed === 0 ? 1 : failed;
  process.stdout.write(`${passed} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}\n`);
  return code !== 0 || failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`\ne2e: ${err instanceof Error ? err.message : String(err)}`);
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  },
);
