// Builds a real engine + Datahub upload protocol against a test emulator, and drives transfers through it the way tests do.
import * as assert from 'node:assert/strict';
import { DatahubClient } from '../../../src/api/datahub/client';
import { createDataAxios } from '../../../src/api/http';
import { silentLogger } from '../../../src/api/logger';
import { TransferEngine } from '../../../src/transfer/engine';
import { type JournalStore, MemoryJournal } from '../../../src/transfer/journal';
import { DatahubDownloadProtocol, type DatahubDownloadTuning } from '../../../src/transfer/protocols/datahubDownload';
import { DatahubUploadProtocol, type DatahubUploadTuning } from '../../../src/transfer/protocols/datahubUpload';
import type { TransferRecord } from '../../../src/transfer/types';

export function uploadEngine(url: string, tuning: Partial<DatahubUploadTuning> = {}, journal: JournalStore = new MemoryJournal()) {
  const client = new DatahubClient({ baseUrl: () => url, token: async () => 'test-token', logger: silentLogger });
  const engine = new TransferEngine({ journal, logger: silentLogger, concurrency: () => 2, progressIntervalMs: 10 });
  const full: DatahubUploadTuning = { chunkSize: 64 * 1024, partConcurrency: 4, retries: 6, heartbeatSeconds: 30, stallSeconds: 60, ...tuning };
  engine.registerProtocol(new DatahubUploadProtocol({ client, data: createDataAxios(16), tuning: () => full }));
  return { engine, client, tuning: full };
}

/** A real engine with the Datahub download protocol against `url`; 64 KiB parts unless `tuning` says otherwise. */
export function downloadEngine(url: string, tuning: Partial<DatahubDownloadTuning> = {}): TransferEngine {
  const client = new DatahubClient({ baseUrl: () => url, token: async () => 'test-token', logger: silentLogger });
  const engine = new TransferEngine({ journal: new MemoryJournal(), logger: silentLogger, concurrency: () => 2, progressIntervalMs: 10 });
  const full: DatahubDownloadTuning = { chunkSize: 64 * 1024, partConcurrency: 4, retries: 6, stallSeconds: 60, ...tuning };
  engine.registerProtocol(new DatahubDownloadProtocol({ client, tuning: () => full }));
  return engine;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Lets the transfer run for `ms`, then pauses it and waits until it has settled. */
export async function pauseAfter(engine: TransferEngine, id: string, ms: number): Promise<TransferRecord> {
  await sleep(ms);
  engine.pause(id);
  return engine.whenSettled(id);
}

/** Resumes or retries the transfer and waits until it settles again (the short sleep lets it leave its settled state). */
export async function settleAfter(engine: TransferEngine, id: string, action: 'resume' | 'retry'): Promise<TransferRecord> {
  engine[action](id);
  await sleep(20);
  return engine.whenSettled(id);
}

/** Cancels the transfer: it must settle as cancelled within a second. */
export async function cancelWithinASecond(engine: TransferEngine, id: string): Promise<TransferRecord> {
  const asked = Date.now();
  engine.cancel(id);
  const final = await engine.whenSettled(id);
  assert.ok(Date.now() - asked < 1000, `cancel took ${Date.now() - asked} ms`);
  assert.equal(final.state, 'cancelled');
  return final;
}
