// `npm start [-- --port 8080] [--emulator-port 8787] [--store oss]`: the emulator with sample data plus code-server
// with this extension pointed at it, on a demo workspace; prints the URL and runs until Ctrl+C.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTools } from './ensure-tools.mjs';
import { startEmulator } from './lib/emulator.mjs';
import { emulatorSettings, launchCodeServer } from './lib/codeserver.mjs';
import { createSampleWorkspace } from './lib/workspace.mjs';
import { freePort, log, repoRoot, run } from './lib/proc.mjs';

function option(argv, name, fallback) {
  const at = argv.indexOf(name);
  const raw = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return value;
}

/** The emulator's object store profile: `--store X`, else DATAHUB_EMULATOR_STORE, else the strictest (s3-sigv2). */
function storeProfile(argv) {
  const at = argv.indexOf('--store');
  const raw = at >= 0 ? argv[at + 1] : (argv.find((a) => a.startsWith('--store='))?.slice('--store='.length) ?? process.env.DATAHUB_EMULATOR_STORE ?? 's3-sigv2');
  const profiles = ['s3-sigv2', 'oss', 's3-sigv4', 'lenient'];
  if (!profiles.includes(raw)) throw new Error(`--store must be one of ${profiles.join(', ')}, got "${raw}"`);
  return raw;
}

async function main() {
  const argv = process.argv.slice(2);
  const preferredPort = option(argv, '--port', 8080);
  const preferredEmulatorPort = option(argv, '--emulator-port', 8787);
  const store = storeProfile(argv);
  // The demo needs no browser: the person opens the URL in their own.
  await ensureTools({ chromium: false });
  await run(process.execPath, ['esbuild.mjs'], { scope: 'build' });

  // A fresh emulator state with the sample data at every start.
  const dataDir = join(repoRoot, '.cache', 'demo-emulator-data');
  rmSync(dataDir, { recursive: true, force: true });
  const emulator = await startEmulator({ port: await freePort(preferredEmulatorPort), dataDir, seed: true, quiet: false, store });

  // The demo workspace keeps whatever the person put there; the samples are written once.
  const workspace = join(repoRoot, '.cache', 'demo-workspace');
  if (!existsSync(workspace)) createSampleWorkspace(workspace);
  const server = await launchCodeServer({ name: 'demo', workspace, port: preferredPort, settings: emulatorSettings(emulator.url), env: { DATAHUB_EMULATOR_URL: emulator.url, DATAHUB_DEMO: '1' } });

  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    log('start', 'stopping');
    await server.stop();
    await emulator.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  process.stdout.write(
    `\n  Datahub for VS Code is running.\n\n` +
      `  Open:      ${server.workbenchUrl}\n` +
      `  Emulator:  ${emulator.url}  (every datahub.endpoints.* setting points here; sample data loaded; store profile ${store})\n` +
      `  Workspace: ${workspace}\n\n` +
      `  Press Ctrl+C to stop.\n\n`,
  );
  // Stays up until a signal; the child processes keep the event loop alive.
  await new Promise(() => undefined);
}

main().catch((err) => {
  console.error(`start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
