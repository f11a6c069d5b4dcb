// `npm run test:integration [-- --grep PATTERN] [--no-build] [--keep]`: runs test/integration/*.test.ts
// inside code-server's extension host (through the test-runner extension) against a fresh emulator.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ensureTools } from './ensure-tools.mjs';
import { startEmulator } from './lib/emulator.mjs';
import { emulatorSettings, launchCodeServer, openWorkbench, tail } from './lib/codeserver.mjs';
import { createSampleWorkspace } from './lib/workspace.mjs';
import { log, repoRoot, run, sleep } from './lib/proc.mjs';

function parseArgs(argv) {
  const options = { grep: undefined, build: true, keep: false, files: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--grep' || arg === '-g') options.grep = argv[++i];
    else if (arg.startsWith('--grep=')) options.grep = arg.slice('--grep='.length);
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--files') options.files = argv[++i];
    else throw new Error(`unknown argument ${arg} (known: --grep PATTERN, --files PREFIX[,PREFIX], --no-build, --keep)`);
  }
  return options;
}

const TIMEOUT_MS = Number(process.env.DATAHUB_INTEGRATION_TIMEOUT_MS ?? 15 * 60_000);

function printTest(test) {
  const mark = test.state === 'passed' ? '✓' : test.state === 'failed' ? '✗' : '-';
  const duration = test.state === 'passed' && test.duration > 200 ? ` (${test.duration} ms)` : '';
  process.stdout.write(`  ${mark} ${test.title}${test.state === 'pending' ? ' (pending)' : ''}${duration}\n`);
  if (test.error) process.stdout.write(`${test.error.split('\n').slice(0, 12).map((l) => `      ${l}`).join('\n')}\n`);
}

/** Waits for the results file, printing each test as the runner reports it. */
async function waitForResults(resultsFile, server, deadline) {
  let printed = 0;
  const printProgress = () => {
    const file = `${resultsFile}.progress`;
    if (!existsSync(file)) return;
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    for (const line of lines.slice(printed)) printTest(JSON.parse(line));
    printed = lines.length;
  };
  while (Date.now() < deadline) {
    printProgress();
    if (existsSync(resultsFile)) {
      const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
      printProgress();
      // Failures that never produced a progress line (a suite that did not load) are printed here.
      if (printed === 0) for (const test of results.tests) printTest(test);
      return results;
    }
    await sleep(500);
  }
  throw new Error(
    `no test results after ${TIMEOUT_MS / 1000} s: the extension host did not run the suites (or a test never ended).\n` +
      `--- code-server log ---\n${tail(server.logFile, 30)}`,
  );
}

/** The tail of every extension host log of the run (normally one). */
function exthostTails(server, lines) {
  const logs = server.exthostLogs();
  if (logs.length === 0) return '--- extension host log: not written ---';
  return logs.map((file) => `--- extension host log ${file} (tail) ---\n${tail(file, lines)}`).join('\n');
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  await ensureTools({ chromium: true });
  if (options.build) await run(process.execPath, ['esbuild.mjs'], { scope: 'build' });
  const suitesDir = join(repoRoot, 'out', 'integration');
  const suites = existsSync(suitesDir) ? readdirSync(suitesDir).filter((f) => f.endsWith('.test.js')) : [];
  if (suites.length === 0) throw new Error('no compiled suites in out/integration: is there a test/integration/*.test.ts and did `node esbuild.mjs` run?');
  log('integration', `suites: ${suites.join(', ')}${options.grep ? ` (grep ${options.grep})` : ''}`);

  const cleanups = [];
  const cleanup = async () => {
    while (cleanups.length) await cleanups.pop()().catch((err) => log('integration', `cleanup: ${err.message}`));
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanup().then(() => process.exit(143)));
  try {
    const scratch = mkdtempSync(join(tmpdir(), 'datahub-integration-'));
    cleanups.push(async () => rmSync(scratch, { recursive: true, force: true }));
    // The download suite writes its subtasks' input files in the temp folder.
    const emulator = await startEmulator({ dataDir: join(scratch, 'emulator'), allowInputDirs: [tmpdir()] });
    cleanups.push(() => emulator.stop());
    const workspace = createSampleWorkspace(join(scratch, 'workspace'));
    const resultsFile = join(scratch, 'results.json');
    const server = await launchCodeServer({
      name: 'integration',
      workspace,
      keep: options.keep,
      // Saves only when a test asks, as the desktop's default: VS Code for the web saves a second after each edit,
      // and a document.save() that meets such a save while it runs its save participants returns false.
      settings: { ...emulatorSettings(emulator.url), 'files.autoSave': 'off' },
      // The runner is VS Code's extension tests module: the extension host calls its run(), and our extension runs in
      // ExtensionMode.Test (the mode in which activate() returns the testing API the suites drive it through).
      testsPath: join(repoRoot, 'test', 'integration', 'runner', 'index.js'),
      env: {
        DATAHUB_TEST_RESULTS: resultsFile,
        // The extension tells the CLI's default state dir where its hash cache is: that goes in the scratch folder.
        XDG_CACHE_HOME: join(scratch, 'cache'),
        DATAHUB_EMULATOR_URL: emulator.url,
        DATAHUB_TEST_WORKSPACE: workspace,
        DATAHUB_TEST_MOCHA: join(repoRoot, 'node_modules', 'mocha'),
        DATAHUB_TEST_SUITES: suitesDir,
        ...(options.grep ? { DATAHUB_TEST_GREP: options.grep } : {}),
        ...(options.files ? { DATAHUB_TEST_FILES: options.files } : {}),
      },
    });
    cleanups.push(() => server.stop());
    // The extension host starts only when a workbench page connects.
    const browser = await openWorkbench(server);
    cleanups.push(() => browser.close());
    log('integration', 'workbench open; waiting for the test runner in the extension host');

    let results;
    try {
      results = await waitForResults(resultsFile, server, Date.now() + TIMEOUT_MS);
    } catch (err) {
      mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
      await browser.page.screenshot({ path: join(repoRoot, 'test-results', 'integration-timeout.png') }).catch(() => undefined);
      await browser.close();
      await server.stop({ keep: true });
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${exthostTails(server, 60)}\n(profile kept for inspection: ${server.runDir}; screenshot test-results/integration-timeout.png)`);
    }
    const failed = results.tests.filter((t) => t.state === 'failed');
    if (failed.length > 0) {
      process.stdout.write(`\nFailures:\n`);
      for (const test of failed) printTest(test);
      // The extension host writes its log out on exit: stop first, keep the profile, then read.
      await browser.close();
      await server.stop({ keep: true });
      process.stdout.write(`\n${exthostTails(server, 40)}\n(profile kept for inspection: ${server.runDir})\n`);
    }
    // The activation suite's measure of the first activate() (bench/results.json records it).
    if (existsSync(`${resultsFile}.activation.json`)) {
      mkdirSync(join(repoRoot, 'out'), { recursive: true });
      writeFileSync(join(repoRoot, 'out', 'activation.json'), readFileSync(`${resultsFile}.activation.json`));
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    log('integration', `finished in ${seconds} s`);
    process.stdout.write(`${results.passed} passed, ${results.failed} failed${results.pending ? `, ${results.pending} skipped` : ''}\n`);
    const ranNothing = results.passed + results.failed === 0 && !options.grep;
    if (ranNothing) log('integration', 'no test ran');
    return results.failed > 0 || ranNothing ? 1 : 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`\nintegration: ${err instanceof Error ? err.message : String(err)}`);
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  },
);
