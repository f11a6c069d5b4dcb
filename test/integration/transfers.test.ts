// Integration (real VS Code): credentials, the emulator command, Upload to Datahub…, the Transfers view,
// the status bar item, cancel/retry commands and settings, against the emulator.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { DatahubExtensionApi } from '../../src/extensionApi';
import { fileIdentity, isRacy, nowNs } from '../../src/transfer/fileIdentity';
import { HASH_CACHE_MIN_BYTES } from '../../src/transfer/hashCache';
import { DATAHUB_UPLOAD_KIND } from '../../src/transfer/protocols/datahubUpload';
import { asTransferOf } from '../../src/transfer/types';
import { admin, api, emulatorUrl, ready, run, setCredentials, testing, transferItem, transferItems, transferNode, uploadFromExplorer, waitFor, workspace, writeFile } from './helpers';

interface EmulatorState {
  objects: { subtask_id: string; file_name: string; size: number; md5: string }[];
  subtasks: Record<string, { status_history: { status: number }[]; result: unknown }>;
  datahub: { auth: { bearer: number; last: string } };
}

/**
 * Adds subtask `subtaskId` and uploads `size` random bytes to it as `name`; with `holdAfter`, only that many part PUTs
 * are answered and the rest wait until the test clears the faults (the upload stays running until then).
 */
async function startUpload(subtaskId: string, name: string, size: number, holdAfter?: number): Promise<{ file: ReturnType<typeof writeFile>; extension: DatahubExtensionApi; id: string }> {
  await admin('POST', '/_emulator/subtasks', { subtask_id: subtaskId });
  if (holdAfter !== undefined) await admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: holdAfter });
  const file = writeFile(name, size);
  const extension = await api();
  const id = await uploadFromExplorer(file.uri, subtaskId);
  return { file, extension, id };
}

