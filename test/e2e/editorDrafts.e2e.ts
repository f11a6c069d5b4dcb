// e2e: an editor never loses an edit. A form opened from the palette has the focus in its first field, Enter saves and
// Escape closes it; an edited job shows ● in its tab, closing it asks "Save changes?" (Cancel brings the edits back),
// a window reload restores them, a failed save shows its error at the top and next to the field (scrolled into view),
// and Don't Save leaves the job as it was.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { answerInput, DEADLINE, pick, useSession } from './harness';

interface PandoraState {
  pandora: { jobs: Record<string, { computation: { code: string } }> };
}

/** The page of the one visible webview editor. */
function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready:visible').frameLocator('iframe#active-frame');
}

/** The editor tab whose label is exactly `label`. */
function tab(page: Page, label: string): Locator {
  return page.locator('.tabs-container .tab').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
}

/** Whether `locator` lies wholly inside its page's viewport (the webview's own scrolling). */
async function inViewport(locator: Locator): Promise<boolean> {
  return locator.evaluate((e) => {
    const r = e.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
  });
}

/** Closes the editor tab labelled `label` with its × (as a person would). */
async function closeTab(page: Page, label: string): Promise<void> {
  const t = tab(page, label);
  await t.hover();
  await t.locator('.tab-actions .action-label').first().click();
}

/** The modal dialog asking about `text`, answered with `button`. */
async function answerDialog(page: Page, text: string, button: string): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box').filter({ hasText: text });
  await dialog.waitFor({ state: 'visible' });
  await dialog.locator('.monaco-button', { hasText: new RegExp(`^${button}$`) }).first().click();
  await dialog.waitFor({ state: 'hidden' });
}

