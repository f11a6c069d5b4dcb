// The emulator's state file: changes are written together after a delay (no write per request), flush writes them now.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonStateFile } from '../../../emulator/store/jsonState';

describe('emulator · JsonStateFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'datahub-jsonstate-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a burst of changes is one write, on disk once flushed; saving never waits for the disk', async () => {
    const state = { n: 0 };
    let snapshots = 0;
    // A delay far longer than the test: only flush() can have written.
    const file = new JsonStateFile(join(dir, 'burst', 'state.json'), () => {
      snapshots++;
      return state;
    }, 60_000);
    for (let i = 1; i <= 500; i++) {
      state.n = i;
      await file.save();
    }
    assert.equal(snapshots, 0, 'no save wrote anything by itself');
    await file.flush();
    assert.equal(snapshots, 1);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'burst', 'state.json'), 'utf8')), { n: 500 });
    // Nothing pending: a second flush does not write again.
    await file.flush();
    assert.equal(snapshots, 1);
    assert.deepEqual(new JsonStateFile(join(dir, 'burst', 'state.json'), () => ({})).load(), { n: 500 });
  });

  it('writes by itself after the delay', async () => {
    const path = join(dir, 'timer.json');
    let written: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (written = resolve));
    const file = new JsonStateFile(path, () => {
      // Called when the timer fires; the write follows, so the test waits for the file by flushing after this.
      written();
      return { ok: true };
    }, 1);
    await file.save();
    await done;
    await file.flush();
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { ok: true });
  });

  it('a failed write is reported by flush, and the change is written by the next flush that can', async () => {
    const blocker = join(dir, 'blocked');
    writeFileSync(blocker, 'a file where the state folder should be');
    const file = new JsonStateFile(join(blocker, 'state.json'), () => ({ v: 1 }), 60_000);
    await file.save();
    await assert.rejects(file.flush(), /EEXIST|ENOTDIR/);
    rmSync(blocker);
    await file.flush();
    assert.deepEqual(JSON.parse(readFileSync(join(blocker, 'state.json'), 'utf8')), { v: 1 });
  });
});
