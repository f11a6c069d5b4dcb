// The Load Tasks poller: refreshes only while the view is visible and a task runs; stops and disposes cleanly.
import { strict as assert } from 'node:assert';
import { LoadTasksPoller } from '../../../src/providers/loadTasksPoller';
import { useFakeClock } from '../helpers/clock';

type Listener = (e: unknown) => void;
function emitter(): { event: (l: Listener) => { dispose(): void }; fire(): void; count(): number } {
  const listeners = new Set<Listener>();
  return {
    event: (l) => {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
    fire: () => listeners.forEach((l) => l(undefined)),
    count: () => listeners.size,
  };
}

describe('load tasks poller', () => {
  const fake = useFakeClock();

  function setup(active: boolean, visible: boolean) {
    const vis = emitter();
    const load = emitter();
    const view = { visible, onDidChangeVisibility: vis.event };
    const target = {
      active,
      refreshes: 0,
      hasActiveTasks() {
        return this.active;
      },
      refresh() {
        this.refreshes++;
        // A real provider reloads and fires onDidLoad.
        load.fire();
      },
      onDidLoad: load.event,
    };
    const poller = new LoadTasksPoller(view, target, () => 250);
    return { view, target, poller, vis, load };
  }

  it('refreshes once per interval while visible with an active task, and stops when nothing runs', async () => {
    const { target, poller, load } = setup(true, true);
    load.fire();
    assert.equal(poller.polling, true);
    await fake.clock.tickAsync(249);
    assert.equal(target.refreshes, 0, 'not before the interval');
    await fake.clock.tickAsync(1);
    assert.equal(target.refreshes, 1);
    await fake.clock.tickAsync(250);
    assert.equal(target.refreshes, 2, 'the reload schedules the next round');
    target.active = false;
    await fake.clock.tickAsync(250);
    assert.equal(target.refreshes, 3, 'the round already scheduled still runs');
    await fake.clock.tickAsync(2500);
    assert.equal(target.refreshes, 3, 'no refresh once nothing runs');
    assert.equal(poller.polling, false);
    poller.dispose();
  });

  it('does not poll while the view is hidden, and resumes when it is shown', async () => {
    const { view, target, poller, vis, load } = setup(true, false);
    load.fire();
    await fake.clock.tickAsync(1000);
    assert.equal(target.refreshes, 0);
    view.visible = true;
    vis.fire();
    await fake.clock.tickAsync(250);
    assert.equal(target.refreshes, 1);
    view.visible = false;
    vis.fire();
    assert.equal(poller.polling, false);
    await fake.clock.tickAsync(1000);
    assert.equal(target.refreshes, 1);
    poller.dispose();
  });

  it('waits at least 250 ms between refreshes whatever the setting says', async () => {
    const vis = emitter();
    const load = emitter();
    let refreshes = 0;
    const poller = new LoadTasksPoller({ visible: true, onDidChangeVisibility: vis.event }, { hasActiveTasks: () => true, refresh: () => void refreshes++, onDidLoad: load.event }, () => 0);
    load.fire();
    await fake.clock.tickAsync(249);
    assert.equal(refreshes, 0);
    await fake.clock.tickAsync(1);
    assert.equal(refreshes, 1);
    poller.dispose();
  });

  it('dispose clears the timer and the listeners', async () => {
    const { target, poller, load, vis } = setup(true, true);
    load.fire();
    poller.dispose();
    assert.equal(poller.polling, false);
    assert.equal(load.count() + vis.count(), 0);
    await fake.clock.tickAsync(1000);
    assert.equal(target.refreshes, 0);
  });
});
