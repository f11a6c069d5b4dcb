// `datahub emulator [--port P] [--data DIR] [--seed] [--allow-input-dir DIR]… [--store PROFILE]`: serves every backend on one loopback port.
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator } from '../../emulator/server';
import { DEFAULT_STORE_PROFILE, STORE_PROFILES, isStoreProfileName } from '../../emulator/store/profiles';
import { UsageError, folderOption, intOption, listOption, parse, stringOption } from './args';

export async function emulatorCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    seed: { type: 'boolean' },
    'no-seed': { type: 'boolean' },
    'allow-input-dir': { type: 'string', multiple: true },
    store: { type: 'string' },
    'min-part-size': { type: 'string' },
    'datahub-content-type': { type: 'string' },
  });
  const profile = stringOption(values, 'store') ?? process.env.DATAHUB_EMULATOR_STORE ?? DEFAULT_STORE_PROFILE;
  if (!isStoreProfileName(profile)) throw new UsageError(`--store: "${profile}" is not a store profile (${STORE_PROFILES.join(', ')})`);
  const minPartSize = values['min-part-size'] === undefined ? undefined : intOption(values, 'min-part-size', 0, 0, 5 * 1024 * 1024 * 1024);
  const datahubContentType = stringOption(values, 'datahub-content-type');
  const port = intOption(values, 'port', 8787, 0, 65535);
  const dataDir = resolve(stringOption(values, 'data') ?? join(tmpdir(), 'datahub-emulator'));
  const emulator = await startEmulator({
    port,
    host: stringOption(values, 'host') ?? '127.0.0.1',
    dataDir,
    seed: values.seed === true,
    allowInputDirs: listOption(values, 'allow-input-dir').map((dir) => resolve(folderOption('allow-input-dir', dir))),
    store: { profile, minPartSize, datahubContentType },
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`Datahub emulator listening on ${emulator.url} (data: ${dataDir}, store: ${profile})\n`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      void emulator.close().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
