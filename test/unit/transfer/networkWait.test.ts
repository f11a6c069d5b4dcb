// Riding out a network drop: the transfer waits ("waiting for network", with the next try's time), probes, and goes
// on by itself when the endpoint answers; it fails only when the window runs out. Unit (fake clock) and end to end.
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { DatahubClient } from '../../../src/api/datahub/client';
import { ApiError } from '../../../src/api/errors';
import { keepAliveAgents } from '../../../src/api/http';
import { silentLogger } from '../../../src/api/logger';
import { TransferEngine, WAITING_FOR_NETWORK } from '../../../src/transfer/engine';
import { MemoryJournal } from '../../../src/transfer/journal';
import { isUnreachable, NetworkWaitExpiredError, probeUrl, rideOutOutages, type OutageHooks } from '../../../src/transfer/networkWait';
import { DatahubUploadProtocol, type DatahubUploadTuning } from '../../../src/transfer/protocols/datahubUpload';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import { useFakeClock } from '../helpers/clock';
import { adminClient, SMALL_PARTS, tempDir, useTempDir } from '../helpers/emulator';
import { heldRequests, startUpload } from '../helpers/engine';
import { writeRandomFile } from '../helpers/files';
import { until } from '../helpers/until';

const refused = (): Error => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });

describe('network wait', () => {
  describe('rideOutOutages (fake clock)', () => {
    const fake = useFakeClock();

    function hooks(answers: boolean[]): OutageHooks & { waits: number[]; probes: number } {
      const waits: number[] = [];
      const h = {
        waits,
        probes: 0,
        waiting: (next: number) => waits.push(next - Date.now()),
        probe: async () => {
          h.probes++;
          if (!answers.shift()) throw refused();
        },
        lastProgressAt: () => 0,
      };
      return h;
    }

    it('after an unreachable endpoint, waits, probes with a doubling pause, and runs again once it answers', async () => {
      const { clock } = fake;
      let attempts = 0;
      const h = hooks([false, false, true]);
      const done = rideOutOutages(
        async () => {
          attempts++;
          if (attempts === 1) throw new ApiError('datahub', undefined, 'ECONNREFUSED', 'connect ECONNREFUSED', true);
          return 'sent';
        },
        () => ({ windowMs: 60_000 }),
        h,
        new AbortController().signal,
      );
      await clock.tickAsync(999);
      assert.equal(h.probes, 0, 'no probe before the first pause is over');
      await clock.tickAsync(1 + 2000 + 4000);
      assert.equal(await done, 'sent');
      assert.deepEqual(h.waits, [1000, 2000, 4000]);
      assert.equal(h.probes, 3);
      assert.equal(attempts, 2);
    });

    it('fails with the network error once the window has run out', async () => {
      const { clock } = fake;
      const h = hooks([]);
      const done = rideOutOutages(() => Promise.reject(refused()), () => ({ windowMs: 10_000 }), h, new AbortController().signal);
      const failure = assert.rejects(done, (e: unknown) => e instanceof NetworkWaitExpiredError && /ECONNREFUSED.*did not answer for 0\.2 min/.test(e.message));
      await clock.tickAsync(60_000);
      await failure;
      assert.deepEqual(h.waits, [1000, 2000, 4000], 'no wait that would end past the window');
    });

    it('a refusal with an HTTP status, or a zero window, fails at once', async () => {
      const h = hooks([]);
      const notFound = new ApiError('datahub', 404, 'NOT_FOUND', 'no such subtask');
      await assert.rejects(rideOutOutages(() => Promise.reject(notFound), () => ({ windowMs: 60_000 }), h, new AbortController().signal), /no such subtask/);
      await assert.rejects(rideOutOutages(() => Promise.reject(refused()), () => ({ windowMs: 0 }), h, new AbortController().signal), /ECONNREFUSED/);
      assert.equal(h.waits.length, 0);
    });

    it('a pause while waiting ends the wait at once', async () => {
      const { clock } = fake;
      const stop = new AbortController();
      const h = hooks([]);
      const done = rideOutOutages(() => Promise.reject(refused()), () => ({ windowMs: 60_000 }), h, stop.signal);
      const failure = assert.rejects(done, { name: 'AbortError' });
      await clock.tickAsync(10);
      assert.equal(h.waits.length, 1);
      stop.abort();
      await failure;
      assert.equal(h.probes, 0);
    });

    it('tells an unreachable endpoint from a refusal', () => {
      assert.ok(isUnreachable(refused()));
      assert.ok(isUnreachable(new ApiError('datahub', undefined, 'ECONNRESET', 'socket hang up', true)));
      assert.ok(isUnreachable(Object.assign(new Error('fetch failed'), { cause: refused() })));
      assert.ok(!isUnreachable(new ApiError('datahub', 503, 503, 'busy', true)));
      assert.ok(!isUnreachable(new Error('the file changed')));
    });
  });

  describe('end to end: the emulator goes away mid-upload and comes back', function () {
    this.timeout(60_000);
    const dir = useTempDir();
    let emulator: RunningEmulator | undefined;
    let dataDir = '';
    const made: TransferEngine[] = [];
    afterEach(async () => {
      for (const engine of made.splice(0)) await engine.dispose();
      await emulator?.close();
      emulator = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('the upload waits for the network, resumes by itself when the endpoint answers, and completes', async () => {
      dataDir = tempDir('datahub-emu-blip-');
      emulator = await startEmulator({ port: 0, dataDir, store: SMALL_PARTS });
      const url = emulator.url;
      const port = Number(new URL(url).port);
      const admin = adminClient(url);
      const subtask = `blip-${Date.now()}`;
      await admin('POST', '/_emulator/subtasks', { subtask_id: subtask });
      const file = writeRandomFile(dir.path, 'blip.bin', 64 * 1024 * 12 + 5);

      const client = new DatahubClient({ baseUrl: () => url, token: async () => 'test-token', logger: silentLogger });
      const engine = new TransferEngine({
        journal: new MemoryJournal(),
        logger: silentLogger,
        concurrency: () => 1,
        progressIntervalMs: 10,
        networkWait: () => ({ windowMs: 60_000, firstDelayMs: 200, maxDelayMs: 400 }),
        probe: (_record, signal) => probeUrl(url, signal),
      });
      made.push(engine);
      // One quick retry only: the drop outlasts it, so only the network wait can save the upload.
      const tuning: DatahubUploadTuning = { chunkSize: 64 * 1024, partConcurrency: 2, retries: 1, heartbeatSeconds: 30, stallSeconds: 60 };
      engine.registerProtocol(new DatahubUploadProtocol({ client, agents: keepAliveAgents(8), tuning: () => tuning }));

      // Three parts go through; the next ones are held unanswered: the drop comes in the middle of the upload.
      await admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 3 });
      const record = await startUpload(engine, subtask, [{ path: file.path, name: 'blip.bin' }]);
      await heldRequests(admin, 1);
      await emulator.close();
      emulator = undefined;
      await until('the transfer to wait for the network', () => (record.progress.phase === WAITING_FOR_NETWORK ? true : undefined));
      assert.equal(record.state, 'running', 'waiting, not failed');
      assert.ok((record.progress.nextAttemptAt ?? 0) > Date.now() - 1000, 'the next try has a time');
      const percentAtDrop = record.progress.bytesDone;

      emulator = await startEmulator({ port, dataDir, store: SMALL_PARTS });
      const final = await engine.whenSettled(record);
      assert.equal(final.state, 'completed', final.error);
      assert.ok(final.progress.bytesDone >= percentAtDrop);
      const state = await adminClient(emulator.url)<{ objects: { subtask_id: string; md5: string }[] }>('GET', '/_emulator/state');
      assert.equal(state.objects.find((o) => o.subtask_id === subtask)?.md5, file.md5, 'the stored file is the one sent');
    });
  });
});
