// A long file name never hides a transfer's progress: its row label is shortened in the middle.
import * as assert from 'node:assert/strict';
import { MAX_LABEL, shortLabel } from '../../../src/providers/shortLabel';

describe('shortLabel', () => {
  it('leaves a name that fits alone', () => {
    assert.equal(shortLabel('report.csv'), 'report.csv');
    assert.equal(shortLabel('x'.repeat(MAX_LABEL)), 'x'.repeat(MAX_LABEL));
  });

  it('shortens a long name to the limit, keeping its start and its extension', () => {
    const name = 'sensor-readings-from-the-north-field-station-2026-11-30-full-export.parquet';
    const short = shortLabel(name);
    assert.equal([...short].length, MAX_LABEL);
    assert.ok(short.startsWith('sensor-readings'), short);
    assert.ok(short.endsWith('.parquet'), short);
    assert.ok(short.includes('…'));
  });

  it('counts characters, not UTF-16 units, and never splits one', () => {
    const name = `${'数据'.repeat(30)}.csv`;
    const short = shortLabel(name);
    assert.equal([...short].length, MAX_LABEL);
    assert.ok(!/[\uD800-\uDFFF]/.test(short.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')), 'no lone surrogate');
    const emoji = `${'📦'.repeat(50)}.bin`;
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(shortLabel(emoji)), 'no lone high surrogate');
  });
});
