// MD5 of a file and of its parts in one pass: equal to md5sum and to hashing each slice on its own.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { md5File, md5FileAndParts } from '../../../src/transfer/md5';
import { planParts } from '../../../src/transfer/parts';
import { tempDir } from '../helpers/emulator';
import { writeRandomFile } from '../helpers/files';

describe('md5', () => {
  const dir = tempDir();

  it('equals md5sum on a file larger than one read', async () => {
    const file = writeRandomFile(dir, 'md5sum.bin', 9 * 1024 * 1024 + 3);
    const theirs = execFileSync('md5sum', [file.path]).toString().split(/\s+/)[0];
    assert.equal(await md5File(file.path), theirs);
  });

  const partSize = 1024 * 1024;
  for (const size of [0, 1, partSize, partSize + 1, 4 * 1024 * 1024 + partSize * 2 + 17]) {
    it(`hashes every part of a ${size}-byte file on the same pass`, async () => {
      const file = writeRandomFile(dir, `parts-${size}.bin`, size);
      const result = await md5FileAndParts(file.path, { partSize });
      assert.equal(result.md5, file.md5);
      const expected = planParts(size, partSize).parts.map((p) => createHash('md5').update(file.data.subarray(p.start, p.end)).digest('hex'));
      assert.deepEqual(result.partMd5s, expected);
    });
  }

  it('stops the part hashing worker when cancelled mid-way', async () => {
    const file = writeRandomFile(dir, 'cancel-parts.bin', 32 * 1024 * 1024);
    const controller = new AbortController();
    const pending = md5FileAndParts(file.path, { partSize, signal: controller.signal, onBytes: () => controller.abort() });
    await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
  });

  it('stops when cancelled', async () => {
    const file = writeRandomFile(dir, 'cancel.bin', 1024);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(md5File(file.path, { signal: controller.signal }), (e: Error) => e.name === 'AbortError');
  });
});
