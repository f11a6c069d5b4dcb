// Runs the emulator (Datahub backend only) in its own process for the benchmark, so that the store's
// work (hashing, disk writes) does not share an event loop with the client being measured.
import { startEmulator } from '../emulator/server';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: emulatorChild.ts DATA_DIR');
  const emulator = await startEmulator({ port: 0, dataDir, backends: ['datahub'] });
  process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The parent going away closes stdin: do not outlive it.
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
