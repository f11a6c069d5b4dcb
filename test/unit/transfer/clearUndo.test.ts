// Clear Finished can be undone: engine.clear() removes the given finished transfers (list and journal), and
// reinstate() puts them back so that they are also there after a reload, even when the undo comes before the removal landed.
import * as assert from 'node:assert/strict';
import { silentLogger } from '../../../src/api/logger';
import { TransferEngine } from '../../../src/transfer/engine';
import { FileJournal } from '../../../src/transfer/journal';
import { useTempDir } from '../helpers/emulator';
import { COUNTING, SteppedProtocol } from '../helpers/steps';

function engineIn(dir: string): TransferEngine {
  const engine = new TransferEngine({ journal: new FileJournal(dir), logger: silentLogger, concurrency: () => 2 });
  engine.registerProtocol(new SteppedProtocol(2));
  return engine;
}

describe('clearing finished transfers, and the undo', () => {
  const temp = useTempDir();

  it('clear() removes only finished transfers given; reinstate() brings them back, also in the journal', async () => {
    const engine = engineIn(temp.path);
    const done = engine.start(COUNTING, {}, { label: 'done', bytesTotal: 2 });
    assert.equal((await engine.whenSettled(done)).state, 'completed');
    const waiting = engine.start(COUNTING, {}, { label: 'waiting', bytesTotal: 2 });
    engine.pause(waiting.id);
    await engine.whenSettled(waiting);
    const removed = engine.clear([done.id, waiting.id]);
    assert.deepEqual(removed.map((r) => r.id), [done.id], 'a paused transfer is not finished: it stays');
    assert.deepEqual(engine.list().map((r) => r.id), [waiting.id]);
    // The undo right away, before the journal removal has necessarily landed.
    engine.reinstate(removed);
    assert.deepEqual(engine.list().map((r) => r.label).sort(), ['done', 'waiting']);
    await engine.dispose();
    const again = engineIn(temp.path);
    await again.restore();
    assert.equal(again.get(done.id)?.state, 'completed', 'the reinstated transfer is in the journal');
    await again.dispose();
  });
});
