// e2e: a person opens a Pandora job's SQL from its row in the Pandora view (Open SQL in Editor), sees the
// CodeLens above it, types a statement with magic variables, picks a field after "logs." from the completion
// list, then saves with Ctrl+S — the job is written with the new SQL. The README's picture of the SQL editor.
import * as assert from 'node:assert/strict';
import { answerInput, DEADLINE, pane, pick, row, useSession } from './harness';

interface SqlState {
  pandora: { jobs: Record<string, { computation: { code: string } }> };
}

describe('Pandora SQL editor (e2e)', function () {
  this.timeout(DEADLINE.test);
  const session = useSession({ name: 'pandora-sql', seed: true });

  it('opens a job\'s SQL from its row, completes a field after "logs." and saves the job with Ctrl+S', async () => {
    const { page } = session();
    await session().runCommand('Datahub: Set Pandora Credentials…');
    await pick(page, 'AccessKey and SecretKey');
    await answerInput(page, 'demo-ak');
    await answerInput(page, 'demo-sk');
    await session().openDatahubView();
    for (const other of ['Connectors', 'Load Tasks', 'Media', 'Transfers']) {
      const header = pane(page, other).locator('.pane-header').first();
      if ((await header.getAttribute('aria-expanded').catch(() => null)) === 'true') await header.click();
    }
    const view = pane(page, 'Pandora');
    await row(view, 'daily_traffic').click({ button: 'right' });
    await session().clickMenuItem('Open SQL in Editor');

    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines', { hasText: 'GROUP BY host' }).waitFor({ state: 'visible' });
    await page.locator('.tab.active', { hasText: 'daily_traffic.sql' }).waitFor({ state: 'visible' });
    await editor.locator('.codelens-decoration', { hasText: 'Infer Schema' }).waitFor({ state: 'visible' });

    // Replace the SQL by typing, a line at a time (Escape closes any suggestion before Enter); after "logs." the
    // fields of the job's table are offered with their types.
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    for (const line of ['-- Traffic per host for one day', 'SELECT host, COUNT(*) AS hits, SUM(bytes) AS total_bytes', 'FROM logs']) {
      await page.keyboard.type(line);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Enter');
    }
    await page.keyboard.type("WHERE ts >= '$(year)-$(mon)-$(day)' AND logs.");
    const suggest = page.locator('.editor-widget.suggest-widget.visible');
    await suggest.locator('.monaco-list-row', { hasText: 'latency' }).waitFor({ state: 'visible' });
    await suggest.locator('.monaco-list-row', { hasText: 'status' }).first().waitFor({ state: 'visible' });
    await session().readmeScreenshot('sql-completion', 'pandora-sql-editor.png');
    // Pick "status" with a click, then finish the statement.
    await suggest.locator('.monaco-list-row', { hasText: /^status/ }).first().click();
    await editor.locator('.view-lines', { hasText: 'AND logs.status' }).waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.keyboard.press('End');
    await page.keyboard.type(' = 200');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+S');
    const code = await session().waitForState<SqlState, string>('the job saved with the new SQL', (s) => {
      const saved = s.pandora.jobs.daily_traffic.computation.code;
      return saved.includes('logs.status = 200') ? saved : undefined;
    });
    assert.deepEqual(code.split('\n').map((l) => l.trim()), ['-- Traffic per host for one day', 'SELECT host, COUNT(*) AS hits, SUM(bytes) AS total_bytes', 'FROM logs', "WHERE ts >= '$(year)-$(mon)-$(day)' AND logs.status = 200"]);
  });
});
