// The engine with a scripted protocol: queue limit, pause/resume/cancel/retry, journal restore, progress throttling.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../../src/api/logger';
import { TransferEngine } from '../../../src/transfer/engine';
import { FileJournal, MemoryJournal } from '../../../src/transfer/journal';
import { sleep } from '../../../src/transfer/retry';
import type { Protocol, ProtocolRun } from '../../../src/transfer/types';
import { tempDir } from '../helpers/emulator';

/** Counts to `steps`, checkpointing each step, honouring the abort signal. */
class CountingProtocol implements Protocol {
  readonly name = 'counting';
  running = 0;
  maxRunning = 0;
  hooks: string[] = [];
  constructor(private readonly steps = 10, private readonly stepMs = 20, private readonly failAt?: number) {}
  async run(run: ProtocolRun): Promise<void> {
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      let step = typeof run.record.checkpoint.step === 'number' ? run.record.checkpoint.step : 0;
      while (step < this.steps) {
        await sleep(this.stepMs, run.signal);
        if (this.failAt !== undefined && step === this.failAt && run.record.checkpoint.failedOnce !== true) {
          await run.checkpoint({ failedOnce: true });
          throw new Error(`step ${step} broke`);
        }
        step++;
        run.progress({ bytesDone: step, bytesTotal: this.steps });
        await run.checkpoint({ step });
      }
    } finally {
      this.running--;
    }
  }
  async onPaused(): Promise<void> {
    this.hooks.push('paused');
  }
  async onCancelled(): Promise<void> {
    this.hooks.push('cancelled');
  }
  async onFailed(): Promise<void> {
    this.hooks.push('failed');
  }
}

function engineWith(protocol: Protocol, concurrency = 2, journal = new MemoryJournal()) {
  const engine = new TransferEngine({ journal, logger: silentLogger, concurrency: () => concurrency, progressIntervalMs: 10 });
  engine.registerProtocol(protocol);
  return engine;
}

const add = (engine: TransferEngine, label = 't') => engine.add({ protocol: 'counting', direction: 'upload', label, params: {}, bytesTotal: 10 });

