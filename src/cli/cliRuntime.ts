// The transfer runtime as the CLI builds it from its options: journal in --state-dir, one transfer at a time.
import { hashCachePeersFor } from '../transfer/hashCachePeers';
import { DEFAULT_TUNING, TransferRuntime, type TransferTuning } from '../transfer/runtime';
import { isTransferOf, type TransferKind, type TransferRecord } from '../transfer/types';
import type { TransferOptionValues } from './args';
import { consoleLogger } from './consoleLogger';
import { defaultStateDir } from './stateDir';
import { printErr } from './terminalText';

/**
 * The runtime of one CLI command. The hash cache lives in the state dir; the caches VS Code windows listed in the
 * product's cache folder (hashCachePeers.ts) and the default state dir's are read too.
 */
export async function cliRuntime(options: TransferOptionValues, tuning: Partial<TransferTuning> = {}): Promise<TransferRuntime> {
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
    hashCache: { folder: options.stateDir, peers: await hashCachePeers(options.stateDir) },
  });
}

/** The caches listed for the product, the default state dir's own, and what older versions listed in the state dirs. */
async function hashCachePeers(stateDir: string): Promise<string[]> {
  return hashCachePeersFor(stateDir, [...new Set([stateDir, defaultStateDir()])]);
}

/** A transfer another process runs is not touched: says so (naming the pid) and gives the exit code, else undefined. */
export function refuseIfElsewhere(record: TransferRecord | undefined, what: string): number | undefined {
  if (!record?.elsewhere) return undefined;
  const where = record.elsewhere.kind === 'window' ? 'a VS Code window' : 'another datahub process';
  printErr(`datahub: the ${what} of ${record.label} is running in ${where} (pid ${record.elsewhere.pid}); it is left alone — wait for it to finish, or stop that process and run this again`);
  return 1;
}

/** The earlier transfer of `kind` a command continues: the first one, not completed nor cancelled, that `matches`. */
export function earlierTransfer<P, C extends object>(runtime: TransferRuntime, kind: TransferKind<P, C>, matches: (record: TransferRecord<P, C>) => boolean): TransferRecord<P, C> | undefined {
  for (const record of runtime.engine.list()) {
    if (isTransferOf(kind, record) && record.state !== 'completed' && record.state !== 'cancelled' && matches(record)) return record;
  }
  return undefined;
}
