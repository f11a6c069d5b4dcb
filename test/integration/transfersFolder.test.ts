// Integration (real VS Code): a folder upload is one row in the Transfers view with a row per file under it — each
// file's own state and progress, ids that stay the same as the files move on, Reveal in Explorer and no transfer
// control on a file's row — while a single file stays one row.
import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TransfersNode } from '../../src/providers/transfersTree';
import { admin, api, testing, uploadFromExplorer, waitFor, walk, workspace, writeFile, type Entry } from './helpers';

const MIB = 1024 * 1024;

/** The Transfers view's row of transfer `id` with its children, once `accept` holds for it. */
async function rowWithFiles(id: string, what: string, accept: (row: Entry<TransfersNode>) => boolean): Promise<Entry<TransfersNode>> {
  const tree = (await testing()).trees.transfers;
  return waitFor(what, async () => (await walk(tree, 1)).find((row) => row.id === id && accept(row)));
}

const fileRow = (row: Entry<TransfersNode>, name: string): Entry<TransfersNode> | undefined => row.children?.find((c) => c.label === name);

describe('Transfers: a folder upload has a row per file', function () {
  this.timeout(120_000);
  const config = () => vscode.workspace.getConfiguration('datahub.transfer');

  afterEach(async () => {
    await admin('DELETE', '/_emulator/faults');
    await config().update('fileConcurrency', undefined, vscode.ConfigurationTarget.Global);
    await config().update('chunkSize', undefined, vscode.ConfigurationTarget.Global);
  });

  it('shows each file with its own state (completed, uploading, queued, failed with the reason) under one collapsible row', async () => {
    // One file at a time, in name order, in 1 MiB parts: the first file's part lands, the second's are held.
    await config().update('fileConcurrency', 1, vscode.ConfigurationTarget.Global);
    await config().update('chunkSize', MIB, vscode.ConfigurationTarget.Global);
    await admin('POST', '/_emulator/store', { min_part_size: 0 });
    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-folder-rows' });
    await admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 1 });
    const folder = join(workspace, 'int-folder-rows');
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(folder));
    writeFileSync(join(folder, 'a.csv'), 'a,b\n1,2\n');
    writeFileSync(join(folder, 'b.bin'), Buffer.alloc(3 * MIB + 5, 7));
    writeFileSync(join(folder, 'c.csv'), 'c\n');
    writeFileSync(join(folder, 'd.csv'), 'd\n');
    const id = await uploadFromExplorer(vscode.Uri.file(folder), 'int-folder-rows');

    const running = await rowWithFiles(id, 'a.csv completed and b.bin uploading', (row) => /^Completed/.test(fileRow(row, 'int-folder-rows/a.csv')?.description ?? '') && /^Uploading \d+%$/.test(fileRow(row, 'int-folder-rows/b.bin')?.description ?? ''));
    assert.deepEqual(
      running.children?.map((c) => [c.id, c.label, c.contextValue]),
      [
        [`${id}/file/int-folder-rows/a.csv`, 'int-folder-rows/a.csv', 'transferFile:completed:local'],
        [`${id}/file/int-folder-rows/b.bin`, 'int-folder-rows/b.bin', 'transferFile:uploading:local'],
        [`${id}/file/int-folder-rows/c.csv`, 'int-folder-rows/c.csv', 'transferFile:queued:local'],
        [`${id}/file/int-folder-rows/d.csv`, 'int-folder-rows/d.csv', 'transferFile:queued:local'],
      ],
    );
    assert.equal(fileRow(running, 'int-folder-rows/c.csv')?.description, 'Queued');
    assert.match(fileRow(running, 'int-folder-rows/a.csv')?.tooltip ?? '', /Local file: .*a\.csv/);
    // The parent keeps the whole transfer's line.
    assert.match(running.description ?? '', /^\d+% · |stalled/);
    assert.match(running.contextValue ?? '', /^transfer:running:upload:local$/);

    // A file that is gone when its turn comes fails alone, with its reason; the others complete.
    rmSync(join(folder, 'd.csv'));
    await admin('DELETE', '/_emulator/faults');
    const ended = await rowWithFiles(id, 'the transfer to fail on d.csv', (row) => /^transfer:failed:/.test(row.contextValue ?? ''));
    assert.deepEqual(
      ended.children?.map((c) => [c.id, c.contextValue]),
      ['a.csv', 'b.bin', 'c.csv', 'd.csv'].map((name) => [`${id}/file/int-folder-rows/${name}`, `transferFile:${name === 'd.csv' ? 'failed' : 'completed'}:local`]),
    );
    assert.match(fileRow(ended, 'int-folder-rows/d.csv')?.description ?? '', /^Failed: .*(ENOENT|no such file)/);
    assert.match(fileRow(ended, 'int-folder-rows/b.bin')?.description ?? '', /^Completed · 100% · 3\.15 MB/);
  });

  it('keeps a single file as one row without children', async () => {
    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-folder-single' });
    const file = writeFile('folder-single.bin', 1000);
    const id = await uploadFromExplorer(file.uri, 'int-folder-single');
    await waitFor('completed', async () => (await api()).transfers().find((t) => t.id === id && t.state === 'completed'));
    const row = await rowWithFiles(id, 'the single file row', () => true);
    assert.equal(row.children, undefined, 'a single file has a row of its own only');
  });
});
