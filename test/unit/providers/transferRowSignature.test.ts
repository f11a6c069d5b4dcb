// When a Transfers row is redrawn: a changed state at once, changed progress text at most every 2 s (the last text
// once the interval is over), an unchanged or never drawn row never; on a fake clock.
import * as assert from 'node:assert/strict';
import type { UploadFileRow } from '../../../src/transfer/protocols/datahubUploadState';
import { fileRowSignature, PROGRESS_REDRAW_MS, RowRedraws, rowSignature, verdict, type Row, type RowLook } from '../../../src/providers/transferRowSignature';
import { useFakeClock } from '../helpers/clock';

const look = (over: Partial<RowLook> = {}): RowLook => ({
  label: 'big.bin',
  description: '42% · 3 MB/s · 10 s left',
  tooltip: 'big.bin\nState: Running',
  icon: 'sync~spin',
  contextValue: 'transfer:running:upload:local',
  collapsible: 0,
  phase: 'uploading',
  ...over,
});

describe('Transfers rows: what redraws when', () => {
  const fake = useFakeClock();

  it('a signature tells a change of state, icon, menus, label, phase (now) from a change of progress text', () => {
    const base = rowSignature(look());
    for (const over of [{ contextValue: 'transfer:paused:upload:local' }, { icon: 'debug-pause' }, { label: 'other.bin' }, { collapsible: 1 }, { phase: 'waiting for network' }]) {
      assert.notEqual(rowSignature(look(over)).now, base.now, JSON.stringify(over));
    }
    for (const over of [{ description: '43% · 3 MB/s · 9 s left' }, { tooltip: 'big.bin\nState: Running · 43%' }]) {
      const changed = rowSignature(look(over));
      assert.equal(changed.now, base.now, JSON.stringify(over));
      assert.notEqual(changed.text, base.text, JSON.stringify(over));
    }
    assert.deepEqual(rowSignature(look()), base);
  });

  it("a file row's signature changes with what the row shows: state or error now, percent or bytes as text", () => {
    const file: UploadFileRow = { name: 'a.csv', path: '/w/a.csv', size: 10_000_000, state: 'uploading', done: 4_200_000 };
    const base = fileRowSignature(file);
    assert.notEqual(fileRowSignature({ ...file, state: 'completed' }).now, base.now);
    assert.notEqual(fileRowSignature({ ...file, state: 'failed', error: 'disk' }).now, fileRowSignature({ ...file, state: 'failed' }).now);
    assert.equal(fileRowSignature({ ...file, done: 5_000_000 }).now, base.now);
    assert.notEqual(fileRowSignature({ ...file, done: 5_000_000 }).text, base.text);
    // 4 200 000 and 4 200 001 bytes show the same (42 %, 4.20 MB): nothing to redraw.
    assert.deepEqual(fileRowSignature({ ...file, done: 4_200_001 }), base);
  });

  it('verdict: a row never drawn or unchanged is left alone; a state now; progress text once 2 s have passed', () => {
    const drawn = { signature: rowSignature(look()), at: 1000 };
    const progressed = rowSignature(look({ description: '43%' }));
    assert.deepEqual(verdict(undefined, progressed, 1000), { kind: 'same' });
    assert.deepEqual(verdict(drawn, rowSignature(look()), 9000), { kind: 'same' });
    assert.deepEqual(verdict(drawn, rowSignature(look({ contextValue: 'transfer:paused:upload:local' })), 1001), { kind: 'now' });
    assert.deepEqual(verdict(drawn, progressed, 1001), { kind: 'later', at: 1000 + PROGRESS_REDRAW_MS });
    assert.deepEqual(verdict(drawn, progressed, 1000 + PROGRESS_REDRAW_MS - 1), { kind: 'later', at: 1000 + PROGRESS_REDRAW_MS });
    assert.deepEqual(verdict(drawn, progressed, 1000 + PROGRESS_REDRAW_MS), { kind: 'now' });
  });

  it('RowRedraws: progress at 10 events a second redraws the running row every 2 s, never the finished one; a pause at once', async () => {
    const { clock } = fake;
    const fired: string[][] = [];
    let percent = 0;
    let state = 'running';
    const rows = (): Row<string>[] => [
      { id: 'run', node: 'run', signature: rowSignature(look({ description: `${percent}%`, contextValue: `transfer:${state}:upload:local` })) },
      { id: 'done', node: 'done', signature: rowSignature(look({ description: 'Completed · 100%', icon: 'pass', contextValue: 'transfer:completed:upload:local' })) },
    ];
    const redraws: RowRedraws<string> = new RowRedraws(
      (nodes) => fired.push(nodes),
      () => redraws.review(rows()),
    );
    for (const row of rows()) redraws.drawn(row.id, row.signature);
    // 10 s of progress events every 100 ms, as the engine sends them.
    for (let i = 0; i < 100; i++) {
      await clock.tickAsync(100);
      percent++;
      redraws.review(rows());
    }
    assert.deepEqual(fired, [['run'], ['run'], ['run'], ['run'], ['run']], 'one redraw of the running row per 2 s, at 2, 4, 6, 8 and 10 s');
    fired.length = 0;
    await clock.tickAsync(50);
    percent++;
    redraws.review(rows());
    // The last progress, 50 ms after a redraw: it waits for the end of the interval, then comes without another event.
    assert.deepEqual(fired, []);
    await clock.tickAsync(PROGRESS_REDRAW_MS);
    assert.deepEqual(fired, [['run']]);
    fired.length = 0;
    await clock.tickAsync(100);
    state = 'paused';
    redraws.review(rows());
    assert.deepEqual(fired, [['run']], 'a pause redraws at once, 100 ms after the last redraw');
    redraws.dispose();
  });

  it('RowRedraws: forgets the rows no longer shown, and a row never drawn is not fired', async () => {
    const fired: string[][] = [];
    const redraws = new RowRedraws<string>(
      (nodes) => fired.push(nodes),
      () => undefined,
    );
    redraws.drawn('a', rowSignature(look()));
    redraws.keepOnly(new Set());
    redraws.review([{ id: 'a', node: 'a', signature: rowSignature(look({ icon: 'debug-pause' })) }]);
    await fake.clock.tickAsync(PROGRESS_REDRAW_MS * 2);
    assert.deepEqual(fired, []);
    redraws.dispose();
  });
});
