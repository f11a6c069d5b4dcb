// Part planning: 0 bytes, 1 byte, exactly one chunk, chunk + 1, many parts, the 10,000-part ceiling.
import * as assert from 'node:assert/strict';
import { choosePartSize, MAX_PARTS, planParts } from '../../../src/transfer/parts';

const MIB = 1024 * 1024;

describe('part planning', () => {
  it('plans one empty part for a 0-byte file', () => {
    assert.deepEqual(planParts(0, 5 * MIB).parts, [{ index: 1, start: 0, end: 0 }]);
  });
  it('plans one part of 1 byte for a 1-byte file', () => {
    assert.deepEqual(planParts(1, 5 * MIB).parts, [{ index: 1, start: 0, end: 1 }]);
  });
  it('plans exactly one part for a file of exactly one chunk', () => {
    assert.deepEqual(planParts(5 * MIB, 5 * MIB).parts, [{ index: 1, start: 0, end: 5 * MIB }]);
  });
  it('plans a second 1-byte part for chunk + 1', () => {
    assert.deepEqual(planParts(5 * MIB + 1, 5 * MIB).parts, [
      { index: 1, start: 0, end: 5 * MIB },
      { index: 2, start: 5 * MIB, end: 5 * MIB + 1 },
    ]);
  });
  it('covers every byte exactly once with many parts, numbered from 1', () => {
    const size = 37 * MIB + 12345;
    const { parts } = planParts(size, 4 * MIB);
    assert.equal(parts.length, 10);
    assert.equal(parts[0].index, 1);
    for (let i = 1; i < parts.length; i++) assert.equal(parts[i].start, parts[i - 1].end);
    assert.equal(parts[parts.length - 1].end, size);
  });
  it('grows the part size so that no file needs more than 10,000 parts', () => {
    const size = 100 * 1024 * MIB;
    const partSize = choosePartSize(size, 5 * MIB);
    assert.ok(partSize > 5 * MIB);
    assert.ok(planParts(size, partSize).parts.length <= MAX_PARTS);
    assert.equal(choosePartSize(10 * MIB, 5 * MIB), 5 * MIB);
  });
  it('refuses a nonsensical chunk size or file size', () => {
    assert.throws(() => choosePartSize(10, 0), /chunk size/);
    assert.throws(() => choosePartSize(-1, 10), /file size/);
    assert.throws(() => planParts(10, 0), /part size/);
  });
});
