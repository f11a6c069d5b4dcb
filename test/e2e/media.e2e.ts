// e2e: a person uploads a folder of two masters from the Explorer ("Upload Media Folder…"), uploads the
// private blocks, downloads one master by source id, watches it wait for authorization, and gets the
// original back byte for byte; then a vscode:// hand-off link downloads the other one, only once confirmed —
// code-server + Chromium against the emulator (media backend + Kubo RPC). One walk: each step needs the last.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEADLINE, pane, useSession } from './harness';

const SERIES = '仙剑奇侠传';
const EP1 = randomBytes(1024 * 1024 + 17);
const EP2 = randomBytes(300_000);

interface MediaState {
  media: { uploads: { id: number; source_id: number; source_name: string; status: number; private: { status: number } }[]; downloads: { id: number; source_id: number }[] };
}

/** Answers the input box titled `title` (waiting for it: the widget is reused from one prompt to the next). */
async function answerInput(page: Page, title: string, value: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'visible' });
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(value);
  await page.keyboard.press('Enter');
}

async function acceptPick(page: Page, expectedRow: string): Promise<void> {
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: expectedRow }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('media over IPFS (e2e)', function () {
  this.timeout(DEADLINE.test);
  const session = useSession({ name: 'media', files: { [`${SERIES}/ep01.mp4`]: EP1, [`${SERIES}/ep02.mp4`]: EP2 } });

  it('uploads a folder, its private blocks, downloads one master that composes to the original, and the other from a confirmed hand-off link', async () => {
    const { page, admin, workspace } = session();

    // Explorer → right-click the folder → "Upload Media Folder…" → series id → token → confirm the two files.
    const folderRow = await session().explorerItem(SERIES);
    await folderRow.click({ button: 'right' });
    await session().clickMenuItem('Upload Media Folder…');
    await answerInput(page, 'Series id', '55');
    await answerInput(page, 'Media user token', 'e2e-media-token');
    await acceptPick(page, 'ep02.mp4');

    await session().openDatahubView();
    const media = pane(page, 'Media');
    const header = media.locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    for (const name of ['ep01.mp4', 'ep02.mp4']) {
      await media.locator('.monaco-list-row', { hasText: name }).filter({ hasText: /Completed/ }).first().waitFor({ state: 'visible', timeout: DEADLINE.transfer });
    }
    await session().screenshot('uploaded');
    const state = await admin<MediaState>('GET', '/_emulator/state');
    assert.equal(state.media.uploads.filter((u) => u.status === 8).length, 2);
    // The private blocks (the keys) stay out of the workspace.
    assert.equal(existsSync(join(workspace, SERIES, '.datahub-private')), false);

    // Private blocks: the command matches the blocks kept on this machine to the waiting tasks, shows them, uploads them.
    await session().runCommand('Datahub: Upload Private Blocks…');
    const confirmation = page.locator('.quick-input-widget .quick-input-title', { hasText: 'Upload 2 matched private block(s)' });
    await confirmation.waitFor({ state: 'visible' });
    await acceptPick(page, 'ep01.mp4');
    await session().waitForState('private blocks uploaded', (s: MediaState) => (s.media.uploads.every((u) => u.private.status === 8) ? s : undefined));

    // Download by source id into the workspace folder; it waits for authorization, visibly.
    const sourceId = state.media.uploads.find((u) => u.source_name === 'ep01.mp4')?.source_id;
    assert.ok(sourceId);
    await session().runCommand('Datahub: Download Media by Source Id…');
    await answerInput(page, 'Download by source id', String(sourceId));
    await acceptPick(page, 'workspace');
    // The Downloads rows sit one level under their section (an upload's row is under its series); once the task
    // names the file, the row shows that name instead of "Source N".
    const downloadRow = (name: string) => media.locator('.monaco-list-row[aria-level="2"]', { hasText: name });
    const waiting = downloadRow('ep01.mp4').filter({ hasText: 'Waiting for authorization' }).first();
    await waiting.waitFor({ state: 'visible', timeout: DEADLINE.backend });
    await session().screenshot('waiting-for-authorization');

    const withDownload = await session().waitForState('the download task', (s: MediaState) => (s.media.downloads.some((d) => d.source_id === sourceId) ? s : undefined));
    const task = withDownload.media.downloads.find((d) => d.source_id === sourceId);
    await admin('POST', '/_emulator/media/authorize', { task_id: task?.id });
    await downloadRow('ep01.mp4').filter({ hasText: /Completed/ }).first().waitFor({ state: 'visible', timeout: DEADLINE.transfer });
    await session().screenshot('downloaded');

    const output = join(workspace, 'ep01.mp4');
    assert.ok(existsSync(output), 'the composed original is not in the workspace folder');
    assert.equal(sha256(readFileSync(output)), sha256(EP1));

    await handOffLink();
    await clearFinishedLeavesMedia();
  });

  /**
   * Transfers → Clear Finished empties the Transfers list, not the Media view (the backend's tasks, kept in the media
   * task log); Remove from List on a row takes it away without a question, and the notification's Undo brings it back.
   */
  async function clearFinishedLeavesMedia(): Promise<void> {
    const { page } = session();
    const media = pane(page, 'Media');
    const downloadRow = (name: string) => media.locator('.monaco-list-row[aria-level="2"]', { hasText: name });
    await session().runCommand('Datahub: Clear Finished Transfers');
    await page.locator('.notification-toast', { hasText: /Cleared \d+ finished transfer/ }).waitFor({ state: 'visible', timeout: DEADLINE.backend });
    await session().runCommand('Datahub: Refresh Media');
    for (const name of ['ep01.mp4', 'ep02.mp4']) {
      // Uploads (one level under their series) and Downloads keep the tasks, with the backend's state.
      await media.locator('.monaco-list-row[aria-level="3"]', { hasText: name }).filter({ hasText: /Completed/ }).first().waitFor({ state: 'visible' });
      await downloadRow(name).filter({ hasText: /Completed/ }).first().waitFor({ state: 'visible' });
    }
    await session().screenshot('media-after-clear-finished');

    await downloadRow('ep02.mp4').first().click({ button: 'right' });
    await session().clickMenuItem('Remove from List');
    // A click that lands while the view redraws the row reaches the command without the row, and the command asks
    // which task: then it is picked, as a person would.
    const toast = page.locator('.notification-toast', { hasText: 'Removed ep02.mp4 from the Media view' });
    const asked = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'ep02.mp4' }).filter({ hasText: 'Download' }).first();
    await toast.or(asked).first().waitFor({ state: 'visible' });
    if (await asked.isVisible()) {
      await asked.click();
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    }
    await downloadRow('ep02.mp4').first().waitFor({ state: 'hidden' });
    await toast.waitFor({ state: 'visible' });
    await session().screenshot('media-removed-from-list');
    await toast.locator('.monaco-button', { hasText: 'Undo' }).click();
    await downloadRow('ep02.mp4').filter({ hasText: /Completed/ }).first().waitFor({ state: 'visible' });
  }

  /** A vscode:// hand-off link starts a download of ep02 only after the user confirms it, storing its token. */
  async function handOffLink(): Promise<void> {
    const { page, admin } = session();
    const state = await admin<MediaState>('GET', '/_emulator/state');
    const sourceId = state.media.uploads.find((u) => u.source_name === 'ep02.mp4')?.source_id;
    assert.ok(sourceId);
    await admin('POST', '/_emulator/media/config', { tokens: ['link-token'] });
    const before = state.media.downloads.length;
    const link = `vscode://oortech.datahub-vscode/media/download?source_id=${sourceId}&token=link-token`;

    // First time: decline in our dialog → nothing starts. The dialog says what the link does with its token, and for which host.
    await openUrl(page, link);
    const text = await dialogButton(page, 'Cancel');
    assert.match(text, /The link carries a media token: continuing replaces the stored media token with it, for 127\.0\.0\.1:\d+\./);
    // That nothing started is checked below: after the confirmed second link there is exactly one new download.

    // Second time: confirm → destination → the download runs with the link's token.
    await openUrl(page, link);
    await dialogButton(page, 'Start Download');
    await acceptPick(page, 'workspace');
    const started = await session().waitForState('the download started by the link', (s: MediaState) => (s.media.downloads.length > before ? s : undefined));
    assert.equal(started.media.downloads.at(-1)?.source_id, sourceId);
    await admin('POST', '/_emulator/media/authorize', { source_id: sourceId });
    await pane(page, 'Media').locator('.monaco-list-row[aria-level="2"]', { hasText: 'ep02.mp4' }).filter({ hasText: /Completed/ }).first().waitFor({ state: 'visible', timeout: DEADLINE.transfer });
    assert.equal(sha256(readFileSync(join(session().workspace, 'ep02.mp4'))), sha256(EP2));
    assert.equal((await admin<MediaState>('GET', '/_emulator/state')).media.downloads.length, before + 1, 'the declined link started no download');
  }
});

/** "Open URL" (workbench.action.url.openUrl) hands a URL to the URL handlers, as the OS does for a clicked link. */
async function openUrl(page: Page, url: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Open URL');
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Open URL' }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .quick-input-box input:not([placeholder*="command"])').waitFor({ state: 'visible' });
  await input.fill(url);
  await page.keyboard.press('Enter');
}

/** Clicks a button of our modal dialog, returning its text; VS Code's own "Allow … to open this URI?" is accepted on the way. */
async function dialogButton(page: Page, label: string): Promise<string> {
  const ours = page.locator('.monaco-dialog-box').filter({ hasText: 'Datahub media link' });
  const allow = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Open$/ }).first();
  await ours.or(allow).first().waitFor({ state: 'visible' });
  if (!(await ours.isVisible())) {
    await allow.click();
    await ours.waitFor({ state: 'visible' });
  }
  const text = await ours.innerText();
  await ours.locator('.monaco-button', { hasText: new RegExp(`^${label}$`) }).first().click();
  await ours.waitFor({ state: 'hidden' });
  return text;
}
