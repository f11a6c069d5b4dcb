// The shared HTTP layer: lossless large integers.
import * as assert from 'node:assert/strict';
import { quoteLargeIntegers } from '../../../src/api/http';

describe('HTTP layer', () => {
  it('quotes integers of 16+ digits so that 19-digit ids keep every digit', () => {
    const text = '{"id":1234567890123456789,"ids":[1834567890123456781, 42],"n":12,"s":"9999999999999999999","f":1.12345678901234567,"neg":-1234567890123456789}';
    const parsed = JSON.parse(quoteLargeIntegers(text));
    assert.equal(parsed.id, '1234567890123456789');
    assert.deepEqual(parsed.ids, ['1834567890123456781', 42]);
    assert.equal(parsed.n, 12);
    assert.equal(parsed.s, '9999999999999999999');
    assert.equal(typeof parsed.f, 'number');
    assert.equal(parsed.neg, '-1234567890123456789');
  });

  it('leaves digits inside strings alone, escaped quotes included', () => {
    const text = '{"a":"x\\"1234567890123456789\\"y","b":1234567890123456789}';
    const parsed = JSON.parse(quoteLargeIntegers(text));
    assert.equal(parsed.a, 'x"1234567890123456789"y');
    assert.equal(parsed.b, '1234567890123456789');
  });
});
