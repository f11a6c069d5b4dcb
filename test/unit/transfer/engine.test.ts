// The engine with a scripted protocol: queue limit, pause/resume/cancel/retry, journal restore and dispose, progress throttling.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../../src/api/logger';
import { TransferEngine } from '../../../src/transfer/engine';
import { FileJournal, type JournalStore, MemoryJournal } from '../../../src/transfer/journal';
import * as v from 'valibot';
import { defineKind, isTransferOf, type Protocol, type TransferRecord } from '../../../src/transfer/types';
import { useFakeClock } from '../helpers/clock';
import { useTempDir } from '../helpers/emulator';
import { COUNTING, type CountingCheckpoint, type CountingParams, SteppedProtocol } from '../helpers/steps';
import { until } from '../helpers/until';

function engineWith(protocol: Protocol<CountingParams, CountingCheckpoint>, concurrency = 2, journal: JournalStore = new MemoryJournal()) {
  const engine = new TransferEngine({ journal, logger: silentLogger, concurrency: () => concurrency, progressIntervalMs: 10 });
  engine.registerProtocol(protocol);
  return engine;
}

const add = (engine: TransferEngine, label = 't') => engine.start(COUNTING, {}, { label, bytesTotal: 10 });

/** Waits until the transfer's checkpoint has reached `step` (the protocol holds the step after it). */
const atStep = (record: TransferRecord<CountingParams, CountingCheckpoint>, step: number) => until(`step ${step} of ${record.id}`, () => (record.checkpoint.step === step ? true : undefined));

