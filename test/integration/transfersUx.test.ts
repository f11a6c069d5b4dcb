// Integration (real VS Code): what a careful user meets around transfers — the interrupted-transfers notification,
// Clear Finished with Undo (failed ones kept), Change Subtask… after a refused subtask (a failed id is no suggestion),
// the safe default of the overwrite question and where the upload dialog starts.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import * as vscode from 'vscode';
import { notifyInterrupted } from '../../src/areas/transfers';
import { silentLogger } from '../../src/api/logger';
import { TransferNotices } from '../../src/providers/transferNotices';
import { TransferEngine } from '../../src/transfer/engine';
import { MemoryJournal } from '../../src/transfer/journal';
import { defineKind } from '../../src/transfer/types';
import { ScriptedPrompts } from './prompts';
import { admin, api, ready, testing, transferItems, uploadFromExplorer, waitFor, workspace, writeFile } from './helpers';

/** Runs `command` with `prompts` answering, and returns them (what was asked) once it has run. */
async function asking(prompts: ScriptedPrompts, command: () => Thenable<unknown>): Promise<ScriptedPrompts> {
  const registration = (await testing()).answerPrompts(prompts);
  try {
    await command();
    return prompts;
  } finally {
    registration.dispose();
  }
}

const stateOf = async (id: string) => (await api()).transfers().find((t) => t.id === id)?.state;

