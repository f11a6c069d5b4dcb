// The download's part file: created exclusively, refused when the disk cannot hold it, reopened only when it is ours.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../../src/api/errors';
import { createPartFile, reopenPartFile } from '../../../src/transfer/partFile';
import { useTempDir } from '../helpers/emulator';

describe('download part file', () => {
  const temp = useTempDir('partfile-');

  it('refuses a size larger than the free disk before anything is created, saying so (not a retryable network error)', async () => {
    const path = join(temp.path, 'huge.bin.part');
    await assert.rejects(createPartFile(path, 2 ** 52, 'datahub'), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.code, 'NO_SPACE');
      assert.equal(e.retryable, false);
      assert.match(e.message, /only .* are free in/);
      return true;
    });
    assert.equal(existsSync(path), false);
  });

  it('creates it exclusively; reopens it only when it is the same file (inode) it created', async () => {
    const path = join(temp.path, 'a.bin.part');
    const created = await createPartFile(path, 10, 'datahub');
    await created.handle.close();
    await assert.rejects(createPartFile(path, 10, 'datahub'), /already exists and is not this download's/);
    const again = await reopenPartFile(path, { identity: created.identity, size: 10 }, 'datahub');
    assert.ok(again && !again.damaged);
    await again.handle.close();
    // Replaced by another file of the same size: not ours.
    writeFileSync(`${path}.new`, '0123456789');
    renameSync(`${path}.new`, path);
    await assert.rejects(reopenPartFile(path, { identity: created.identity, size: 10 }, 'datahub'), /another file than the one this download created/);
    assert.equal(readFileSync(path, 'utf8'), '0123456789');
  });

  it('never opens a link as the part file', async function () {
    if (process.platform === 'win32') this.skip();
    const target = join(temp.path, 'target.txt');
    writeFileSync(target, 'keep');
    const path = join(temp.path, 'l.bin.part');
    symlinkSync(target, path);
    await assert.rejects(createPartFile(path, 4, 'datahub'), /not this download's/);
    await assert.rejects(reopenPartFile(path, { size: 4 }, 'datahub'), /symbolic link/);
    assert.equal(readFileSync(target, 'utf8'), 'keep');
  });
});
