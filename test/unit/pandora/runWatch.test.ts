// The Pandora view's failure watch: which listing changes are a run that just failed.
import * as assert from 'node:assert/strict';
import type { HistoryRun, RunStatus } from '../../../src/api/pandora/types';
import { RunWatch } from '../../../src/providers/pandoraRunWatch';

const run = (runId: number, status: RunStatus): HistoryRun => ({ runId, status, batchTime: '2026-12-01T01:00:00Z', message: status === 'Failed' ? 'out of memory' : undefined });
const names = (failed: { job: string; run: HistoryRun }[]): string[] => failed.map((f) => `${f.job}#${f.run.runId}`);

describe('Pandora run watch', () => {
  it('says nothing on the first listing, even of runs that failed before', () => {
    const watch = new RunWatch();
    assert.deepEqual(watch.observe([{ job: 'a', last: run(3, 'Failed') }, { job: 'b', last: run(1, 'Running') }]), []);
  });

  it('reports a run seen Running that is now Failed, once', () => {
    const watch = new RunWatch();
    watch.observe([{ job: 'daily_traffic', last: run(7, 'Running') }]);
    assert.deepEqual(names(watch.observe([{ job: 'daily_traffic', last: run(7, 'Failed') }])), ['daily_traffic#7']);
    assert.deepEqual(watch.observe([{ job: 'daily_traffic', last: run(7, 'Failed') }]), []);
  });

  it('reports a new run that failed between two listings, and a rerun that fails again', () => {
    const watch = new RunWatch();
    watch.observe([{ job: 'a', last: run(1, 'Successful') }, { job: 'b' }]);
    assert.deepEqual(names(watch.observe([{ job: 'a', last: run(2, 'Failed') }, { job: 'b', last: run(1, 'Failed') }])), ['a#2', 'b#1']);
    watch.observe([{ job: 'a', last: run(2, 'Restarting') }]);
    assert.deepEqual(names(watch.observe([{ job: 'a', last: run(2, 'Failed') }])), ['a#2']);
  });

  it('does not report successes, cancels or a job whose latest run could not be read', () => {
    const watch = new RunWatch();
    watch.observe([{ job: 'a', last: run(1, 'Running') }, { job: 'b', last: run(1, 'Running') }, { job: 'c', last: run(4, 'Running') }]);
    assert.deepEqual(watch.observe([{ job: 'a', last: run(1, 'Successful') }, { job: 'b', last: run(1, 'Canceled') }, { job: 'c' }]), []);
  });
});
