// Integration (real VS Code): "Download Subtask Input…" writes the subtask's input into the workspace, shown as a completed download.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admin, api, downloadSubtask, md5, ready, transferItem, waitFor, workspace } from './helpers';

/** A subtask whose input file is `size` random bytes (written outside the workspace, copied in by the emulator). */
async function subtaskWithInput(id: string, name: string, size: number): Promise<Buffer> {
  const data = randomBytes(size);
  const source = join(mkdtempSync(join(tmpdir(), 'datahub-int-dl-')), name);
  writeFileSync(source, data);
  await admin('POST', '/_emulator/subtasks', { subtask_id: id, input_file: { path: source, name } });
  return data;
}

describe('Downloads: Download Subtask Input in a real VS Code', function () {
  this.timeout(90_000);

  before(async () => {
    await ready();
    assert.ok(workspace, 'DATAHUB_TEST_WORKSPACE is not set');
  });
  afterEach(async () => admin('DELETE', '/_emulator/faults'));

  it('downloads into the workspace with the right md5, shown as a completed download', async () => {
    const data = await subtaskWithInput('int-download', 'int-input.bin', 3 * 1024 * 1024 + 11);
    const extension = await api();
    const id = await downloadSubtask('int-download', workspace);
    assert.equal(typeof id, 'string');
    const item = await transferItem(id, (i) => i.contextValue?.startsWith('transfer:completed') === true);
    assert.equal(item.label, 'int-input.bin');
    assert.equal(item.contextValue, 'transfer:completed:download:local');
    assert.match(item.description ?? '', /Completed · 100%/);
    const path = join(workspace, 'int-input.bin');
    assert.equal(md5(readFileSync(path)), md5(data));
    assert.ok(!existsSync(`${path}.part`));
    const record = extension.transfers().find((t) => t.id === id);
    assert.equal(record?.direction, 'download');
    assert.equal(record?.protocol, 'datahub-download');
  });

  it('keeps both when asked not to overwrite, and overwrites when asked to', async () => {
    const data = await subtaskWithInput('int-download-again', 'again.csv', 2000);
    const path = join(workspace, 'again.csv');
    writeFileSync(path, 'local edits');
    const extension = await api();
    const keepId = await downloadSubtask('int-download-again', workspace, 'Keep Both');
    await waitFor('keep-both download to complete', () => extension.transfers().find((t) => t.id === keepId && t.state === 'completed'));
    assert.equal(readFileSync(path, 'utf8'), 'local edits');
    assert.equal(md5(readFileSync(join(workspace, 'again (1).csv'))), md5(data));
    const overwriteId = await downloadSubtask('int-download-again', workspace, 'Overwrite');
    await waitFor('overwriting download to complete', () => extension.transfers().find((t) => t.id === overwriteId && t.state === 'completed'));
    assert.equal(md5(readFileSync(path)), md5(data));
  });

  it('a slow download shows progress under its name, never a final-name file until it completes', async () => {
    const data = await subtaskWithInput('int-download-slow', 'slow-input.bin', 12 * 1024 * 1024);
    // One range arrives, the others are held: the download runs (visibly) until the faults are cleared.
    await admin('POST', '/_emulator/faults', { route: 'download', hold_after: 1 });
    const extension = await api();
    const path = join(workspace, 'slow-input.bin');
    const id = await downloadSubtask('int-download-slow', workspace);
    await transferItem(id, (i) => i.contextValue === 'transfer:running:download:local' && /^\d+%/.test(i.description ?? ''));
    assert.ok(!existsSync(path), 'no final-name file while running');
    await admin('DELETE', '/_emulator/faults');
    await waitFor('completion', () => extension.transfers().find((t) => t.id === id && t.state === 'completed'), 60_000);
    assert.equal(md5(readFileSync(path)), md5(data));
  });
});
