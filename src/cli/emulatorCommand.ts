// `datahub emulator [--port P] [--data DIR] [--seed] [--allow-input-dir DIR]…`: serves every backend on one loopback port.
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator } from '../../emulator/server';
import { folderOption, intOption, listOption, parse, stringOption } from './args';

export async function emulatorCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    seed: { type: 'boolean' },
    'no-seed': { type: 'boolean' },
    'allow-input-dir': { type: 'string', multiple: true },
  });
  const port = intOption(values, 'port', 8787, 0, 65535);
  const dataDir = resolve(stringOption(values, 'data') ?? join(tmpdir(), 'datahub-emulator'));
  const emulator = await startEmulator({
    port,
    host: stringOption(values, 'host') ?? '127.0.0.1',
    dataDir,
    seed: values.seed === true,
    allowInputDirs: listOption(values, 'allow-input-dir').map((dir) => resolve(folderOption('allow-input-dir', dir))),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`Datahub emulator listening on ${emulator.url} (data: ${dataDir})\n`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      void emulator.close().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
