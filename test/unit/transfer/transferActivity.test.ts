// The details view's model: the bounded sample ring, the part map from part events, the bytes a retry sends again —
// the counting alone, and a retried part PUT and ranged GET against the emulator.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { PartAttempts, type PartEvent } from '../../../src/transfer/partActivity';
import { PartsModel, SampleRing, TransferActivityLog } from '../../../src/transfer/transferActivity';
import { useCleanup } from '../helpers/cleanup';
import { SMALL_PARTS, useTempDir, useTestEmulator } from '../helpers/emulator';
import { downloadEngine, heldRequests, startDownload, startUpload, uploadEngine } from '../helpers/engine';
import { writeRandomFile } from '../helpers/files';
import { until } from '../helpers/until';

const PART = 64 * 1024;

describe('transfer activity: sample ring', () => {
  it('keeps one sample a second, the later one of a second winning, and at most its capacity', () => {
    const ring = new SampleRing(3);
    ring.add(1_000, 10, 1);
    ring.add(1_999, 20, 2);
    assert.deepEqual(ring.values(), [{ at: 1_000, confirmed: 20, bytesPerSecond: 2 }]);
    ring.add(2_500, 30, 3);
    ring.add(3_000, 40, 4);
    ring.add(4_000, 50, 5);
    assert.deepEqual(
      ring.values().map((s) => s.at),
      [2_000, 3_000, 4_000],
      'the oldest went when a fourth second came',
    );
  });

  it('ignores a sample from before the last one (the clock went back)', () => {
    const ring = new SampleRing(5);
    ring.add(5_000, 10, 1);
    ring.add(3_000, 99, 9);
    assert.deepEqual(ring.values(), [{ at: 5_000, confirmed: 10, bytesPerSecond: 1 }]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => new SampleRing(0), /capacity 0/);
  });
});

describe('transfer activity: part map', () => {
  it('shows planned parts as pending or done, then in flight, retried, done and failed', () => {
    const parts = new PartsModel();
    parts.apply({ type: 'plan', sizes: [4, 4, 4, 4, 2], done: [1] });
    assert.deepEqual(parts.map(), [{ cells: 'dpppp' }]);
    parts.apply({ type: 'state', part: 2, state: 'sending' });
    parts.apply({ type: 'state', part: 3, state: 'sending' });
    parts.apply({ type: 'retry', part: 3, resent: 4 });
    parts.apply({ type: 'state', part: 4, state: 'failed' });
    assert.deepEqual(parts.map(), [{ cells: 'dssfp' }], 'a retry in flight is in flight');
    parts.apply({ type: 'state', part: 2, state: 'done' });
    parts.apply({ type: 'state', part: 3, state: 'done' });
    assert.deepEqual(parts.map(), [{ cells: 'ddrfp' }], 'a part done after a retry stays marked as retried');
    parts.apply({ type: 'state', part: 9, state: 'done' });
    assert.deepEqual(parts.map(), [{ cells: 'ddrfp' }], 'a part outside the plan is ignored');
  });

  it('keeps the files of a folder apart, and counts the parts of a file that no longer fits', () => {
    const parts = new PartsModel(4);
    parts.apply({ type: 'plan', file: 'a.bin', sizes: [1, 1], done: [] });
    parts.apply({ type: 'plan', file: 'b.bin', sizes: [1], done: [1] });
    parts.apply({ type: 'plan', file: 'c.bin', sizes: [1, 1], done: [] });
    parts.apply({ type: 'state', file: 'a.bin', part: 2, state: 'sending' });
    assert.deepEqual(parts.map(), [
      { file: 'a.bin', cells: 'ps' },
      { file: 'b.bin', cells: 'd' },
    ]);
    assert.equal(parts.hidden(), 2);
  });
});

