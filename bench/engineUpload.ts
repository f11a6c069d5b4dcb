// Uploads one file through the real engine + datahub-upload protocol and times its phases.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatahubClient } from '../src/api/datahub/client';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ClientRequest } from 'node:http';
import { keepAliveAgents, destroyAgents } from '../src/api/http';
import { silentLogger } from '../src/api/logger';
import { TransferEngine } from '../src/transfer/engine';
import { FileJournal } from '../src/transfer/journal';
import { fingerprint } from '../src/transfer/fileFingerprint';
import type { HashCache } from '../src/transfer/hashCache';
import { DATAHUB_UPLOAD_KIND, DatahubUploadProtocol, type DatahubUploadTuning } from '../src/transfer/protocols/datahubUpload';

export interface EngineUploadTiming {
  /** engine.add → the transfer completed (MD5, init, PUTs, complete, result). */
  totalSeconds: number;
  /** engine.add → the last part PUT answered: the MD5 pass, init and the PUT phase. */
  withMd5Seconds: number;
  /** First part PUT sent → last part PUT answered. */
  putSeconds: number;
  /** engine.add → the first part PUT sent (the MD5 pass, or the hash cache's answer, and init). */
  firstPutSeconds: number;
  /** The whole-file MD5 pass the protocol runs before init. */
  hashSeconds: number;
  /** This process's CPU seconds (user + system) during the PUT phase. */
  putCpuSeconds: number;
  /** The emulator's CPU seconds during the PUT phase (NaN when not measured). */
  putServerCpuSeconds: number;
  /** This process's CPU seconds from engine.add to the end (hashing, every call, the engine's bookkeeping). */
  totalCpuSeconds: number;
  /** The emulator's CPU seconds over the same window. */
  totalServerCpuSeconds: number;
}

export interface BenchEngineOptions {
  url: string;
  partSize: number;
  partConcurrency: number;
  /** Files of a folder at the same time (the product's datahub.transfer.fileConcurrency); 1 when unset. */
  fileConcurrency?: number;
  /** A hash cache (as the extension keeps in its global storage): a file hashed before is not hashed again. */
  hashCache?: HashCache;
}

export function benchTuning(options: BenchEngineOptions): DatahubUploadTuning {
  return { chunkSize: options.partSize, partConcurrency: options.partConcurrency, fileConcurrency: options.fileConcurrency, retries: 2, heartbeatSeconds: 30, stallSeconds: 60 };
}

/**
 * One upload through a fresh engine built the way src/transfer/runtime.ts builds it (keep-alive data sockets);
 * node's http diagnostics channels show when the PUT phase starts and ends.
 */
