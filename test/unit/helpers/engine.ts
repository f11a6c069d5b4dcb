// Builds a real engine + Datahub upload protocol against a test emulator, and drives transfers through it the way tests do.
import * as assert from 'node:assert/strict';
import { DatahubClient } from '../../../src/api/datahub/client';
import { keepAliveAgents } from '../../../src/api/http';
import { silentLogger } from '../../../src/api/logger';
import { TransferEngine } from '../../../src/transfer/engine';
import { DEFAULT_TUNING, TransferRuntime, type RuntimeSettings } from '../../../src/transfer/runtime';
import { type JournalStore, MemoryJournal } from '../../../src/transfer/journal';
import { fingerprint } from '../../../src/transfer/fileFingerprint';
import { DATAHUB_DOWNLOAD_KIND, DatahubDownloadProtocol, type DatahubDownloadTuning } from '../../../src/transfer/protocols/datahubDownload';
import { DATAHUB_UPLOAD_KIND, DatahubUploadProtocol, type DatahubUploadTuning } from '../../../src/transfer/protocols/datahubUpload';
import type { TransferRecord } from '../../../src/transfer/types';
import type { AdminCall } from './emulator';
import { until } from './until';

/** Starts a Datahub upload of `files` (each stat'ed here) on `engine`, as the runtime does. */
export async function startUpload(engine: TransferEngine, subtaskId: string, entries: readonly { path: string; name: string }[], label = 'x') {
  const files = [];
  for (const entry of entries) {
    const { size, mtimeMs } = await fingerprint(entry.path);
    files.push({ path: entry.path, name: entry.name, size, mtimeMs });
  }
  return engine.start(DATAHUB_UPLOAD_KIND, { subtaskId, files }, { label, bytesTotal: files.reduce((s, f) => s + f.size, 0) });
}

/** Starts a Datahub download of a subtask's input into `folder/fileName` on `engine`. */
export function startDownload(engine: TransferEngine, subtaskId: string, folder: string, fileName: string, overwrite = false) {
  return engine.start(DATAHUB_DOWNLOAD_KIND, { subtaskId, folder, fileName, overwrite }, { label: fileName, localPath: `${folder}/${fileName}` });
}

export function uploadEngine(url: string, tuning: Partial<DatahubUploadTuning> = {}, journal: JournalStore = new MemoryJournal()) {
  const client = new DatahubClient({ baseUrl: () => url, token: async () => 'test-token', logger: silentLogger });
  const engine = new TransferEngine({ journal, logger: silentLogger, concurrency: () => 2, progressIntervalMs: 10 });
  const full: DatahubUploadTuning = { chunkSize: 64 * 1024, partConcurrency: 4, retries: 6, heartbeatSeconds: 30, stallSeconds: 60, ...tuning };
  engine.registerProtocol(new DatahubUploadProtocol({ client, agents: keepAliveAgents(16), tuning: () => full }));
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
export async function pauseWhen<P, C>(engine: TransferEngine, record: TransferRecord<P, C>, what: string, ready: (record: TransferRecord<P, C>) => boolean): Promise<TransferRecord<P, C>> {
  await until(what, () => {
    if (record.state !== 'running' && record.state !== 'queued') throw new Error(`the transfer is ${record.state} (${record.error ?? ''}) before ${what}`);
    return ready(record) ? true : undefined;
  });
  engine.pause(record.id);
  return engine.whenSettled(record);
}

/** Resumes or retries the transfer and waits until it settles again. */
export async function settleAfter<P, C>(engine: TransferEngine, record: TransferRecord<P, C>, action: 'resume' | 'retry'): Promise<TransferRecord<P, C>> {
  engine[action](record.id);
  const state = record.state;
  assert.ok(state === 'queued' || state === 'running', `${action} left the transfer ${state}`);
  return engine.whenSettled(record);
}

/** Cancels the transfer and waits until it has settled as cancelled (the caller makes sure only the cancel can end it). */
export async function cancelAndSettle<P, C>(engine: TransferEngine, record: TransferRecord<P, C>): Promise<TransferRecord<P, C>> {
  engine.cancel(record.id);
  const final = await engine.whenSettled(record);
  assert.equal(final.state, 'cancelled');
  return final;
}

/** Waits until the emulator holds at least `count` requests (see the hold_after fault). */
export function heldRequests(admin: AdminCall, count = 1): Promise<true> {
  return until(`${count} held request(s)`, async () => ((await admin<{ held_requests: number }>('GET', '/_emulator/state')).held_requests >= count ? true : undefined));
}

/** The vscode-free transfer runtime as the CLI builds it, against the test emulator at `url`, journaling into `journalDir`. */
export function testRuntime(url: string, journalDir: string, extra: Partial<RuntimeSettings> = {}): TransferRuntime {
  const access = { baseUrl: () => url, token: async () => 'test-token' };
  return new TransferRuntime({
    journalDir,
    owner: 'cli',
    logger: silentLogger,
    datahub: access,
    multipart: access,
    httpLimits: () => ({ deadlineMs: 30_000, maxResponseBytes: 1024 * 1024 }),
    tuning: () => ({ ...DEFAULT_TUNING, chunkSize: 256 * 1024 }),
    ...extra,
  });
}
