// The run-history chart's time axis: five distinct tick labels, however short the history.
import * as assert from 'node:assert/strict';
import { MIN_AXIS_SPAN_MS, timeAxis } from '../../../src/webviews/ui/_timeAxis';

describe('run history time axis', () => {
  const start = Date.UTC(2026, 11, 1, 14, 37, 39, 600);

  it('one run of under a second: five different labels (they all read the same second before)', () => {
    const axis = timeAxis([start], [start + 400], 'en-US');
    assert.equal(axis.span, MIN_AXIS_SPAN_MS);
    assert.equal(new Set(axis.ticks.map((t) => t.label)).size, 5, axis.ticks.map((t) => t.label).join(', '));
  });

  it('a history longer than the minimum spans exactly from the first start to the last end', () => {
    const axis = timeAxis([start, start + 3_600_000], [start + 2_000, start + 7_200_000], 'en-US');
    assert.equal(axis.from, start);
    assert.equal(axis.span, 7_200_000);
    assert.equal(axis.ticks[4].time, start + 7_200_000);
    assert.equal(new Set(axis.ticks.map((t) => t.label)).size, 5);
  });

  it('labels a history of days with dates', () => {
    const axis = timeAxis([start], [start + 3 * 86_400_000], 'en-US');
    assert.match(axis.ticks[4].label, /Dec/);
  });
});