export async function uploadThroughEngine(
  options: BenchEngineOptions,
  /** One file (sent as bench.bin) or the files of a folder with their relative names. */
  input: string | { path: string; name: string }[],
  subtaskId: string,
  onPhase?: (phase: string) => void,
  serverCpu: () => number = () => Number.NaN,
): Promise<EngineUploadTiming> {
  const client = new DatahubClient({ baseUrl: () => options.url, token: async () => 'bench-token', logger: silentLogger });
  const agents = keepAliveAgents(Math.max(8, options.partConcurrency));
  let firstPut = 0;
  let lastPut = 0;
  let cpuAtFirstPut: NodeJS.CpuUsage | undefined;
  let cpuAtLastPut: NodeJS.CpuUsage | undefined;
  let serverAtFirstPut = Number.NaN;
  let serverAtLastPut = Number.NaN;
  // The PUT phase's CPU figures are those of one file's parts; for a folder (thousands of small PUTs) reading both
  // processes' CPU counters per answer would be a cost of the instrument charged to the engine.
  const perPutCpu = typeof input === 'string' || input.length === 1;
  // Part PUTs are the only PUTs of this process while it runs (the Datahub calls are GET and POST): node's http
  // diagnostics channels see each one start and its answer end.
  const onPutStart = (message: unknown): void => {
    if (!isPut(message, 'request') || firstPut !== 0) return;
    firstPut = performance.now();
    cpuAtFirstPut = process.cpuUsage();
    serverAtFirstPut = serverCpu();
  };
  const onPutAnswered = (message: unknown): void => {
    if (!isPut(message, 'request')) return;
    lastPut = performance.now();
    if (perPutCpu) {
      cpuAtLastPut = process.cpuUsage();
      serverAtLastPut = serverCpu();
    }
  };
  subscribe('http.client.request.start', onPutStart);
  subscribe('http.client.response.finish', onPutAnswered);
  // The journal the extension and the CLI use, on disk: its cost per checkpoint is part of what a user waits for.
  const journalDir = await mkdtemp(join(tmpdir(), 'datahub-bench-journal-'));
  const engine = new TransferEngine({ journal: new FileJournal(journalDir), logger: silentLogger, concurrency: () => 1, progressIntervalMs: 100 });
  const tuning = benchTuning(options);
  engine.registerProtocol(new DatahubUploadProtocol({ client, agents, tuning: () => tuning, hashCache: options.hashCache }));
  let hashStart = 0;
  let hashEnd = 0;
  let lastPhase: string | undefined;
  engine.onDidChange(() => {
    const phase = engine.list()[0]?.progress.phase;
    if (phase !== undefined && phase !== lastPhase) {
      lastPhase = phase;
      onPhase?.(phase);
    }
    if (phase === 'hashing' && hashStart === 0) hashStart = performance.now();
    if (phase !== 'hashing' && hashStart !== 0 && hashEnd === 0) hashEnd = performance.now();
  });

  const entries = typeof input === 'string' ? [{ path: input, name: 'bench.bin' }] : input;
  const files = [];
  for (const entry of entries) {
    const { size, mtimeMs } = await fingerprint(entry.path);
    files.push({ path: entry.path, name: entry.name, size, mtimeMs });
  }
  const started = performance.now();
  const cpu0 = cpuSeconds();
  const server0 = serverCpu();
  const record = engine.start(DATAHUB_UPLOAD_KIND, { subtaskId, files }, {
    label: entries.length === 1 ? entries[0].name : `${entries.length} files`,
    localPath: entries[0].path,
    bytesTotal: files.reduce((sum, f) => sum + f.size, 0),
  });
  const settled = await engine.whenSettled(record);
  const finished = performance.now();
  const totalCpuSeconds = cpuSeconds() - cpu0;
  const totalServerCpuSeconds = serverCpu() - server0;
  unsubscribe('http.client.request.start', onPutStart);
  unsubscribe('http.client.response.finish', onPutAnswered);
  await engine.dispose();
  destroyAgents(agents);
  await rm(journalDir, { recursive: true, force: true });
  if (settled.state !== 'completed') throw new Error(`engine upload ended ${settled.state}: ${settled.error ?? ''}`);
  // Progress events are throttled (100 ms), so the hashing window is approximate; the PUT window is exact.
  return {
    totalSeconds: (finished - started) / 1000,
    withMd5Seconds: (lastPut - started) / 1000,
    putSeconds: (lastPut - firstPut) / 1000,
    firstPutSeconds: (firstPut - started) / 1000,
    hashSeconds: hashEnd > hashStart ? (hashEnd - hashStart) / 1000 : 0,
    putCpuSeconds: cpuAtFirstPut && cpuAtLastPut ? cpuSeconds(cpuAtLastPut) - cpuSeconds(cpuAtFirstPut) : Number.NaN,
    putServerCpuSeconds: serverAtLastPut - serverAtFirstPut,
    totalCpuSeconds,
    totalServerCpuSeconds,
  };
}

/** A diagnostics-channel message whose `key` (request) is a PUT. */
function isPut(message: unknown, key: 'request'): boolean {
  const request = (message as Record<string, unknown> | null)?.[key];
  return request instanceof ClientRequest && request.method === 'PUT';
}

export function cpuSeconds(usage: NodeJS.CpuUsage = process.cpuUsage()): number {
  return (usage.user + usage.system) / 1e6;
}
