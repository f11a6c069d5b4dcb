// `datahub emulator [--port P] [--host H] [--data DIR] [--seed] [--allow-input-dir DIR]… [--store PROFILE]`: serves
// every backend on one loopback port (bin/datahub.js runs this bundle, dist/emulator.js, for the `emulator`
// command; the extension never loads it).
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from './server';
import { DEFAULT_STORE_PROFILE, STORE_PROFILES, isStoreProfileName } from './store/profiles';

const USAGE = 'usage: datahub emulator [--port P] [--host H] [--data DIR] [--seed] [--allow-input-dir DIR]... [--store PROFILE] [--min-part-size BYTES] [--datahub-content-type TYPE]';

/** A whole number from `min` to `max` given as strict decimal digits, or `fallback` when the option is absent. */
function wholeNumber(name: string, raw: string | undefined, fallback: number | undefined, max: number): number | undefined {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw new Error(`--${name}: expected an integer from 0 to ${max}, got "${raw}"`);
  return Number(raw);
}

/** A folder the admin API's `input_file` may read besides the data folder: refused when the path is a file. */
function inputDir(path: string): string {
  if (statSync(path, { throwIfNoEntry: false })?.isFile()) throw new Error(`--allow-input-dir: ${path} is a file, not a folder`);
  return resolve(path);
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      seed: { type: 'boolean' },
      'allow-input-dir': { type: 'string', multiple: true },
      store: { type: 'string' },
      'min-part-size': { type: 'string' },
      'datahub-content-type': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const profile = values.store ?? process.env.DATAHUB_EMULATOR_STORE ?? DEFAULT_STORE_PROFILE;
  if (!isStoreProfileName(profile)) throw new Error(`--store: "${profile}" is not a store profile (${STORE_PROFILES.join(', ')})`);
  const dataDir = resolve(values.data ?? join(tmpdir(), 'datahub-emulator'));
  const emulator = await startEmulator({
    port: wholeNumber('port', values.port, 8787, 65535) ?? 8787,
    host: values.host ?? '127.0.0.1',
    dataDir,
    seed: values.seed === true,
    allowInputDirs: (values['allow-input-dir'] ?? []).map(inputDir),
    store: { profile, minPartSize: wholeNumber('min-part-size', values['min-part-size'], undefined, 5 * 1024 * 1024 * 1024), datahubContentType: values['datahub-content-type'] },
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`Datahub emulator listening on ${emulator.url} (data: ${dataDir}, store: ${profile})\n`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      void emulator.close().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // Started by a parent with an IPC channel (the extension's Start Local Emulator): stop when that parent goes away.
    if (process.connected) process.once('disconnect', stop);
  });
  return 0;
}

main(process.argv.slice(3)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`datahub emulator: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exitCode = 2;
  },
);
