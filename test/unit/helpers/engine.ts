// Builds a real engine + Datahub upload protocol against a test emulator.
import { DatahubClient } from '../../../src/api/datahub/client';
import { createDataAxios } from '../../../src/api/http';
import { silentLogger } from '../../../src/api/logger';
import { TransferEngine } from '../../../src/transfer/engine';
import { type JournalStore, MemoryJournal } from '../../../src/transfer/journal';
import { DatahubUploadProtocol, type DatahubUploadTuning } from '../../../src/transfer/protocols/datahubUpload';

export function uploadEngine(url: string, tuning: Partial<DatahubUploadTuning> = {}, journal: JournalStore = new MemoryJournal()) {
  const client = new DatahubClient({ baseUrl: () => url, token: async () => 'test-token', logger: silentLogger });
  const engine = new TransferEngine({ journal, logger: silentLogger, concurrency: () => 2, progressIntervalMs: 10 });
  const full: DatahubUploadTuning = { chunkSize: 64 * 1024, partConcurrency: 4, retries: 6, heartbeatSeconds: 30, stallSeconds: 60, ...tuning };
  engine.registerProtocol(new DatahubUploadProtocol({ client, data: createDataAxios(16), tuning: () => full }));
  return { engine, client, tuning: full };
}