describe('transfer engine', () => {
  it('runs at most `concurrency` transfers at once and finishes them all', async () => {
    const protocol = new CountingProtocol(5, 10);
    const engine = engineWith(protocol, 2);
    const records = [add(engine, 'a'), add(engine, 'b'), add(engine, 'c'), add(engine, 'd')];
    assert.deepEqual(records.map((r) => engine.get(r.id)?.state), ['running', 'running', 'queued', 'queued']);
    const finals = await Promise.all(records.map(async (r) => {
      await sleep(5);
      return engine.whenSettled(r.id);
    }));
    assert.deepEqual(finals.map((r) => r.state), ['completed', 'completed', 'completed', 'completed']);
    assert.equal(protocol.maxRunning, 2);
  });

  it('lists newest first', async () => {
    const engine = engineWith(new CountingProtocol(1, 1));
    const a = add(engine, 'first');
    await sleep(3);
    const b = add(engine, 'second');
    assert.deepEqual(engine.list().map((r) => r.id), [b.id, a.id]);
  });

  it('pauses and resumes from the checkpoint, calling onPaused', async () => {
    const protocol = new CountingProtocol(10, 20);
    const engine = engineWith(protocol);
    const r = add(engine);
    await sleep(90);
    engine.pause(r.id);
    const paused = await engine.whenSettled(r.id);
    assert.equal(paused.state, 'paused');
    const stepAtPause = paused.checkpoint.step as number;
    assert.ok(stepAtPause > 0 && stepAtPause < 10);
    await sleep(5);
    assert.deepEqual(protocol.hooks, ['paused']);
    engine.resume(r.id);
    const done = await engine.whenSettled(r.id);
    assert.equal(done.state, 'completed');
    assert.equal(done.checkpoint.step, 10);
  });

  it('cancels at once, calls onCancelled, and a retry starts from scratch', async () => {
    const protocol = new CountingProtocol(10, 20);
    const engine = engineWith(protocol);
    const r = add(engine);
    await sleep(70);
    const t0 = Date.now();
    engine.cancel(r.id);
    const cancelled = await engine.whenSettled(r.id);
    assert.ok(Date.now() - t0 < 200);
    assert.equal(cancelled.state, 'cancelled');
    engine.retry(r.id);
    assert.deepEqual(engine.get(r.id)?.checkpoint, {});
    assert.equal((await engine.whenSettled(r.id)).state, 'completed');
    assert.deepEqual(protocol.hooks, ['cancelled']);
  });

  it('a failure is recorded with its message; retry continues from the checkpoint', async () => {
    const protocol = new CountingProtocol(6, 5, 3);
    const engine = engineWith(protocol);
    const r = add(engine);
    const failed = await engine.whenSettled(r.id);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.error, 'step 3 broke');
    assert.equal(failed.checkpoint.step, 3);
    engine.retry(r.id);
    const done = await engine.whenSettled(r.id);
    assert.equal(done.state, 'completed');
    assert.equal(done.error, undefined);
  });

  it('a source that changed fails as such; Retry starts over and lets the protocol discard the old checkpoint', async () => {
    const discarded: unknown[] = [];
    let changed = false;
    const protocol: Protocol = {
      name: 'counting',
      run: async (run) => {
        await run.checkpoint({ step: 1 });
        if (!changed) {
          await sleep(10_000, run.signal);
        }
      },
      checkResumable: async (record) => (changed && record.checkpoint.step === 1 ? 'the file changed' : undefined),
      onDiscarded: async (record) => {
        discarded.push(structuredClone(record.checkpoint));
      },
    };
    const engine = engineWith(protocol);
    const r = add(engine);
    await sleep(30);
    engine.pause(r.id);
    await engine.whenSettled(r.id);
    changed = true;
    engine.resume(r.id);
    await sleep(5);
    const failed = await engine.whenSettled(r.id);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.errorKind, 'source-changed');
    engine.retry(r.id);
    await sleep(5);
    const done = await engine.whenSettled(r.id);
    assert.equal(done.state, 'completed');
    assert.deepEqual(discarded, [{ step: 1 }]);
  });

  it('clearFinished removes finished transfers only', async () => {
    const engine = engineWith(new CountingProtocol(50, 20), 1);
    const a = add(engine, 'a');
    const b = add(engine, 'b');
    engine.cancel(b.id);
    assert.equal(engine.clearFinished(), 1);
    assert.deepEqual(engine.list().map((r) => r.id), [a.id]);
    engine.cancel(a.id);
    await engine.whenSettled(a.id);
  });

  it('writes the journal atomically and restores unfinished transfers as paused', async () => {
    const dir = tempDir();
    const journalDir = join(dir, 'journal');
    const protocol = new CountingProtocol(10, 20);
    const first = engineWith(protocol, 2, new FileJournal(journalDir) as unknown as MemoryJournal);
    const r = add(first);
    await sleep(90);
    await first.dispose();
    await sleep(50);
    const files = readdirSync(journalDir);
    assert.deepEqual(files.filter((f) => f.endsWith('.tmp')), [], 'no temp file left behind');
    const stored = JSON.parse(readFileSync(join(journalDir, `${r.id}.json`), 'utf8'));
    assert.ok(stored.checkpoint.step > 0);

    const second = engineWith(new CountingProtocol(10, 5), 2, new FileJournal(journalDir) as unknown as MemoryJournal);
    const restored = await second.restore();
    assert.equal(restored.length, 1);
    assert.equal(second.get(r.id)?.state, 'paused');
    second.resume(r.id);
    const done = await second.whenSettled(r.id);
    assert.equal(done.state, 'completed');
    second.clearFinished();
    await sleep(20);
    assert.equal(existsSync(join(journalDir, `${r.id}.json`)), false);
  });

  it('throttles progress events', async () => {
    const engine = new TransferEngine({ journal: new MemoryJournal(), logger: silentLogger, concurrency: () => 1, progressIntervalMs: 100 });
    let events = 0;
    engine.registerProtocol({
      name: 'chatty',
      run: async (run) => {
        for (let i = 0; i < 1000; i++) run.progress({ bytesDone: i, bytesTotal: 1000 });
        await sleep(250);
      },
    });
    engine.onDidChange((record) => {
      if (!record) events++;
    });
    const r = engine.add({ protocol: 'chatty', direction: 'upload', label: 'c', params: {} });
    await engine.whenSettled(r.id);
    assert.ok(events <= 4, `${events} progress events for 1000 updates`);
  });
});