describe('Transfers: Upload to Datahub in a real VS Code', function () {
  this.timeout(90_000);

  before(async () => {
    await ready();
  });
  afterEach(async () => admin('DELETE', '/_emulator/faults'));

  it('"Use Local Emulator" checks the emulator and points every endpoint at it', async () => {
    const ok = await run<boolean>([{ type: emulatorUrl }], 'datahub.useLocalEmulator');
    assert.equal(ok, true);
    const config = vscode.workspace.getConfiguration('datahub');
    for (const backend of ['datahub', 'ingest', 'media', 'pandora', 'multipart']) assert.equal(config.get(`endpoints.${backend}`), emulatorUrl);
    assert.equal(config.get('ipfs.apiUrl'), emulatorUrl);
  });

  it('stores the Datahub token in SecretStorage and sends it as a bearer token, never in settings', async () => {
    await setCredentials('datahub', ['integration-secret-token']);
    const settingsText = JSON.stringify(vscode.workspace.getConfiguration('datahub'));
    assert.ok(!settingsText.includes('integration-secret-token'), 'the token leaked into settings');
    const { extension, id } = await startUpload('int-auth', 'auth.bin', 1000);
    await waitFor('the upload to finish', () => extension.transfers().find((t) => t.id === id && t.state === 'completed'));
    const state = await admin<EmulatorState>('GET', '/_emulator/state');
    assert.equal(state.datahub.auth.last, 'bearer');
  });

  it('uploads a file: the Transfers view shows it completed and the emulator has its md5', async () => {
    const { file, id } = await startUpload('int-upload', 'upload-me.bin', 3 * 1024 * 1024 + 17);
    assert.equal(typeof id, 'string');
    const item = await transferItem(id, (i) => i.contextValue?.startsWith('transfer:completed') === true);
    assert.equal(item.label, 'upload-me.bin');
    assert.match(item.description ?? '', /Completed · 100%/);
    assert.match(item.contextValue ?? '', /^transfer:completed:upload:local$/);
    const state = await admin<EmulatorState>('GET', '/_emulator/state');
    const object = state.objects.find((o) => o.subtask_id === 'int-upload');
    assert.equal(object?.md5, file.md5);
    assert.deepEqual(state.subtasks['int-upload'].result, { total_counts: 1, success_counts: 1 });
  });

  it('shows the status bar item while it runs, with count, percent and speed, and hides it when idle', async () => {
    // One part lands (progress and a speed to show), the others are held: it runs until the faults are cleared.
    const { extension, id } = await startUpload('int-status', 'slow.bin', 12 * 1024 * 1024, 1);
    const { transferStatusBar } = await testing();
    const shown = await waitFor('the status bar item', () => {
      const s = transferStatusBar();
      return s.visible && /\$\(cloud-upload\) 1 · \d+%/.test(s.text) ? s : undefined;
    });
    assert.match(shown.text, /^\$\(cloud-upload\) 1 · \d+%/);
    // The speed of the confirmed part, or — when this check comes more than 10 s after it, as on a loaded machine,
    // since the held parts move nothing — "stalled" (the speed's own figures are proven on a fake clock in
    // test/unit/transfer/honestProgress.test.ts).
    const RUNNING = /^\d+% · ([\d.]+ [KMG]?B\/s|stalled)/;
    const running = await transferItem(id, (i) => RUNNING.test(i.description ?? ''));
    assert.match(running.description ?? '', RUNNING);
    await admin('DELETE', '/_emulator/faults');
    await waitFor('completion', () => extension.transfers().find((t) => t.id === id && t.state === 'completed'), 60_000);
    await waitFor('the status bar item to hide', () => !transferStatusBar().visible || undefined);
  });

  it('cancels from the view command (status 4 sent) and retries to completion', async () => {
    // Every part is held: only the cancel can end the run, so its settling proves it does not wait for the parts.
    const { file, extension, id } = await startUpload('int-cancel', 'cancel-me.bin', 8 * 1024 * 1024, 0);
    await waitFor('running', () => extension.transfers().find((t) => t.id === id && t.state === 'running' && t.progress.phase === 'uploading'));
    await vscode.commands.executeCommand('datahub.transfers.cancel', await transferNode(id));
    await waitFor('cancelled', () => extension.transfers().find((t) => t.id === id && t.state === 'cancelled'));
    await waitFor('status 4 at the emulator', async () => {
      const s = await admin<EmulatorState>('GET', '/_emulator/state');
      return s.subtasks['int-cancel'].status_history.some((h) => h.status === 4) || undefined;
    });
    await admin('DELETE', '/_emulator/faults');
    await vscode.commands.executeCommand('datahub.transfers.retry', await transferNode(id));
    await waitFor('completed after retry', () => extension.transfers().find((t) => t.id === id && t.state === 'completed'), 60_000);
    const state = await admin<EmulatorState>('GET', '/_emulator/state');
    assert.equal(state.objects.find((o) => o.subtask_id === 'int-cancel')?.md5, file.md5);
  });

  it('uploads every file of a folder and reports the counts', async () => {
    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-folder' });
    const folder = join(workspace, 'int-folder');
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(folder));
    writeFileSync(join(folder, 'one.csv'), 'a,b\n1,2\n');
    writeFileSync(join(folder, 'two.csv'), 'c,d\n3,4\n');
    const extension = await api();
    const id = await uploadFromExplorer(vscode.Uri.file(folder), 'int-folder');
    await waitFor('completed', () => extension.transfers().find((t) => t.id === id && t.state === 'completed'));
    const state = await admin<EmulatorState>('GET', '/_emulator/state');
    assert.deepEqual(state.objects.filter((o) => o.subtask_id === 'int-folder').map((o) => o.file_name).sort(), ['int-folder/one.csv', 'int-folder/two.csv']);
    assert.deepEqual(state.subtasks['int-folder'].result, { total_counts: 2, success_counts: 2 });
  });

  it('Clear Finished removes completed and cancelled transfers from the view (failed ones stay)', async () => {
    const { id } = await startUpload('int-clear', 'clear-me.bin', 1000);
    await transferItem(id, (i) => i.contextValue?.startsWith('transfer:completed') === true);
    await vscode.commands.executeCommand('datahub.transfers.clearFinished');
    assert.deepEqual((await transferItems()).filter((i) => /^transfer:(completed|cancelled)/.test(i.contextValue ?? '')), []);
  });

  it('uploads an unchanged file a second time without an MD5 pass (the hash cache in global storage)', async () => {
    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-hash-1' });
    const file = writeFile('hashed-once.bin', HASH_CACHE_MIN_BYTES + 4099);
    // A hash taken within the file system clock's granularity of the last change is not kept (it could miss a
    // second change in the same tick): wait, by polling the clock, until the new file is older than that.
    const identity = await fileIdentity(file.uri.fsPath);
    await waitFor('the file to be older than the clock granularity', () => !isRacy(identity, nowNs()) || undefined);
    const extension = await api();
    const id = await uploadFromExplorer(file.uri, 'int-hash-1');
    const md5From = async (transferId: string): Promise<boolean | undefined> => {
      const done = await waitFor('the upload to finish', () => extension.transfers().find((t) => t.id === transferId && t.state === 'completed'));
      return Object.values(asTransferOf(DATAHUB_UPLOAD_KIND, done).checkpoint.files ?? {})[0]?.md5Cached;
    };
    assert.equal(await md5From(id), false, 'the first upload reads the file to hash it');
    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-hash-2' });
    const second = await uploadFromExplorer(file.uri, 'int-hash-2');
    assert.equal(await md5From(second), true, 'the second takes its MD5 and part MD5s from the cache');
    const state = await admin<EmulatorState>('GET', '/_emulator/state');
    assert.deepEqual(state.objects.filter((o) => o.subtask_id.startsWith('int-hash-')).map((o) => o.md5), [file.md5, file.md5]);
  });
});
