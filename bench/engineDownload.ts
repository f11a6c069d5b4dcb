// Downloads a subtask's input through the real engine + datahub-download protocol and times its phases.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatahubClient } from '../src/api/datahub/client';
import { keepAliveAgents, destroyAgents } from '../src/api/http';
import { silentLogger } from '../src/api/logger';
import { TransferEngine } from '../src/transfer/engine';
import { MemoryJournal } from '../src/transfer/journal';
import { DATAHUB_DOWNLOAD_KIND, DatahubDownloadProtocol } from '../src/transfer/protocols/datahubDownload';
import type { Protocol, ProtocolRun } from '../src/transfer/types';
import { cpuSeconds } from './engineUpload';

export interface EngineDownloadTiming {
  /** engine.add → every range written (presign and the ranged GETs), before the MD5 check. */
  rangesSeconds: number;
  /** engine.add → completed (ranges, MD5 verification of the .part, rename). */
  totalSeconds: number;
  /** This process's CPU seconds from engine.add until every range was written. */
  rangesCpuSeconds: number;
  /** The emulator's CPU seconds in the same window (NaN when not measured). */
  rangesServerCpuSeconds: number;
}

/** Passes every call through, and tells the bench the moment the protocol changes phase (exact, not throttled). */
class TimedProtocol<P, C extends object> implements Protocol<P, C> {
  readonly kind: Protocol<P, C>['kind'];
  constructor(private readonly inner: Protocol<P, C>, private readonly onPhase: (phase: string) => void) {
    this.kind = inner.kind;
  }
  run(run: ProtocolRun<P, C>): Promise<void> {
    const proxy: ProtocolRun<P, C> = {
      record: run.record,
      signal: run.signal,
      logger: run.logger,
      checkpoint: (update) => run.checkpoint(update),
      progress: (update) => {
        if (update.phase !== undefined) this.onPhase(update.phase);
        run.progress(update);
      },
    };
    return this.inner.run(proxy);
  }
}

export async function downloadThroughEngine(
  url: string,
  subtaskId: string,
  folder: string,
  fileName: string,
  partSize: number,
  partConcurrency: number,
  serverCpu: () => number = () => Number.NaN,
  /** Told of every phase the protocol reports (downloading, verifying …). */
  onPhase?: (phase: string) => void,
): Promise<EngineDownloadTiming> {
  const client = new DatahubClient({ baseUrl: () => url, token: async () => 'bench-token', logger: silentLogger });
  const agents = keepAliveAgents(Math.max(8, partConcurrency));
  let rangesDone = 0;
  let rangesCpu = 0;
  let rangesServerCpu = Number.NaN;
  const engine = new TransferEngine({ journal: new MemoryJournal(), logger: silentLogger, concurrency: () => 1, progressIntervalMs: 100 });
  const protocol = new DatahubDownloadProtocol({ client, agents, tuning: () => ({ chunkSize: partSize, partConcurrency, retries: 2, stallSeconds: 60 }) });
  engine.registerProtocol(
    new TimedProtocol(protocol, (phase) => {
      onPhase?.(phase);
      if (phase !== 'downloading' && rangesDone === 0) {
        rangesDone = performance.now();
        rangesCpu = cpuSeconds();
        rangesServerCpu = serverCpu();
      }
    }),
  );
  await rm(join(folder, fileName), { force: true });

  const started = performance.now();
  const cpu0 = cpuSeconds();
  const server0 = serverCpu();
  const record = engine.start(DATAHUB_DOWNLOAD_KIND, { subtaskId, folder, fileName, overwrite: true }, { label: fileName });
  const settled = await engine.whenSettled(record);
  const finished = performance.now();
  await engine.dispose();
  destroyAgents(agents);
  if (settled.state !== 'completed') throw new Error(`engine download ended ${settled.state}: ${settled.error ?? ''}`);
  return { rangesSeconds: (rangesDone - started) / 1000, totalSeconds: (finished - started) / 1000, rangesCpuSeconds: rangesCpu - cpu0, rangesServerCpuSeconds: rangesServerCpu - server0 };
}
