// What a transfer shows while it runs: speed and time left from confirmed bytes (smoothed), "stalled" when nothing
// moves, and a percent that never goes back — through the engine, on a fake clock.
import * as assert from 'node:assert/strict';
import * as v from 'valibot';
import { silentLogger } from '../../../src/api/logger';
import { TransferEngine } from '../../../src/transfer/engine';
import { FileJournal, MemoryJournal, type JournalStore } from '../../../src/transfer/journal';
import { STALLED_AFTER_MS } from '../../../src/transfer/progressTracker';
import { RateEstimator } from '../../../src/transfer/throughput';
import { defineKind, type Protocol, type ProtocolRun } from '../../../src/transfer/types';
import { useFakeClock } from '../helpers/clock';
import { useTempDir } from '../helpers/emulator';

const MB = 1_000_000;
const LIVE = defineKind('live', 'upload', v.object({}), v.object({ confirmed: v.optional(v.number()) }));
type LiveRun = ProtocolRun<Record<string, never>, { confirmed?: number }>;

/** A protocol the test drives by hand: it reports what the test says and ends when the test says (or on abort). */
class LiveProtocol implements Protocol<Record<string, never>, { confirmed?: number }> {
  readonly kind = LIVE;
  current: LiveRun | undefined;
  private end: (() => void) | undefined;

  run(run: LiveRun): Promise<void> {
    this.current = run;
    return new Promise((resolve, reject) => {
      this.end = resolve;
      run.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true });
    });
  }

  finish(): void {
    this.end?.();
  }

  get live(): LiveRun {
    if (!this.current) throw new Error('the transfer is not running');
    return this.current;
  }
}

function liveEngine(journal: JournalStore = new MemoryJournal()): { engine: TransferEngine; protocol: LiveProtocol } {
  const engine = new TransferEngine({ journal, logger: silentLogger, concurrency: () => 1, progressIntervalMs: 10 });
  const protocol = new LiveProtocol();
  engine.registerProtocol(protocol);
  return { engine, protocol };
}

