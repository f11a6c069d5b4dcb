// The part-hash worker thread (src/transfer/partHashWorker.ts) runs only for files of several parts: a folder of small
// files starts no thread per file (a thread costs milliseconds of CPU; a 4 KiB file's part MD5 is its whole MD5).
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TransferRuntime } from '../../../src/transfer/runtime';
import { SMALL_PARTS, tempDir, useTempDir, useTestEmulator } from '../helpers/emulator';
import { useCleanup } from '../helpers/cleanup';
import { testRuntime } from '../helpers/engine';
import { writeRandomFile } from '../helpers/files';

type WorkerThreads = typeof import('node:worker_threads');

interface EmulatorState {
  objects: { subtask_id: string; file_name: string; md5: string }[];
}

describe('part hashing worker', function () {
  this.timeout(60_000);
  const emu = useTestEmulator(undefined, SMALL_PARTS);
  const dir = useTempDir();
  const keep = useCleanup();
  // The module object partHashWorker.ts reads `Worker` from at each call: a counting subclass is put in its place.
  const threads = createRequire(__filename)('node:worker_threads') as WorkerThreads;
  const original = threads.Worker;
  let started = 0;

  beforeEach(() => {
    started = 0;
    threads.Worker = class CountingWorker extends original {
      constructor(...args: ConstructorParameters<WorkerThreads['Worker']>) {
        super(...args);
        started++;
      }
    };
  });
  afterEach(() => {
    threads.Worker = original;
  });

  function runtime(): TransferRuntime {
    return keep(testRuntime(emu.url, tempDir('worker-journal-')));
  }

  async function uploadAll(rt: TransferRuntime, paths: string[], subtaskId: string): Promise<void> {
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: subtaskId });
    const { record } = await rt.startDatahubUpload(paths, subtaskId);
    const final = await rt.engine.whenSettled(record);
    assert.equal(final.state, 'completed', final.error);
  }

  it('hashes a folder of single-part files without a worker thread, and a file of several parts with one', async () => {
    const rt = runtime();
    const folder = join(dir.path, 'small');
    mkdirSync(folder);
    const small = [writeRandomFile(folder, 'a.bin', 4096), writeRandomFile(folder, 'b.bin', 100 * 1024), writeRandomFile(folder, 'c.bin', 256 * 1024), writeRandomFile(folder, 'empty.bin', 0)];
    await uploadAll(rt, [folder], 'worker-small');
    assert.equal(started, 0, 'worker threads started for single-part files');
    const state = await emu.admin<EmulatorState>('GET', '/_emulator/state');
    for (const file of small) assert.equal(state.objects.find((o) => o.subtask_id === 'worker-small' && o.file_name.endsWith(file.path.slice(folder.length + 1)))?.md5, file.md5);

    // The counter sees the worker when there is one: three parts of 256 KiB.
    const large = writeRandomFile(dir.path, 'large.bin', 600 * 1024);
    await uploadAll(rt, [large.path], 'worker-large');
    assert.equal(started, 1, 'one worker thread for the file of three parts');
  });
});