describe('transfer activity: bytes re-sent', () => {
  it('counts what a failed attempt gave back when the next attempt starts, and only then', () => {
    const events: PartEvent[] = [];
    const attempts = new PartAttempts((e) => events.push(e), 3, 'f.bin');
    attempts.bytes(1000);
    attempts.bytes(24);
    attempts.bytes(-1024);
    attempts.retrying();
    attempts.bytes(1024);
    attempts.gaveBack(1024);
    attempts.retrying();
    attempts.retrying();
    attempts.bytes(1024);
    attempts.done();
    assert.deepEqual(events, [
      { type: 'state', part: 3, state: 'sending', file: 'f.bin' },
      { type: 'retry', part: 3, resent: 1024, file: 'f.bin' },
      { type: 'retry', part: 3, resent: 1024, file: 'f.bin' },
      { type: 'retry', part: 3, resent: 0, file: 'f.bin' },
      { type: 'state', part: 3, state: 'done', file: 'f.bin' },
    ]);
  });
});

describe('transfer activity against the emulator', function () {
  this.timeout(60_000);
  const emu = useTestEmulator(undefined, SMALL_PARTS);
  const dir = useTempDir();
  const keep = useCleanup();
  let n = 0;

  async function newSubtask(extra: Record<string, unknown> = {}): Promise<string> {
    const id = `activity-${++n}-${Date.now()}`;
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: id, ...extra });
    return id;
  }

  it('counts the bytes of a part PUT that was held, refused and sent again, and marks that part retried', async () => {
    const subtask = await newSubtask();
    const file = writeRandomFile(dir.path, 'resent.bin', PART * 4);
    // Part 1 lands; part 2 is sent whole and held unanswered, then refused with a 503 and retried.
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 1 });
    const { engine } = uploadEngine(emu.url, { partConcurrency: 1 });
    keep(engine);
    const log = keep(new TransferActivityLog(engine));
    const record = await startUpload(engine, subtask, [{ path: file.path, name: 'resent.bin' }]);
    await heldRequests(emu.admin);
    // Every byte of the held part has left the file (the progress counts them as sent, not yet confirmed).
    await until('the held part read whole', () => (record.progress.bytesDone === PART * 2 ? true : undefined));
    assert.deepEqual(log.get(record.id)?.parts.map(), [{ cells: 'dspp' }]);
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await engine.whenSettled(record);
    assert.equal(final.state, 'completed', final.error);
    const activity = log.get(record.id);
    assert.equal(activity?.retries, 1);
    assert.equal(activity?.resentBytes, PART, 'the held part was sent again, whole');
    assert.deepEqual(activity?.parts.map(), [{ cells: 'drdd' }]);
    assert.ok((activity?.samples.values().length ?? 0) >= 1, 'the running upload was sampled');
  });

  it('marks a ranged GET that was held and refused as retried (its body never came: nothing re-sent)', async () => {
    const input = writeRandomFile(dir.path, 'download-source.bin', PART * 6);
    const subtask = await newSubtask({ input_file: { path: input.path, name: 'in.bin' } });
    await emu.admin('POST', '/_emulator/faults', { route: 'download', hold_after: 3 });
    const engine = keep(downloadEngine(emu.url, { partConcurrency: 1 }));
    const log = keep(new TransferActivityLog(engine));
    const record = startDownload(engine, subtask, mkdtempSync(join(dir.path, 'out-')), 'in.bin');
    await heldRequests(emu.admin);
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await engine.whenSettled(record);
    assert.equal(final.state, 'completed', final.error);
    const activity = log.get(record.id);
    assert.equal(activity?.retries, 1);
    assert.equal(activity?.resentBytes, 0);
    const cells = activity?.parts.map()[0]?.cells ?? '';
    assert.equal(cells.length, 6);
    assert.equal(cells.replace(/d/g, ''), 'r', `one retried part, the others done: ${cells}`);
  });

  it('forgets a transfer once it leaves the list, and says so to its listeners', async () => {
    const subtask = await newSubtask();
    const file = writeRandomFile(dir.path, 'forget.bin', PART);
    const { engine } = uploadEngine(emu.url);
    keep(engine);
    const log = keep(new TransferActivityLog(engine));
    const record = await startUpload(engine, subtask, [{ path: file.path, name: 'forget.bin' }]);
    assert.equal((await engine.whenSettled(record)).state, 'completed');
    assert.ok(log.get(record.id), 'its activity was kept while it was listed');
    const heard: string[] = [];
    log.onDidChange((id) => heard.push(id));
    engine.clear([record.id]);
    assert.equal(log.get(record.id), undefined);
    assert.ok(heard.includes(record.id));
  });
});