describe('honest transfer progress', () => {
  const fake = useFakeClock();
  const dir = useTempDir();
  const engines: TransferEngine[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.dispose();
  });

  async function started(journal?: JournalStore) {
    const made = liveEngine(journal);
    engines.push(made.engine);
    const record = made.engine.start(LIVE, {}, { label: 'big.bin', bytesTotal: 100 * MB });
    await fake.clock.tickAsync(0);
    assert.equal(record.state, 'running');
    return { ...made, record };
  }

  it('speed and time left come from confirmed bytes: bytes handed to the socket in a burst are no speed', async () => {
    const { clock } = fake;
    const { protocol, record } = await started();
    const run = protocol.live;
    // Four 5 MB parts go into socket buffers within 50 ms; the link carries 3 MB/s, so the store confirms none yet.
    await clock.tickAsync(50);
    run.progress({ bytesDone: 20 * MB, bytesConfirmed: 0, bytesTotal: 100 * MB, phase: 'uploading' });
    assert.equal(record.progress.bytesPerSecond, 0, 'no speed before the store confirmed anything (it was 400 MB/s from sent bytes)');
    assert.equal(record.progress.etaSeconds, undefined, 'no time left before a speed is known');
    assert.equal(record.progress.bytesDone, 20 * MB, 'the percent still moves with the bytes sent');
    // Then one 5 MB part is confirmed every 5/3 s: 3 MB/s, whatever the sent count says.
    for (let part = 1; part <= 12; part++) {
      await clock.tickAsync(1667);
      run.progress({ bytesDone: Math.min(100 * MB, 20 * MB + part * 5 * MB), bytesConfirmed: part * 5 * MB, phase: 'uploading' });
      const rate = record.progress.bytesPerSecond;
      assert.ok(rate > 2.5 * MB && rate < 3.5 * MB, `part ${part}: ${rate} B/s shown for a 3 MB/s link`);
      const eta = record.progress.etaSeconds ?? -1;
      const truth = (100 - part * 5) / 3;
      assert.ok(Math.abs(eta - truth) < truth * 0.2 + 1, `part ${part}: ${eta} s left shown, about ${truth} s in truth`);
    }
    protocol.finish();
  });

  it('parts confirmed in bunches (four in flight) give a calm average, never the burst rate', () => {
    const rate = new RateEstimator();
    let t = 0;
    rate.restartAt(0, t);
    let confirmed = 0;
    const seen: number[] = [];
    for (let round = 1; round <= 10; round++) {
      // 20 MB per round at 3 MB/s: four 5 MB parts confirmed within 3 ms of each other.
      t = round * 6667;
      for (let i = 0; i < 4; i++) {
        confirmed += 5 * MB;
        rate.observe(confirmed, t + i);
        seen.push(rate.bytesPerSecond() ?? 0);
      }
    }
    const settled = seen.slice(8);
    assert.ok(Math.max(...settled) < 5 * MB, `at most ${Math.max(...settled)} B/s`);
    assert.ok(Math.min(...settled) > 1.2 * MB, `at least ${Math.min(...settled)} B/s`);
  });

  it('a report of the files in flight alone (a folder file hashing) is shown, but starts no speed meter: no "stalled" while files hash', async () => {
    const { clock } = fake;
    const { protocol, record } = await started();
    const run = protocol.live;
    run.progress({ files: { 'big/a.bin': { phase: 'hashing', done: 1 * MB } } });
    assert.deepEqual(record.progress.files, { 'big/a.bin': { phase: 'hashing', done: 1 * MB } });
    await clock.tickAsync(STALLED_AFTER_MS + 2000);
    run.progress({ files: { 'big/a.bin': { phase: 'hashing', done: 90 * MB } } });
    assert.equal(record.progress.stalled, undefined, 'hashing a large file is no stall of the upload');
    assert.equal(record.progress.phase, undefined);
    // The bytes sent then carry the files along; once the run is over nothing is in flight.
    run.progress({ bytesDone: 1 * MB, bytesConfirmed: 0, phase: 'uploading', files: { 'big/a.bin': { phase: 'uploading', done: 1 * MB } } });
    assert.deepEqual(record.progress.files, { 'big/a.bin': { phase: 'uploading', done: 1 * MB } });
    protocol.finish();
    await clock.tickAsync(0);
    assert.equal(record.state, 'completed');
    assert.equal(record.progress.files, undefined, 'no file in flight once it completed');
  });

  it('says "stalled" when nothing has moved for a while, and stops saying it when bytes move again', async () => {
    const { clock } = fake;
    const { protocol, record, engine } = await started();
    const run = protocol.live;
    let events = 0;
    engine.onDidChange(() => events++);
    run.progress({ bytesDone: 5 * MB, bytesConfirmed: 5 * MB, phase: 'uploading' });
    await clock.tickAsync(STALLED_AFTER_MS - 1000);
    assert.equal(record.progress.stalled, undefined, 'not stalled before the limit');
    const before = events;
    await clock.tickAsync(1000 + 20);
    assert.equal(record.progress.stalled, true, 'stalled once nothing moved for the limit');
    assert.equal(record.progress.bytesPerSecond, 0);
    assert.equal(record.progress.etaSeconds, undefined);
    assert.ok(events > before, 'the view heard of it without any report from the protocol');
    run.progress({ bytesDone: 6 * MB, phase: 'uploading' });
    assert.equal(record.progress.stalled, undefined, 'moving again');
    protocol.finish();
  });

  it('a phase with its own counter (hashing) never replaces the transfer\'s bytes', async () => {
    const { protocol, record } = await started();
    const run = protocol.live;
    run.progress({ bytesDone: 30 * MB, bytesConfirmed: 30 * MB, phase: 'uploading' });
    run.progress({ bytesDone: 1 * MB, bytesTotal: 4 * MB, phase: 'hashing' });
    assert.equal(record.progress.bytesDone, 30 * MB);
    assert.equal(record.progress.bytesTotal, 100 * MB);
    assert.deepEqual([record.progress.phaseDone, record.progress.phaseTotal], [1 * MB, 4 * MB]);
    protocol.finish();
  });

  it('the percent never goes back on pause and resume, nor after a reload', async () => {
    const { clock } = fake;
    const journal = new FileJournal(dir.path);
    const { engine, protocol, record } = await started(journal);
    // 45 MB sent, 40 MB confirmed: a pause loses the 5 MB in flight, the resumed run starts from 40 MB.
    protocol.live.progress({ bytesDone: 45 * MB, bytesConfirmed: 40 * MB, phase: 'uploading' });
    await protocol.live.checkpoint({ confirmed: 40 * MB });
    engine.pause(record.id);
    await clock.tickAsync(0);
    assert.equal((await engine.whenSettled(record)).state, 'paused');
    assert.equal(record.progress.bytesDone, 45 * MB);
    engine.resume(record.id);
    await clock.tickAsync(0);
    protocol.live.progress({ bytesDone: 40 * MB, bytesConfirmed: 40 * MB, phase: 'uploading' });
    assert.equal(record.progress.bytesDone, 45 * MB, 'held at 45 MB after the resume (it showed 40 MB before the fix)');
    protocol.live.progress({ bytesDone: 47 * MB, phase: 'uploading' });
    assert.equal(record.progress.bytesDone, 47 * MB, 'moves on once passed');
    // A reload: the engine goes away with the transfer running; the next one restores it from the journal.
    await engine.dispose();
    engines.splice(engines.indexOf(engine), 1);
    const again = liveEngine(new FileJournal(dir.path));
    engines.push(again.engine);
    await again.engine.restore();
    const restored = again.engine.get(record.id);
    assert.equal(restored?.state, 'paused');
    assert.equal(restored?.progress.bytesDone, 47 * MB, 'the journal kept what was shown');
    again.engine.resume(record.id);
    await clock.tickAsync(0);
    again.protocol.live.progress({ bytesDone: 40 * MB, bytesConfirmed: 40 * MB, phase: 'uploading' });
    assert.equal(restored?.progress.bytesDone, 47 * MB, 'held after the reload too');
    again.protocol.finish();
    assert.equal((await again.engine.whenSettled(record.id)).state, 'completed');
  });
});
