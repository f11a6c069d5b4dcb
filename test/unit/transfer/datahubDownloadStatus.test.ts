// A Datahub download reports its subtask's status (api 000 §3.1 is per subtask, not per upload): 1 when it
// runs, 2 on pause, 4 on cancel, 5 on any failure — as an upload does.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatahubClient } from '../../../src/api/datahub/client';
import { silentLogger } from '../../../src/api/logger';
import { TransferEngine } from '../../../src/transfer/engine';
import { MemoryJournal } from '../../../src/transfer/journal';
import { DATAHUB_DOWNLOAD_KIND, DatahubDownloadProtocol } from '../../../src/transfer/protocols/datahubDownload';
import { isTransferOf, type TransferRecord } from '../../../src/transfer/types';
import { tempDir, useTempDir, useTestEmulator } from '../helpers/emulator';
import { startDownload } from '../helpers/engine';
import { writeRandomFile } from '../helpers/files';
import { until } from '../helpers/until';

const PART = 64 * 1024;

interface State {
  subtasks: Record<string, { status_history: { status: number }[]; heartbeats: number; result_count: number }>;
}

describe('datahub-download reports the subtask status', function () {
  this.timeout(60_000);
  const emu = useTestEmulator(['datahub']);
  const src = useTempDir('dl-status-src-');
  let n = 0;

  async function subtaskWithInput(size: number): Promise<{ id: string; folder: string }> {
    const id = `dl-status-${++n}`;
    const file = writeRandomFile(src.path, `${id}.bin`, size);
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: id, input_file: { path: file.path, name: 'input.bin' } });
    return { id, folder: tempDir('dl-status-out-') };
  }

  function engineWith(retries = 4): TransferEngine {
    const client = new DatahubClient({ baseUrl: () => emu.url, token: async () => 't', logger: silentLogger });
    const engine = new TransferEngine({ journal: new MemoryJournal(), logger: silentLogger, concurrency: () => 1, progressIntervalMs: 10 });
    engine.registerProtocol(new DatahubDownloadProtocol({ client, tuning: () => ({ chunkSize: PART, partConcurrency: 1, retries, stallSeconds: 60 }) }));
    return engine;
  }

  const start = (engine: TransferEngine, id: string, folder: string): TransferRecord =>
    startDownload(engine, id, folder, 'input.bin');

  /** The subtask's reported statuses once there are as many as `expected` (the hooks report after the transfer settled). */
  async function statuses(id: string, expected: number[]): Promise<void> {
    const seen = await until(`${expected.length} status report(s) of ${id}`, async () => {
      const history = (await emu.admin<State>('GET', '/_emulator/state')).subtasks[id].status_history.map((h) => h.status);
      return history.length >= expected.length ? history : undefined;
    });
    assert.deepEqual(seen, expected);
  }

  const downloadDone = (r?: TransferRecord): number[] => (r && isTransferOf(DATAHUB_DOWNLOAD_KIND, r) ? r.checkpoint.done : undefined) ?? [];
  const whenPartsDone = (engine: TransferEngine, id: string, parts: number): Promise<true> =>
    until(`${parts} part(s) downloaded`, () => (((downloadDone(engine.get(id)))).length >= parts ? true : undefined));

  it('reports Running when it starts, and nothing else once it completes (no heartbeat, no result)', async () => {
    const { id, folder } = await subtaskWithInput(PART * 3 + 5);
    const engine = engineWith();
    const final = await engine.whenSettled(start(engine, id, folder));
    assert.equal(final.state, 'completed', final.error);
    await statuses(id, [1]);
    const sub = (await emu.admin<State>('GET', '/_emulator/state')).subtasks[id];
    assert.deepEqual([sub.heartbeats, sub.result_count], [0, 0]);
    await engine.dispose();
  });

  it('reports Paused on pause and Running again on resume', async () => {
    const { id, folder } = await subtaskWithInput(PART * 8);
    await emu.admin('POST', '/_emulator/faults', { route: 'download', latency_ms: 100 });
    const engine = engineWith();
    const record = start(engine, id, folder);
    await whenPartsDone(engine, record.id, 1);
    engine.pause(record.id);
    assert.equal((await engine.whenSettled(record)).state, 'paused');
    await statuses(id, [1, 2]);
    await emu.admin('DELETE', '/_emulator/faults');
    engine.resume(record.id);
    assert.equal((await engine.whenSettled(record)).state, 'completed');
    await statuses(id, [1, 2, 1]);
    await engine.dispose();
  });

  it('reports Cancelled on cancel', async () => {
    const { id, folder } = await subtaskWithInput(PART * 8);
    await emu.admin('POST', '/_emulator/faults', { route: 'download', latency_ms: 100 });
    const engine = engineWith();
    const record = start(engine, id, folder);
    await whenPartsDone(engine, record.id, 1);
    engine.cancel(record.id);
    assert.equal((await engine.whenSettled(record)).state, 'cancelled');
    await statuses(id, [1, 4]);
    await engine.dispose();
  });

  it('reports Failed when the download fails', async () => {
    const { id, folder } = await subtaskWithInput(PART * 2);
    await emu.admin('POST', '/_emulator/faults', { route: 'download', error_rate: 1, status: 400 });
    const engine = engineWith(0);
    const final = await engine.whenSettled(start(engine, id, folder));
    assert.equal(final.state, 'failed');
    await statuses(id, [1, 5]);
    await engine.dispose();
  });

  it('reports Failed, and no Running, when it is refused locally before any byte moves (the file exists)', async () => {
    const { id, folder } = await subtaskWithInput(100);
    writeFileSync(join(folder, 'input.bin'), 'mine');
    const engine = engineWith();
    const final = await engine.whenSettled(start(engine, id, folder));
    assert.equal(final.state, 'failed');
    assert.match(final.error ?? '', /exists already/);
    await statuses(id, [5]);
    await engine.dispose();
  });
});
