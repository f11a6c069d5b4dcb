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
import type { AdminCall } from './emulator';
import { until } from './until';

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

/** Waits (polling the transfer's record) until `ready` holds, then pauses the transfer and waits until it has settled. */
export async function pauseWhen(engine: TransferEngine, id: string, what: string, ready: (record: TransferRecord) => boolean): Promise<TransferRecord> {
  await until(what, () => {
    const record = engine.get(id);
    if (record && record.state !== 'running') throw new Error(`the transfer is ${record.state} (${record.error ?? ''}) before ${what}`);
    return record && ready(record) ? true : undefined;
  });
  engine.pause(id);
  return engine.whenSettled(id);
}

/** Resumes or retries the transfer and waits until it settles again. */
export async function settleAfter(engine: TransferEngine, id: string, action: 'resume' | 'retry'): Promise<TransferRecord> {
  engine[action](id);
  const state = engine.get(id)?.state;
  assert.ok(state === 'queued' || state === 'running', `${action} left the transfer ${state}`);
  return engine.whenSettled(id);
}

/** Cancels the transfer and waits until it has settled as cancelled (the caller makes sure only the cancel can end it). */
export async function cancelAndSettle(engine: TransferEngine, id: string): Promise<TransferRecord> {
  engine.cancel(id);
  const final = await engine.whenSettled(id);
  assert.equal(final.state, 'cancelled');
  return final;
}

/** Waits until the emulator holds at least `count` requests (see the hold_after fault). */
export function heldRequests(admin: AdminCall, count = 1): Promise<true> {
  return until(`${count} held request(s)`, async () => ((await admin<{ held_requests: number }>('GET', '/_emulator/state')).held_requests >= count ? true : undefined));
}

