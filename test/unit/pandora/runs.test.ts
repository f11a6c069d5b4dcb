// The run state machine: which status allows stop / rerun and where each leads (the document's two tables).
import * as assert from 'node:assert/strict';
import { afterAction, allows, isActive, isFinal, transitional } from '../../../src/api/pandora/runs';
import { RUN_STATUSES, type RunStatus } from '../../../src/api/pandora/types';

describe('pandora run state machine', () => {
  const stoppable: RunStatus[] = ['Running'];
  const rerunnable: RunStatus[] = ['Successful', 'Failed', 'Canceled'];

  for (const status of RUN_STATUSES) {
    it(`${status}: stop ${stoppable.includes(status) ? 'allowed' : 'refused'}, rerun ${rerunnable.includes(status) ? 'allowed' : 'refused'}`, () => {
      assert.equal(allows(status, 'stop'), stoppable.includes(status));
      assert.equal(allows(status, 'rerun'), rerunnable.includes(status));
      if (allows(status, 'stop')) assert.equal(afterAction(status, 'stop'), 'Canceled');
      else assert.throws(() => afterAction(status, 'stop'));
      if (allows(status, 'rerun')) assert.equal(afterAction(status, 'rerun'), 'Running');
      else assert.throws(() => afterAction(status, 'rerun'));
    });
  }

  it('Restarting and Cancelling allow nothing and are the intermediate states', () => {
    for (const s of ['Restarting', 'Cancelling'] as const) {
      assert.equal(allows(s, 'stop') || allows(s, 'rerun'), false);
      assert.ok(isActive(s));
    }
    assert.equal(transitional('stop'), 'Cancelling');
    assert.equal(transitional('rerun'), 'Restarting');
  });

  it('final and active partition the statuses', () => {
    for (const s of RUN_STATUSES) assert.notEqual(isFinal(s), isActive(s), s);
  });
});
