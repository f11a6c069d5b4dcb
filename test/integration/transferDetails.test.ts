// Integration (real VS Code): Show Transfer Details on a running upload opens its page, and what the host sends it —
// parts in flight, the journal file, the destination — follows the transfer as it finishes and is cleared.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PagePort } from '../../src/extensionApi';
import type { DetailsState, HostMessage } from '../../src/webviews/transferDetailsProtocol';
import { admin, api, ready, testing, transferNode, uploadFromExplorer, waitFor, webviewTabs, writeFile } from './helpers';

/** The state the host last sent the details page. */
const shown = (port: PagePort): DetailsState | undefined => (port.lastPosted('state') as Extract<HostMessage, { type: 'state' }> | undefined)?.state;
const row = (state: DetailsState | undefined, key: string): string | undefined => state?.rows.find((r) => r.key === key)?.value;

describe('Transfer details page', function () {
  this.timeout(120_000);

  before(async () => {
    await ready();
  });
  afterEach(async () => {
    await admin('DELETE', '/_emulator/faults');
    await vscode.window.tabGroups.close(webviewTabs('datahub.transferDetails'));
  });

  it('shows a running upload: parts done and in flight, its journal file, then completed with the retried parts, then removed', async () => {
    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-details' });
    // The first part lands; the others are held unanswered until the faults are cleared (then refused once, retried).
    await admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 1 });
    const file = writeFile('details.bin', 12 * 1024 * 1024);
    const id = await uploadFromExplorer(file.uri, 'int-details');
    const extension = await api();
    await waitFor('the upload running', () => extension.transfers().find((t) => t.id === id && t.state === 'running'));

    await vscode.commands.executeCommand('datahub.transfers.showDetails', await transferNode(id));
    await waitFor('the details tab', () => webviewTabs('datahub.transferDetails').length === 1);
    const port = await waitFor('the details page loaded', async () => {
      const found = (await testing()).transferDetails(id);
      return found?.pagePosted('ready') ? found : undefined;
    }, 60_000);

    // Which part's PUT reaches the emulator first (the one let through) is the network's choice, not always part 1's.
    const running = await waitFor('one part done and the others in flight', () => {
      const cells = shown(port)?.parts[0]?.cells ?? '';
      return /^[sp]*d[sp]*$/.test(cells) && cells.includes('s') ? shown(port) : undefined;
    });
    assert.equal(running?.title, 'details.bin');
    assert.equal(running?.removed, false);
    assert.match(row(running, 'state') ?? '', /^Running/);
    assert.equal(row(running, 'destination'), 'subtask int-details');
    assert.equal(row(running, 'local'), file.uri.fsPath);
    assert.match(row(running, 'journal') ?? '', new RegExp(`${id}\\.json$`));
    assert.equal(running?.canReveal, true);

    // A second Show Details reveals the same page.
    await vscode.commands.executeCommand('datahub.transfers.showDetails', await transferNode(id));
    assert.equal(webviewTabs('datahub.transferDetails').length, 1);

    await admin('DELETE', '/_emulator/faults');
    const completed = await waitFor('the page showing the upload completed', () => {
      const state = shown(port);
      return state && /completed/i.test(state.notice) ? state : undefined;
    });
    const cells = completed.parts[0]?.cells ?? '';
    assert.match(cells, /^[dr]+$/, 'every part done, the held ones retried');
    assert.ok(cells.includes('r'), `the held parts were retried: ${cells}`);
    assert.match(row(completed, 'resent') ?? '', /in [1-9]\d* retries/);
    assert.ok(completed.samples.length >= 1, 'the upload was sampled while it ran');

    await vscode.commands.executeCommand('datahub.transfers.clearFinished');
    const removed = await waitFor('the page saying the transfer was removed', () => (shown(port)?.removed ? shown(port) : undefined));
    assert.match(removed.notice, /removed from the Transfers view/);
    assert.equal(removed.parts[0]?.cells, cells, 'what it showed last is kept');
    assert.equal(removed.canReveal, false);
  });

  it('refuses a page message of unknown type or shape, and keeps working', async () => {
    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-details-refuse' });
    const file = writeFile('details-refuse.bin', 1000);
    const id = await uploadFromExplorer(file.uri, 'int-details-refuse');
    const extension = await api();
    await waitFor('the upload completed', () => extension.transfers().find((t) => t.id === id && t.state === 'completed'));
    await vscode.commands.executeCommand('datahub.transfers.showDetails', await transferNode(id));
    const port = await waitFor('the details page loaded', async () => {
      const found = (await testing()).transferDetails(id);
      return found && shown(found) ? found : undefined;
    }, 60_000);
    const before = shown(port);
    await port.post({ type: 'ready', extra: true });
    await port.post({ type: 'deleteJournal' });
    await port.post('ready');
    assert.equal(shown(port), before, 'a refused message sends nothing');
    await port.post({ type: 'copyJournalPath' });
    assert.match(await vscode.env.clipboard.readText(), new RegExp(`${id}\\.json$`));
  });
});
