// The registry of open panels the areas create and pass in (instead of static maps): one key per panel, a panel that
// stands for a new target moves to its key, and disposing the registry disposes every panel still open.
import { strict as assert } from 'node:assert';
import { PanelRegistry } from '../../../src/webviews/registry';

class FakePanel {
  disposed = 0;
  constructor(readonly name: string) {}
  dispose(): void {
    this.disposed++;
  }
}

describe('PanelRegistry', () => {
  it('finds a panel by its key, and forgets it under whatever key it has', () => {
    const registry = new PanelRegistry<FakePanel>();
    const job = new FakePanel('job');
    registry.set('["daily"]', job);
    assert.equal(registry.get('["daily"]'), job);
    assert.equal(registry.has('[null]'), false);
    registry.delete(job);
    assert.equal(registry.get('["daily"]'), undefined);
    assert.equal(registry.size, 0);
  });

  it('moves a panel to its new key (a new job that was saved): the old key no longer finds it', () => {
    const registry = new PanelRegistry<FakePanel>();
    const created = new FakePanel('new job');
    registry.set('[null]', created);
    registry.set('["weekly"]', created);
    assert.equal(registry.get('[null]'), undefined);
    assert.equal(registry.get('["weekly"]'), created);
    assert.equal(registry.size, 1);
  });

  it('keeps two registries apart (each area has its own), and disposes each open panel once', () => {
    const jobs = new PanelRegistry<FakePanel>();
    const exports = new PanelRegistry<FakePanel>();
    const a = new FakePanel('a');
    const b = new FakePanel('b');
    const other = new FakePanel('other');
    jobs.set('a', a);
    jobs.set('b', b);
    exports.set('a', other);
    jobs.dispose();
    assert.deepEqual([a.disposed, b.disposed, other.disposed], [1, 1, 0]);
    assert.equal(jobs.size, 0);
    assert.equal(exports.get('a'), other);
  });
});