describe('transfer engine', () => {
  const engines: TransferEngine[] = [];
  const tracked = (engine: TransferEngine): TransferEngine => {
    engines.push(engine);
    return engine;
  };
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.dispose();
  });

  it('runs at most `concurrency` transfers at once and finishes them all', async () => {
    const protocol = new SteppedProtocol(5).holdAt(1);
    const engine = tracked(engineWith(protocol, 2));
    const records = [add(engine, 'a'), add(engine, 'b'), add(engine, 'c'), add(engine, 'd')];
    assert.deepEqual(records.map((r) => engine.get(r.id)?.state), ['running', 'running', 'queued', 'queued']);
    protocol.release();
    const finals = await Promise.all(records.map((r) => engine.whenSettled(r)));
    assert.deepEqual(finals.map((r) => r.state), ['completed', 'completed', 'completed', 'completed']);
    assert.equal(protocol.maxRunning, 2);
  });

  it('lists newest first', async () => {
    const engine = tracked(engineWith(new SteppedProtocol(1)));
    const a = add(engine, 'first');
    await until('the clock to move past the first transfer', () => (Date.now() > a.createdAt ? true : undefined));
    const b = add(engine, 'second');
    assert.deepEqual(engine.list().map((r) => r.id), [b.id, a.id]);
  });

  it('pauses and resumes from the checkpoint, calling onPaused', async () => {
    const protocol = new SteppedProtocol(10).holdAt(4);
    const engine = tracked(engineWith(protocol));
    const r = add(engine);
    await atStep(r, 3);
    engine.pause(r.id);
    const paused = await engine.whenSettled(r);
    assert.equal(paused.state, 'paused');
    assert.equal(paused.checkpoint.step, 3);
    await until('the onPaused hook', () => (protocol.hooks.length > 0 ? true : undefined));
    assert.deepEqual(protocol.hooks, ['paused']);
    protocol.release();
    engine.resume(r.id);
    const done = await engine.whenSettled(r);
    assert.equal(done.state, 'completed');
    assert.equal(done.checkpoint.step, 10);
  });

  it('cancels a run that would never finish by itself, calls onCancelled, and a retry starts from scratch', async () => {
    // Held at step 3 until released: only the cancel's abort can end the run.
    const protocol = new SteppedProtocol(10).holdAt(3);
    const engine = tracked(engineWith(protocol));
    const r = add(engine);
    await atStep(r, 2);
    engine.cancel(r.id);
    const cancelled = await engine.whenSettled(r);
    assert.equal(cancelled.state, 'cancelled');
    protocol.release();
    engine.retry(r.id);
    assert.deepEqual(engine.get(r.id)?.checkpoint, {});
    assert.equal((await engine.whenSettled(r)).state, 'completed');
    await until('the onCancelled hook', () => (protocol.hooks.length > 0 ? true : undefined));
    assert.deepEqual(protocol.hooks, ['cancelled']);
  });

  it('a failure is recorded with its message; retry continues from the checkpoint', async () => {
    const protocol = new SteppedProtocol(6, 3);
    const engine = tracked(engineWith(protocol));
    const r = add(engine);
    const failed = await engine.whenSettled(r);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.error, 'step 3 broke');
    assert.equal(failed.checkpoint.step, 3);
    engine.retry(r.id);
    const done = await engine.whenSettled(r);
    assert.equal(done.state, 'completed');
    assert.equal(done.error, undefined);
  });

  it('a source that changed fails as such; Retry starts over and lets the protocol discard the old checkpoint', async () => {
    const discarded: unknown[] = [];
    let changed = false;
    const stepped = new SteppedProtocol(2).holdAt(2);
    const protocol: Protocol<CountingParams, CountingCheckpoint> = {
      kind: COUNTING,
      run: (run) => stepped.run(run),
      checkResumable: async (record) => (changed && record.checkpoint.step === 1 ? 'the file changed' : undefined),
      onDiscarded: async (record) => {
        discarded.push(structuredClone(record.checkpoint));
      },
    };
    const engine = tracked(engineWith(protocol));
    const r = add(engine);
    await atStep(r, 1);
    engine.pause(r.id);
    await engine.whenSettled(r);
    changed = true;
    engine.resume(r.id);
    const failed = await engine.whenSettled(r);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.errorKind, 'source-changed');
    stepped.release();
    engine.retry(r.id);
    const done = await engine.whenSettled(r);
    assert.equal(done.state, 'completed');
    assert.deepEqual(discarded, [{ step: 1 }]);
  });

  it('clearFinished removes finished transfers only', async () => {
    const engine = tracked(engineWith(new SteppedProtocol(50).holdAt(1), 1));
    const a = add(engine, 'a');
    const b = add(engine, 'b');
    engine.cancel(b.id);
    assert.equal(engine.clearFinished(), 1);
    assert.deepEqual(engine.list().map((r) => r.id), [a.id]);
    engine.cancel(a.id);
    await engine.whenSettled(a);
  });

  describe('with a journal folder', () => {
    const temp = useTempDir();

    it('writes the journal atomically and restores unfinished transfers as paused', async () => {
      const journalDir = join(temp.path, 'restore');
      const first = engineWith(new SteppedProtocol(10).holdAt(4), 2, new FileJournal(journalDir));
      const r = add(first);
      await atStep(r, 3);
      await first.dispose();
      assert.deepEqual(readdirSync(journalDir).filter((f) => f.endsWith('.tmp')), [], 'no temp file left behind');
      const stored = await new FileJournal(journalDir).load(r.id);
      assert.ok(stored && isTransferOf(COUNTING, stored), 'the journal holds the transfer, in its shape');
      assert.equal(stored.checkpoint.step, 3);

      const second = engineWith(new SteppedProtocol(10), 2, new FileJournal(journalDir));
      const restored = await second.restore();
      assert.deepEqual(restored.interrupted.map((x) => x.id), [r.id]);
      assert.equal(second.get(r.id)?.state, 'paused');
      second.resume(r.id);
      const done = await second.whenSettled(r.id);
      assert.equal(done.state, 'completed');
      assert.ok(isTransferOf(COUNTING, done));
      assert.equal(done.checkpoint.step, 10);
      second.clearFinished();
      await second.dispose();
      assert.equal(existsSync(join(journalDir, `${r.id}.json`)), false, 'the finished transfer left the journal');
    });

    it('dispose resolves only after the journal writes in flight have landed', async () => {
      // A journal whose saves land only when the test says: dispose must still be waiting for them.
      const landed: string[] = [];
      let letLand: (() => void) | undefined;
      const held = new Promise<void>((resolve) => (letLand = resolve));
      const journal: JournalStore = {
        loadAll: async () => ({ records: [], setAside: [] }),
        load: async () => undefined,
        save: async (record) => {
          const step = isTransferOf(COUNTING, record) ? record.checkpoint.step : undefined;
          const snapshot = `${record.state}:${String(step ?? '-')}`;
          await held;
          landed.push(snapshot);
        },
        remove: async () => undefined,
        setAside: async (id, reason) => ({ file: id, reason }),
        flush: async () => undefined,
      };
      const engine = engineWith(new SteppedProtocol(10), 2, journal);
      add(engine);
      let disposed = false;
      const disposing = engine.dispose().then(() => (disposed = true));
      // Nothing can land before letLand(): a dispose that does not wait for the writes has resolved by the next turn.
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(disposed, false, 'dispose returned while journal writes were in flight');
      letLand?.();
      await disposing;
      assert.deepEqual(landed.slice(0, 2), ['queued:-', 'running:-'], `landed: ${landed.join(', ')}`);
    });
  });

  describe('progress events', () => {
    const fake = useFakeClock();

    it('are throttled to one per interval, and do come: at least one per interval with updates', async () => {
      const { clock } = fake;
      const engine = new TransferEngine({ journal: new MemoryJournal(), logger: silentLogger, concurrency: () => 1, progressIntervalMs: 100 });
      let events = 0;
      let burst: ((count: number) => void) | undefined;
      let finish: (() => void) | undefined;
      const chatty = defineKind('chatty', 'upload', v.object({}), v.object({}));
      engine.registerProtocol({
        kind: chatty,
        run: (run) =>
          new Promise<void>((resolve) => {
            burst = (count) => {
              for (let i = 0; i < count; i++) run.progress({ bytesDone: i, bytesTotal: 1000 });
            };
            finish = resolve;
          }),
      });
      engine.onDidChange((record) => {
        if (!record) events++;
      });
      const r = engine.start(chatty, {}, { label: 'c' });
      await until('the run to start', () => burst);
      burst?.(1000);
      await clock.tickAsync(99);
      assert.equal(events, 0, 'no event before the interval has passed');
      await clock.tickAsync(1);
      assert.equal(events, 1, 'one event for 1000 updates in one interval');
      burst?.(500);
      await clock.tickAsync(100);
      assert.equal(events, 2, 'the next interval with updates brings the next event');
      await clock.tickAsync(1000);
      assert.equal(events, 2, 'no event for an interval without updates');
      finish?.();
      assert.equal((await engine.whenSettled(r)).state, 'completed');
      await engine.dispose();
    });
  });
});
