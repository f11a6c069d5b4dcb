// `npm run test:electron [-- --grep PATTERN]`: the integration suites in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code (and have a display or xvfb-run).
// Offline (as on CI here) the download fails and this says so; `npm run test:integration` runs the
// same suites in code-server instead.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startEmulator } from './lib/emulator.mjs';
import { QUIET_SETTINGS, emulatorSettings } from './lib/codeserver.mjs';
import { createSampleWorkspace } from './lib/workspace.mjs';
import { log, repoRoot, run } from './lib/proc.mjs';

async function main() {
  const argv = process.argv.slice(2);
  const grepAt = argv.findIndex((a) => a === '--grep' || a === '-g');
  const grep = grepAt >= 0 ? argv[grepAt + 1] : argv.find((a) => a.startsWith('--grep='))?.slice('--grep='.length);
  const { runTests, downloadAndUnzipVSCode } = await import('@vscode/test-electron');
  const version = process.env.DATAHUB_VSCODE_VERSION ?? 'stable';

  let vscodeExecutablePath;
  try {
    log('electron', `downloading VS Code ${version} (cached in .vscode-test/)`);
    vscodeExecutablePath = await downloadAndUnzipVSCode({ version, cachePath: join(repoRoot, '.vscode-test'), timeout: 60_000 });
  } catch (err) {
    console.error(
      `\ntest:electron: could not download VS Code ${version}: ${err instanceof Error ? err.message : String(err)}\n` +
        'This machine cannot reach the VS Code download servers (offline, or only a package registry is reachable).\n' +
        'Run the same integration suites in code-server instead: npm run test:integration\n',
    );
    return 2;
  }

  await run(process.execPath, ['esbuild.mjs'], { scope: 'build' });
  const scratch = mkdtempSync(join(tmpdir(), 'datahub-electron-'));
  const emulator = await startEmulator({ dataDir: join(scratch, 'emulator'), allowInputDirs: [tmpdir()] });
  try {
    const workspace = createSampleWorkspace(join(scratch, 'workspace'));
    const userDataDir = join(scratch, 'user-data');
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...emulatorSettings(emulator.url) }, null, 2));
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(repoRoot, 'test', 'integration', 'runner', 'index.js'),
      launchArgs: [workspace, '--user-data-dir', userDataDir, '--extensions-dir', join(scratch, 'extensions'), '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: {
        DATAHUB_EMULATOR_URL: emulator.url,
        DATAHUB_TEST_WORKSPACE: workspace,
        DATAHUB_TEST_MOCHA: join(repoRoot, 'node_modules', 'mocha'),
        DATAHUB_TEST_SUITES: join(repoRoot, 'out', 'integration'),
        ...(grep ? { DATAHUB_TEST_GREP: grep } : {}),
      },
    });
    return 0;
  } catch (err) {
    console.error(`test:electron: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`test:electron: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
