// e2e: a person sets the Pandora keys, writes a job in the job editor (SQL typed, schema inferred, an error shown
// next to its field while typing, Ctrl+S saves), starts it from the command palette (the Start dialog: the param
// asked with its default, the built-in $(year) chosen and set), sees the run Completed in Run History, then
// creates a logdb export in the export editor.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { acceptChecked, answerInput, DEADLINE, expandUntil, pane, pick, row, useSession } from './harness';

interface PandoraState {
  pandora: {
    jobs: Record<string, { computation: { code: string }; params?: { name: string; default: string }[]; exports: Record<string, { type: string; spec: Record<string, unknown> }>; runs: { runId: number; status: string; rerunCount: number; params: { name: string; value: string }[] }[] }>;
  };
}

/** The page of the one visible webview editor. */
function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready:visible').frameLocator('iframe#active-frame');
}

async function choose(frame: FrameLocator, testId: string, label: string): Promise<void> {
  const select = frame.locator(`[data-testid="${testId}"]`);
  await select.click();
  await select.locator('li[role="option"]', { hasText: label }).first().click();
}

describe('Pandora job and export editors (e2e)', function () {
  this.timeout(DEADLINE.test);
  const session = useSession({ name: 'pandora', seed: true });

  it('writes a job in the editor, starts it from the palette, sees it succeed and adds an export', async () => {
    const { page, admin } = session();
    await admin('POST', '/_emulator/pandora/config', { runMs: 1500 });

    await session().runCommand('Datahub: Set Pandora Credentials…');
    await pick(page, 'AccessKey and SecretKey');
    await answerInput(page, 'demo-ak');
    await answerInput(page, 'demo-sk');
    await session().openDatahubView();
    // Room for the Pandora view: the other views of the container collapse.
    for (const other of ['Connectors', 'Load Tasks', 'Media', 'Transfers']) {
      const header = pane(page, other).locator('.pane-header').first();
      if ((await header.getAttribute('aria-expanded').catch(() => null)) === 'true') await header.click();
    }
    const view = pane(page, 'Pandora');
    await row(view, 'daily_traffic').waitFor({ state: 'visible' });

    // The job editor, from the palette.
    await session().runCommand('Datahub: Create Pandora Job…');
    const form = webview(page);
    await form.locator('[data-testid="job-name"] input').fill('e2e_traffic');
    await form.locator('[data-testid="src-0-table"] input').fill('logs');
    const sql = form.locator('textarea[data-testid="sql"]');
    await sql.fill('');
    await sql.pressSequentially('SELECT host,\n  COUNT(*) AS hits,\n  SUM(bytes) AS total_bytes\nFROM logs\nGROUP BY host');
    assert.match(await sql.inputValue(), /^SELECT host,\n {2}COUNT/);
    await form.locator('.sql .gutter', { hasText: '5' }).waitFor({ state: 'visible' });
    await form.locator('[data-testid="infer"]').click();
    const schema = form.locator('[data-testid="schema"]');
    await schema.locator('tr', { hasText: /hits\s*long/ }).waitFor({ state: 'visible' });
    await schema.locator('tr', { hasText: /total_bytes\s*float/ }).waitFor({ state: 'visible' });
    // An error appears next to its field as you type: 16U64G is not chosen, but 200 × 1U2G is too many cores.
    const count = form.locator('[data-field="container.count"] vscode-textfield input');
    await count.fill('200');
    await form.locator('[data-error-for="container.count"]', { hasText: '200 cores' }).waitFor({ state: 'visible' });
    await count.fill('2');
    await form.locator('[data-error-for="container.count"]', { hasText: /^$/ }).waitFor({ state: 'attached' });
    // A param with a default; the palette will ask for it.
    await form.getByText('Add Param', { exact: true }).click();
    await form.locator('[data-field="params[0].name"] input').fill('region');
    await form.locator('[data-field="params[0].default"] input').fill('east');
    await form.locator('h1').scrollIntoViewIfNeeded();
    await session().readmeScreenshot('job-editor', 'pandora-job-editor.png');
    // Ctrl+S in the code area saves.
    await sql.click();
    await page.keyboard.press('Control+S');
    await form.locator('[data-testid="status"]', { hasText: 'Saved job e2e_traffic.' }).waitFor({ state: 'visible' });
    const saved = (await admin<PandoraState>('GET', '/_emulator/state')).pandora.jobs.e2e_traffic;
    assert.ok(saved, 'the emulator has the job');
    assert.match(saved.computation.code, /SUM\(bytes\) AS total_bytes/);
    assert.deepEqual(saved.params, [{ name: 'region', default: 'east' }]);
    await session().runCommand('View: Close All Editors');

    // Start it from the palette: pick the job; the Start dialog lists its param (checked) and the built-in
    // variables; $(year) is checked too; then each value is asked, the param's default prefilled.
    await session().runCommand('Datahub: Start Pandora Job…');
    await pick(page, 'e2e_traffic');
    const variable = (name: string) => page.locator('.quick-input-widget .monaco-list-row', { hasText: `$(${name})` }).first();
    await variable('region').waitFor({ state: 'visible' });
    assert.equal(await variable('region').getAttribute('aria-checked'), 'true');
    await variable('year').click();
    await page.locator('.quick-input-widget .monaco-list-row[aria-checked="true"]', { hasText: '$(year)' }).waitFor({ state: 'visible' });
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await acceptChecked(page, page.locator('.quick-input-widget', { hasText: 'Value of region (default: east)' }));
    assert.equal(await input.inputValue(), 'east');
    await answerInput(page, 'west');
    await page.locator('.quick-input-widget', { hasText: 'Value of year (built-in' }).waitFor({ state: 'visible' });
    await answerInput(page, '2024');
    const job = row(view, 'e2e_traffic');
    await job.waitFor({ state: 'visible' });
    await job.click();
    await row(view, 'Run History').click();
    // The emulator says when the run is over; then the view is refreshed as a person would (it polls only while it
    // saw a run active, and on a loaded machine it may have listed the job before its run existed).
    const run = await session().waitForState('run 1 of e2e_traffic to succeed', (state: PandoraState) => {
      const first = state.pandora.jobs.e2e_traffic?.runs[0];
      return first?.status === 'Successful' ? first : undefined;
    });
    await session().runCommand('Datahub: Refresh Pandora');
    await row(view, /Run 1.*Completed/).waitFor({ state: 'visible' });
    assert.equal(run.status, 'Successful');
    assert.deepEqual(run.params, [{ name: 'region', value: 'west' }, { name: 'year', value: '2024' }]);
    await session().screenshot('run-successful');

    // An export from the job's context menu: a logdb export whose doc maps a field to a job column.
    await job.click({ button: 'right' });
    await session().clickMenuItem('Create Pandora Export…');
    const exportForm = webview(page);
    await exportForm.locator('[data-testid="export-name"] input').fill('to_logdb');
    await choose(exportForm, 'export-type', 'logdb — log search repository');
    await exportForm.locator('[data-testid="fields-logdb"]').waitFor({ state: 'visible' });
    await exportForm.locator('[data-testid="f-destRepoName"] input').fill('traffic_repo');
    await exportForm.locator('[data-testid="map-doc-add"]').click();
    await exportForm.locator('[data-testid="map-doc-0-target"] input').fill('site');
    await exportForm.locator('[data-testid="map-doc-add"]').click();
    await choose(exportForm, 'map-doc-1-source', 'hits (long)');
    await exportForm.locator('[data-testid="map-doc-1-target"] input').fill('count');
    await session().readmeScreenshot('export-editor', 'pandora-export-editor.png');
    await exportForm.locator('[data-testid="save"]').click();
    await exportForm.locator('[data-testid="status"]', { hasText: 'Saved export to_logdb.' }).waitFor({ state: 'visible' });
    const exported = (await admin<PandoraState>('GET', '/_emulator/state')).pandora.jobs.e2e_traffic.exports.to_logdb;
    assert.deepEqual(exported, { type: 'logdb', spec: { destRepoName: 'traffic_repo', omitInvalid: false, doc: { site: 'host', count: 'hits' } } });
    // The job's Exports node is folded unless something opened it: open it, then the new export is listed.
    await expandUntil(row(view, 'Exports'), row(view, 'to_logdb'));
  });

  /** The Start dialog of e2e_traffic answered with Enter: its param ticked and left at its default. */
  async function startWithDefaults(page: Page): Promise<void> {
    await pick(page, 'e2e_traffic');
    await page.locator('.quick-input-widget .monaco-list-row[aria-checked="true"]', { hasText: '$(region)' }).waitFor({ state: 'visible' });
    await acceptChecked(page, page.locator('.quick-input-widget', { hasText: 'Value of region (default: east)' }));
    await answerInput(page);
  }

  it('hears of a run that fails (a notification with Show Run) and reads the run in its details view', async () => {
    const { page } = session();
    const view = pane(page, 'Pandora');
    // The job of the first test, its SQL made to fail (the emulator's marker), saved with Ctrl+S.
    const job = row(view, 'e2e_traffic');
    await job.click({ button: 'right' });
    await session().clickMenuItem('Edit Pandora Job…');
    const form = webview(page);
    const sql = form.locator('textarea[data-testid="sql"]');
    await sql.fill('SELECT host /* emulator:fail */ FROM logs');
    await page.keyboard.press('Control+S');
    await form.locator('[data-testid="status"]', { hasText: 'Saved job e2e_traffic.' }).waitFor({ state: 'visible' });
    await session().runCommand('View: Close All Editors');

    // Start it (its param at the default); the view polls while the run is active and sees it fail.
    await session().runCommand('Datahub: Start Pandora Job…');
    await startWithDefaults(page);
    const toast = page.locator('.notification-toast', { hasText: 'e2e_traffic run 2 failed' });
    await toast.waitFor({ state: 'visible', timeout: DEADLINE.backend });
    await row(view, /Run 2.*Failed/).waitFor({ state: 'visible' });
    await session().screenshot('failed-run-notification');
    // The toast's Show Run opens the run's details: a heading and a list of what is known about it.
    await toast.locator('.monaco-button', { hasText: 'Show Run' }).click();
    const details = page.frameLocator('iframe.webview.ready:visible').frameLocator('iframe#active-frame');
    await details.locator('h1', { hasText: 'Run 2 of e2e_traffic' }).waitFor({ state: 'visible' });
    await details.locator('li', { hasText: /^Status: Failed$/ }).waitFor({ state: 'visible' });
    await details.locator('p', { hasText: 'run failed: the SQL carries the emulator:fail marker' }).waitFor({ state: 'visible' });
    await details.locator('li', { hasText: /^region: east$/ }).waitFor({ state: 'visible' });
    // The picture for the README: the details beside the Run History that shows the failed run, and another failure's toast.
    await session().runCommand('Datahub: Start Pandora Job…');
    await startWithDefaults(page);
    await page.locator('.notification-toast', { hasText: 'e2e_traffic run 3 failed' }).waitFor({ state: 'visible', timeout: DEADLINE.backend });
    await session().readmeScreenshot('failed-run-details', 'pandora-failed-run.png');
  });

  it('sees the runs of a job as a chart in its editor: a bar per run, its details on hover or focus; a click selects a run to rerun', async () => {
    const { page } = session();
    const view = pane(page, 'Pandora');
    await session().runCommand('View: Close All Editors');
    // e2e_traffic has run three times by now: 1 Completed, 2 and 3 Failed.
    await row(view, 'e2e_traffic').click({ button: 'right' });
    await session().clickMenuItem('Edit Pandora Job…');
    const form = webview(page);
    const chart = form.locator('[data-testid="run-chart"]');
    await chart.scrollIntoViewIfNeeded();
    // The pointer leaves the tree (whose row tooltip would stay over the picture) and the toasts of the test before go.
    await form.locator('[data-testid="run-history"] h2').hover();
    await session().runCommand('Notifications: Clear All Notifications');
    for (const id of [1, 2, 3]) await chart.locator(`[data-testid="run-bar-${id}"]`).waitFor({ state: 'visible' });
    // The same runs as a table for screen readers.
    assert.equal(await form.locator('[data-testid="run-table"] tr').count(), 4);
    // Keyboard: a focused bar shows its tooltip and Enter selects it.
    await chart.locator('[data-testid="run-bar-2"]').focus();
    await form.locator('.run-tooltip', { hasText: /Run 2\s+Status: Failed/ }).waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await form.locator('[data-testid="run-selected"]', { hasText: 'Selected: run 2 (Failed)' }).waitFor({ state: 'visible' });
    // A click selects the first run; its tooltip shows on hover.
    await chart.locator('[data-testid="run-bar-1"] rect').hover();
    await form.locator('.run-tooltip', { hasText: /Run 1\s+Status: Completed/ }).waitFor({ state: 'visible' });
    await session().readmeScreenshot('run-history', 'pandora-run-history.png');
    await chart.locator('[data-testid="run-bar-1"] rect').click();
    await form.locator('[data-testid="run-selected"]', { hasText: 'Selected: run 1 (Completed)' }).waitFor({ state: 'visible' });
    assert.equal(await chart.locator('[data-testid="run-bar-1"]').getAttribute('aria-pressed'), 'true');
    assert.equal(await form.locator('[data-testid="run-stop"]').getAttribute('disabled'), '');
    // Rerun: the run command reruns it; the emulator has it rerun and the chart follows.
    await form.locator('[data-testid="run-rerun"]').click();
    await session().waitForState('run 1 of e2e_traffic rerun', (state: PandoraState) => {
      const first = state.pandora.jobs.e2e_traffic?.runs.find((r) => r.runId === 1);
      return first && first.rerunCount === 1 ? first : undefined;
    });
    await form.locator('[data-testid="run-selected"]', { hasText: /Selected: run 1 \((Running|Failed)\)/ }).waitFor({ state: 'visible' });
  });
});