describe('Transfers as a careful user meets them', function () {
  this.timeout(90_000);

  before(async () => {
    await ready();
  });
  afterEach(async () => admin('DELETE', '/_emulator/faults'));

  it('the upload dialog opened from the Transfers toolbar starts in the workspace', async () => {
    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-ux-dialog' });
    const file = writeFile('ux-dialog.bin', 100);
    const prompts = await asking(new ScriptedPrompts([{ open: [file.uri.fsPath] }, { type: 'int-ux-dialog' }]), () => vscode.commands.executeCommand('datahub.upload'));
    prompts.assertDone();
    assert.equal(prompts.asked[0].kind, 'openDialog');
    assert.equal(prompts.asked[0].value, vscode.Uri.file(workspace).fsPath, 'it started elsewhere');
  });

  it('the overwrite question offers the safe choice (Keep Both) as its default, first button', async () => {
    const source = join(mkdtempSync(join(tmpdir(), 'datahub-int-ux-')), 'ux-again.csv');
    writeFileSync(source, randomBytes(500));
    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-ux-overwrite', input_file: { path: source, name: 'ux-again.csv' } });
    writeFileSync(join(workspace, 'ux-again.csv'), 'local edits');
    const prompts = await asking(new ScriptedPrompts([{ type: 'int-ux-overwrite' }, { open: [workspace] }, { button: 'Keep Both' }]), () => vscode.commands.executeCommand('datahub.download'));
    prompts.assertDone();
    const question = prompts.asked.find((a) => a.kind === 'confirm');
    assert.deepEqual(question?.items, ['Keep Both', 'Overwrite']);
  });

  it('a refused subtask offers Change Subtask…, is not kept as recent, and the upload goes to the new subtask', async () => {
    const t = await testing();
    const file = writeFile('ux-retarget.bin', 3000);
    const failedId = await uploadFromExplorer(file.uri, 'int-ux-no-such-subtask');
    await waitFor('the upload to fail', async () => ((await stateOf(failedId)) === 'failed' ? true : undefined));
    const notice = await waitFor('the failure notification', () => t.transferNotices.list().find((n) => n.message.includes('ux-retarget.bin') && n.severity === 'error'));
    assert.deepEqual(notice.buttons, ['Change Subtask…', 'Retry', 'Show Log']);

    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-ux-retarget' });
    const prompts = new ScriptedPrompts([{ type: 'int-ux-retarget' }]);
    const registration = t.answerPrompts(prompts);
    try {
      assert.ok(t.transferNotices.press(/ux-retarget\.bin/, 'Change Subtask…'));
      const moved = await waitFor('the upload to the new subtask', async () => (await api()).transfers().find((r) => r.label === 'ux-retarget.bin' && r.id !== failedId && r.state === 'completed'));
      prompts.assertDone();
      assert.ok(!prompts.asked[0].items?.includes('int-ux-no-such-subtask'), `the refused id was offered as recent: ${JSON.stringify(prompts.asked[0].items)}`);
      assert.equal(await stateOf(failedId), undefined, 'the failed transfer left the list');
      const objects = (await admin<{ objects: { subtask_id: string; file_name: string }[] }>('GET', '/_emulator/state')).objects;
      assert.ok(objects.some((o) => o.subtask_id === 'int-ux-retarget' && o.file_name === 'ux-retarget.bin'), `${moved.id} did not reach the new subtask`);
    } finally {
      registration.dispose();
    }
  });

  it('a folder upload ends with one summary notification naming the count and the subtask, with Reveal', async () => {
    const t = await testing();
    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-ux-folder' });
    const folder = join(workspace, 'ux-folder');
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(folder));
    for (const name of ['a.csv', 'b.csv', 'c.csv']) writeFileSync(join(folder, name), `${name}\n`);
    const id = await uploadFromExplorer(vscode.Uri.file(folder), 'int-ux-folder');
    await waitFor('the folder upload to complete', async () => ((await stateOf(id)) === 'completed' ? true : undefined));
    // Every notice about this upload (its folder or its subtask): one, the summary — not one per file.
    const said = await waitFor('the summary', () => {
      const about = t.transferNotices.list().filter((n) => /int-ux-folder|ux-folder|[abc]\.csv/.test(n.message));
      return about.some((n) => n.message.startsWith('3 files uploaded')) ? about : undefined;
    });
    assert.deepEqual(said, [{ severity: 'info', message: '3 files uploaded to int-ux-folder', buttons: ['Reveal in Explorer'] }]);
  });

  it('the "Uploading" message on the status bar goes as soon as the upload fails', async () => {
    const t = await testing();
    // The first status report is held: the upload has started and cannot fail until the test lets it.
    await admin('POST', '/_emulator/faults', { route: 'status', hold_after: 0 });
    const id = await uploadFromExplorer(writeFile('ux-status-message.bin', 100).uri, 'int-ux-status-unknown');
    const mine = () => t.transferStatusBar().messages.filter((m) => m.includes('ux-status-message.bin'));
    assert.deepEqual(mine(), ['Uploading ux-status-message.bin (100 B) to subtask int-ux-status-unknown']);
    await admin('DELETE', '/_emulator/faults');
    await waitFor('the upload to fail', async () => ((await stateOf(id)) === 'failed' ? true : undefined));
    assert.deepEqual(mine(), [], 'the status bar still says "Uploading" after the failure');
  });

  it('Clear Finished keeps failed transfers and can be undone', async () => {
    const t = await testing();
    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-ux-clear' });
    const done = await uploadFromExplorer(writeFile('ux-clear-done.bin', 100).uri, 'int-ux-clear');
    const failed = await uploadFromExplorer(writeFile('ux-clear-failed.bin', 100).uri, 'int-ux-clear-unknown');
    await waitFor('one completed, one failed', async () => ((await stateOf(done)) === 'completed' && (await stateOf(failed)) === 'failed' ? true : undefined));
    await vscode.commands.executeCommand('datahub.transfers.clearFinished');
    const ids = (await transferItems()).map((i) => i.id);
    assert.ok(!ids.includes(done), 'the completed transfer was cleared');
    assert.ok(ids.includes(failed), 'the failed transfer was cleared with it');
    await waitFor('the Undo notification', () => t.transferNotices.list().find((n) => /^Cleared \d+ finished transfer/.test(n.message) && n.buttons.includes('Undo')));
    assert.ok(t.transferNotices.press(/^Cleared \d+ finished transfer/, 'Undo'));
    await waitFor('the cleared transfer back in the view', async () => ((await transferItems()).some((i) => i.id === done) ? true : undefined));
  });

  it('after a restart without autoResume: one notification for the interrupted transfers, whose Resume All resumes them', async () => {
    // The function the extension calls on start, with transfers that came back paused.
    const kind = defineKind('int-ux-waiting', 'upload', v.object({}), v.object({}));
    const engine = new TransferEngine({ journal: new MemoryJournal(), logger: silentLogger, concurrency: () => 4 });
    engine.registerProtocol({ kind, run: (run) => new Promise((_resolve, reject) => run.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))) });
    try {
      const records = [engine.start(kind, {}, { label: 'a.bin' }), engine.start(kind, {}, { label: 'b.bin' }), engine.start(kind, {}, { label: 'c.bin' })];
      for (const r of records) engine.pause(r.id);
      await Promise.all(records.map((r) => engine.whenSettled(r)));
      const notices = new TransferNotices();
      const answered = notifyInterrupted(engine, records, notices);
      assert.deepEqual(notices.list(), [{ severity: 'info', message: '3 transfers were interrupted.', buttons: ['Resume All', 'Show'] }]);
      assert.ok(notices.press(/interrupted/, 'Resume All'));
      await answered;
      assert.deepEqual(records.map((r) => engine.get(r.id)?.state), ['running', 'running', 'running']);
    } finally {
      await engine.dispose();
    }
  });
});