describe('Editors never lose an edit (e2e)', function () {
  this.timeout(DEADLINE.test);
  const session = useSession({ name: 'editor-drafts', seed: true });

  /** Set Pandora Credentials… with the emulator's demo AccessKey and SecretKey, as a person types them. */
  async function setPandoraKeys(): Promise<void> {
    const { page } = session();
    await session().runCommand('Datahub: Set Pandora Credentials…');
    await pick(page, 'AccessKey and SecretKey');
    await answerInput(page, 'demo-ak');
    await answerInput(page, 'demo-sk');
  }

  it('focuses the first field, saves on Enter, closes on Escape; keeps, asks about and restores unsaved SQL; shows a failed save at the top', async () => {
    const { page, admin } = session();
    await setPandoraKeys();

    // A new job from the palette: the name field has the focus, typing goes there, Enter saves.
    await session().runCommand('Datahub: Create Pandora Job…');
    let form = webview(page);
    await form.locator('[data-testid="job-name"]').waitFor({ state: 'visible' });
    const focused = (): Promise<string | null> => form.locator('body').evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
    assert.equal(await focused(), 'job-name');
    await page.keyboard.type('e2e_keys');
    await tab(page, '● New Pandora Job').waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await form.locator('[data-testid="status"]', { hasText: 'Saved job e2e_keys.' }).waitFor({ state: 'visible' });
    await session().waitForState('the job saved with Enter', (s: PandoraState) => s.pandora.jobs.e2e_keys);
    await tab(page, 'Pandora Job e2e_keys').waitFor({ state: 'visible' });
    // Escape closes a saved form without a question.
    await page.keyboard.press('Escape');
    await tab(page, 'Pandora Job e2e_keys').waitFor({ state: 'detached' });

    // An existing job: its SQL edited, the tab shows ●.
    const original = (await admin<PandoraState>('GET', '/_emulator/state')).pandora.jobs.daily_traffic.computation.code;
    await session().runCommand('Datahub: Edit Pandora Job…');
    await pick(page, 'daily_traffic');
    form = webview(page);
    const sql = form.locator('textarea[data-testid="sql"]');
    await sql.waitFor({ state: 'visible' });
    await tab(page, 'Pandora Job daily_traffic').waitFor({ state: 'visible' });
    const edited = `${original}\n-- an unsaved edit`;
    await sql.fill(edited);
    await tab(page, '● Pandora Job daily_traffic').waitFor({ state: 'visible' });
    await session().screenshot('drafts-dirty-tab');

    // Closing asks; Cancel brings the panel back with the edit.
    await closeTab(page, '● Pandora Job daily_traffic');
    await answerDialog(page, 'Do you want to save the changes you made to Pandora Job daily_traffic?', 'Cancel');
    await tab(page, '● Pandora Job daily_traffic').waitFor({ state: 'visible' });
    form = webview(page);
    await form.locator('textarea[data-testid="sql"]').waitFor({ state: 'visible' });
    assert.equal(await form.locator('textarea[data-testid="sql"]').inputValue(), edited);

    // A window reload restores the unsaved SQL (the panel serializer and the page's state).
    await session().runCommand('Developer: Reload Window');
    await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: DEADLINE.start });
    await tab(page, '● Pandora Job daily_traffic').waitFor({ state: 'visible', timeout: DEADLINE.start });
    form = webview(page);
    await form.locator('textarea[data-testid="sql"]').waitFor({ state: 'visible', timeout: DEADLINE.start });
    assert.equal(await form.locator('textarea[data-testid="sql"]').inputValue(), edited);
    await session().screenshot('drafts-restored-after-reload');

    // A field error far down the form: Save (in the bar that stays at the top) scrolls to it and says so at the top.
    const count = form.locator('[data-field="container.count"] vscode-textfield input');
    await count.fill('200');
    await form.locator('body').evaluate(() => window.scrollTo(0, 0));
    await form.locator('[data-testid="save"]').click();
    const status = form.locator('[data-testid="status"]', { hasText: /^Could not save: Count: .*at most 100/ });
    await status.waitFor({ state: 'visible' });
    const fieldError = form.locator('[data-error-for="container.count"]', { hasText: 'at most 100' });
    await fieldError.waitFor({ state: 'visible' });
    assert.ok(await inViewport(fieldError), 'the field with the error is scrolled into view');
    assert.ok(await inViewport(status), 'the error is at the top of the page');
    await count.fill('1');

    // A save the backend refuses: the error shows at the top, however far down the page is scrolled.
    await admin('POST', '/_emulator/faults', { route: 'pandora', error_rate: 1, status: 400 });
    try {
      await form.locator('body').evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await form.locator('[data-testid="save"]').click();
      const refused = form.locator('[data-testid="status"]', { hasText: /^Could not save: ./s });
      await refused.waitFor({ state: 'visible' });
      assert.ok(await inViewport(refused), 'the backend error is at the top of the page');
      await session().screenshot('drafts-save-error-at-top');
    } finally {
      await admin('DELETE', '/_emulator/faults');
    }
    await tab(page, '● Pandora Job daily_traffic').waitFor({ state: 'visible' });

    // Don't Save: the panel closes and the job keeps its SQL.
    await closeTab(page, '● Pandora Job daily_traffic');
    await answerDialog(page, 'Do you want to save the changes you made to Pandora Job daily_traffic?', "Don't Save");
    await tab(page, '● Pandora Job daily_traffic').waitFor({ state: 'detached' });
    assert.equal((await admin<PandoraState>('GET', '/_emulator/state')).pandora.jobs.daily_traffic.computation.code, original);
  });

  it('shows why an editor could not load its job, with Retry, instead of a blank page (initFailed)', async () => {
    const { page, admin } = session();
    await setPandoraKeys();
    // The job is picked from the list read before the backend starts failing; reading the job itself then fails.
    await session().runCommand('Datahub: Edit Pandora Job…');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'daily_traffic' }).first().waitFor({ state: 'visible' });
    await admin('POST', '/_emulator/faults', { route: 'pandora', error_rate: 1, status: 503 });
    try {
      await pick(page, 'daily_traffic');
      const form = webview(page);
      const failed = form.locator('[data-testid="init-failed"]');
      await failed.waitFor({ state: 'visible' });
      // Which page could not open, the backend's words, and what to do about them.
      assert.equal(await failed.locator('h2').textContent(), 'Could not open Pandora Job daily_traffic');
      assert.match((await failed.locator('[data-testid="init-failed-message"]').textContent()) ?? '', /503/);
      assert.equal(await failed.locator('[data-testid="init-failed-hint"]').textContent(), 'Pandora may answer again in a moment: choose Retry.');
      assert.equal(await form.locator('textarea[data-testid="sql"]').count(), 0, 'no form is shown for a job that was not read');
      await session().readmeScreenshot('editor-init-failed', 'webview-init-failed.png');
      // Refused credentials say how to set them; Retry asks again.
      await admin('DELETE', '/_emulator/faults');
      await admin('POST', '/_emulator/faults', { route: 'pandora', error_rate: 1, status: 401 });
      await failed.locator('vscode-button').click();
      await form.locator('[data-testid="init-failed-hint"]', { hasText: 'Set Credentials' }).waitFor({ state: 'visible' });
      assert.equal(await form.locator('[data-testid="init-failed-hint"]').textContent(), 'Pandora refused the credentials: set them with “Datahub: Set Credentials…”, then choose Retry.');
    } finally {
      await admin('DELETE', '/_emulator/faults');
    }
    // Retry asks the host again: the job is read and the form shows it.
    const form = webview(page);
    await form.locator('[data-testid="init-failed"] vscode-button').click();
    await form.locator('textarea[data-testid="sql"]').waitFor({ state: 'visible' });
    assert.equal(await form.locator('[data-testid="init-failed"]').count(), 0);
    await page.keyboard.press('Escape');
    await tab(page, 'Pandora Job daily_traffic').waitFor({ state: 'detached' });
  });
});
