// Fuzz: part plans. Every byte in exactly one part, parts numbered from 1 in order, never more than 10,000 parts,
// and a bad size refused with a RangeError, for any file size and chunk size.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { choosePartSize, MAX_PARTS, planParts } from '../../../src/transfer/parts';
import { fuzzParameters, fuzzTimeoutMs } from '../helpers/fuzz';

const TIB = 1024 ** 4;
/** Sizes from empty to 5 TiB, the edges made likely. */
const fileSize = fc.oneof(fc.integer({ min: 0, max: 64 * 1024 * 1024 }), fc.integer({ min: 0, max: 5 * TIB }), fc.constantFrom(0, 1, 5 * 1024 * 1024, 5 * 1024 * 1024 + 1, MAX_PARTS * 5 * 1024 * 1024 + 1));
const chunkSize = fc.oneof(fc.integer({ min: 1, max: 1024 }), fc.integer({ min: 1, max: 5 * 1024 ** 3 }), fc.constantFrom(1, 5 * 1024 * 1024));
const notAPositiveInteger = fc.oneof(fc.constantFrom(0, -1, 0.5, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2), fc.double({ noInteger: true }), fc.integer({ max: 0 }));

describe('fuzz · part plans', function () {
  this.timeout(fuzzTimeoutMs(20));

  it('choosePartSize keeps a file within 10,000 parts and never shrinks the chunk', () => {
    fc.assert(
      fc.property(fileSize, chunkSize, (size, chunk) => {
        const part = choosePartSize(size, chunk);
        assert.ok(Number.isSafeInteger(part) && part >= chunk);
        assert.ok(Math.ceil(size / part) <= MAX_PARTS, `${size} in parts of ${part}`);
        if (part > chunk) assert.ok(Math.ceil(size / (part - 1)) > MAX_PARTS, 'grown no more than needed');
      }),
      fuzzParameters(),
    );
  });

  it('planParts covers every byte once, in order, numbered 1…n, each part full but the last (one empty part for 0 bytes)', () => {
    fc.assert(
      fc.property(fileSize, chunkSize, (size, chunk) => {
        const partSize = choosePartSize(size, chunk);
        const { parts } = planParts(size, partSize);
        assert.equal(parts.length, Math.max(1, Math.ceil(size / partSize)));
        let next = 0;
        parts.forEach((p, i) => {
          assert.equal(p.index, i + 1);
          assert.equal(p.start, next);
          assert.ok(p.end > p.start || size === 0);
          if (i < parts.length - 1) assert.equal(p.end - p.start, partSize);
          else assert.ok(p.end - p.start <= partSize);
          next = p.end;
        });
        assert.equal(next, size);
      }),
      // A plan of a TiB file has 10,000 parts: fewer runs keep this quick.
      fuzzParameters(Math.max(20, Math.round(Number(process.env.DATAHUB_FUZZ_RUNS ?? 200) / 4))),
    );
  });

  it('refuses a size or chunk that is not a non-negative / positive safe integer with a RangeError, whatever it is', () => {
    fc.assert(
      fc.property(notAPositiveInteger, fc.integer({ min: 0, max: 1e9 }), (bad, good) => {
        assert.throws(() => choosePartSize(good, bad), RangeError);
        assert.throws(() => planParts(good, bad), RangeError);
        if (bad < 0 || !Number.isSafeInteger(bad)) {
          assert.throws(() => choosePartSize(bad, 1), RangeError);
          // A size read back from a damaged journal must not turn into an empty or backwards plan.
          assert.throws(() => planParts(bad, 1024), RangeError);
        }
      }),
      fuzzParameters(),
    );
  });
});
