// The transfer runtime as the CLI builds it from its options: journal in --state-dir, one transfer at a time.
import { DEFAULT_TUNING, TransferRuntime, type TransferTuning } from '../transfer/runtime';
import type { TransferRecord } from '../transfer/types';
import type { TransferOptionValues } from './args';
import { consoleLogger } from './consoleLogger';
import { printErr } from './terminalText';

export function cliRuntime(options: TransferOptionValues, tuning: Partial<TransferTuning> = {}): TransferRuntime {
  const access = { baseUrl: () => options.endpoint, token: async () => options.token };
  const full: TransferTuning = {
    ...DEFAULT_TUNING,
    concurrency: 1,
    partConcurrency: options.concurrency,
    chunkSize: options.chunkSize,
    multipartPartSize: options.chunkSize,
    retries: options.retries,
    stallSeconds: options.stallSeconds,
    minBytesPerSecond: options.minBytesPerSecond,
    floorWindowSeconds: options.floorWindowSeconds,
    ...tuning,
  };
  return new TransferRuntime({
    journalDir: options.stateDir,
    owner: 'cli',
    logger: consoleLogger(options.verbose),
    datahub: access,
    multipart: access,
    httpLimits: () => options.httpLimits,
    tuning: () => full,
  });
}

/** A transfer another process runs is not touched: says so (naming the pid) and gives the exit code, else undefined. */
export function refuseIfElsewhere(record: TransferRecord | undefined, what: string): number | undefined {
  if (!record?.elsewhere) return undefined;
  const where = record.elsewhere.kind === 'window' ? 'a VS Code window' : 'another datahub process';
  printErr(`datahub: the ${what} of ${record.label} is running in ${where} (pid ${record.elsewhere.pid}); it is left alone — wait for it to finish, or stop that process and run this again`);
  return 1;
}
