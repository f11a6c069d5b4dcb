// The Load Tasks poller: refreshes only while the view is visible and a task runs; stops and disposes cleanly.
import { strict as assert } from 'node:assert';
import { LoadTasksPoller } from '../../../src/providers/loadTasksPoller';

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
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
        setImmediate(() => load.fire());
      },
      onDidLoad: load.event,
    };
    const poller = new LoadTasksPoller(view, target, () => 250);
    return { view, target, poller, vis, load };
  }

  it('refreshes repeatedly while visible with an active task, and stops when nothing runs', async () => {
    const { target, poller, load } = setup(true, true);
    load.fire();
    assert.equal(poller.polling, true);
    await wait(600);
    assert.ok(target.refreshes >= 2, `refreshed ${target.refreshes} times`);
    target.active = false;
    await wait(300);
    const after = target.refreshes;
    await wait(400);
    assert.equal(target.refreshes, after, 'no refresh once nothing runs');
    assert.equal(poller.polling, false);
    poller.dispose();
  });

  it('does not poll while the view is hidden, and resumes when it is shown', async () => {
    const { view, target, poller, vis, load } = setup(true, false);
    load.fire();
    await wait(350);
    assert.equal(target.refreshes, 0);
    view.visible = true;
    vis.fire();
    await wait(350);
    assert.ok(target.refreshes >= 1);
    view.visible = false;
    vis.fire();
    assert.equal(poller.polling, false);
    poller.dispose();
  });

  it('dispose clears the timer and the listeners', async () => {
    const { target, poller, load, vis } = setup(true, true);
    load.fire();
    poller.dispose();
    assert.equal(poller.polling, false);
    assert.equal(load.count() + vis.count(), 0);
    await wait(350);
    assert.equal(target.refreshes, 0);
  });
});
