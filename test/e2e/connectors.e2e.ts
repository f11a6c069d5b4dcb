// e2e: a person sets the ingest credentials (no Access-Token), adds a connector in the form (refused while a field is
// missing, then validated and saved), selects two files in the Connectors view, creates a load task
// from them, watches it finish in the Load Tasks view (auto-refresh) and retries the file that failed.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { answerInput, DEADLINE, pane, pick, row, useSession } from './harness';

interface IngestState {
  ingest: {
    connectors: { id: number; name: string; bucket: string }[];
    tasks: { id: string; status: number; files: { uri: string; status: number }[] }[];
    access_token: { last: 'sent' | 'empty' | 'absent' | null };
  };
}

const SECRET = 'e2e-secret-value-7f3a';

/** Answers step `step` of the three ingest credential boxes once that box shows (its title ends "(step/3)"). */
async function answerStep(page: Page, step: number, value?: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: `(${step}/3)` }).waitFor({ state: 'visible' });
  await answerInput(page, value);
}

describe('connectors and load tasks (e2e)', function () {
  this.timeout(DEADLINE.test);
  const session = useSession({ name: 'connectors', seed: true });

  it('adds a connector in the form, loads two of its files, watches the task finish and retries the failed file', async () => {
    const { page, admin } = session();
    await admin('POST', '/_emulator/ingest', { tick_ms: 250, bytes_per_second: 64 * 1024 * 1024 });

    // Credentials, as a person enters them; Access-Token is optional in 001 and left empty here.
    await session().runCommand('Datahub: Set Credentials');
    await pick(page, 'Ingest');
    await answerStep(page, 1, 'u-e2e');
    await answerStep(page, 2, '');
    await answerStep(page, 3, 'ws-e2e:admin:accountadmin');

    await session().openDatahubView();
    // Collapse the other views of the container so that both trees have room (rows off screen are not rendered).
    for (const title of ['Pandora', 'Media', 'Transfers']) {
      const header = pane(page, title).locator('.pane-header[aria-expanded="true"]');
      if (await header.count()) await header.click();
    }
    const connectors = pane(page, 'Connectors');
    await row(connectors, 'oss-sample').waitFor({ state: 'visible' });
    assert.equal((await admin<IngestState>('GET', '/_emulator/state')).ingest.access_token.last, 'absent', 'no Access-Token header is sent');

    // Add Connector… from the view's toolbar.
    await connectors.locator('.pane-header').hover();
    await connectors.locator('.pane-header .action-label[aria-label="Add Connector…"]').click();
    const form = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await form.locator('#f-name input').fill('e2e-oss');
    // OSS needs no region: the S3-only fields are hidden.
    assert.equal(await form.locator('[data-field="region"]').isVisible(), false);
    assert.equal(await form.locator('[data-field="pathStyle"]').isVisible(), false);
    // A missing field is refused before anything is sent, next to the field.
    await form.locator('#save').click();
    await form.locator('#e-endpoint', { hasText: 'Required.' }).waitFor({ state: 'visible' });
    assert.equal((await admin<IngestState>('GET', '/_emulator/state')).ingest.connectors.length, 2, 'nothing was created');
    await form.locator('#f-endpoint input').fill('oss-cn-hangzhou.aliyuncs.com');
    await form.locator('#f-accessKeyId input').fill('AK-e2e');
    await form.locator('#f-accessKeySecret input').fill(SECRET);
    // A bucket the backend cannot reach: Validate says so, and Save asks before saving it (Cancel keeps the form).
    await form.locator('#f-bucketName input').fill('gone-bucket');
    await form.locator('#validate').click();
    await form.locator('#banner', { hasText: 'Not valid' }).waitFor({ state: 'visible' });
    await form.locator('#save').click();
    const ask = page.locator('.monaco-dialog-box', { hasText: 'although it failed validation' });
    await ask.waitFor({ state: 'visible' });
    await ask.locator('.monaco-button', { hasText: /^Cancel$/ }).first().click();
    await form.locator('#banner', { hasText: 'Not saved: the settings failed validation.' }).waitFor({ state: 'visible' });
    assert.equal((await admin<IngestState>('GET', '/_emulator/state')).ingest.connectors.length, 2, 'nothing was saved');
    await form.locator('#f-bucketName input').fill('sample-bucket');
    await form.locator('#validate').click();
    await form.locator('#banner', { hasText: 'Valid:' }).waitFor({ state: 'visible' });
    await session().screenshot('form-validated');
    await form.locator('#save').click();
    await row(connectors, 'e2e-oss').waitFor({ state: 'visible' });
    const stored = (await admin<IngestState>('GET', '/_emulator/state')).ingest.connectors.find((c) => c.name === 'e2e-oss');
    assert.equal(stored?.bucket, 'sample-bucket');
    assert.ok(!(await page.content()).includes(SECRET), 'the secret is nowhere in the workbench');

    // Edit… shows every field but the secret; leaving it empty keeps the stored one.
    await row(connectors, 'e2e-oss').click({ button: 'right' });
    await session().clickMenuItem('Edit Connector…');
    const secretField = form.locator('#f-accessKeySecret input');
    await secretField.waitFor({ state: 'visible' });
    assert.equal(await form.locator('#f-endpoint input').inputValue(), 'oss-cn-hangzhou.aliyuncs.com');
    assert.equal(await secretField.inputValue(), '');
    assert.match((await secretField.getAttribute('placeholder')) ?? '', /Leave empty/);
    await form.locator('#f-endpoint input').fill('oss-cn-shanghai.aliyuncs.com');
    await form.locator('#save').click();
    await page.locator('iframe.webview.ready').waitFor({ state: 'detached' });
    const listed = await fetch(`${session().emulatorUrl}/connectors/list`, { headers: { 'user-id': 'u', 'Access-Token': 't', uid: 'x' } });
    const body = (await listed.json()) as { data: { connectors: { name: string; config: { oss: { endpoint: string; access_key_secret: string } } }[] } };
    const edited = body.data.connectors.find((c) => c.name === 'e2e-oss');
    assert.equal(edited?.config.oss.endpoint, 'oss-cn-shanghai.aliyuncs.com');
    assert.equal(edited?.config.oss.access_key_secret, SECRET, 'the stored secret was kept');

    // Select two files (one will fail its first attempt) and create a load task from them; the Load
    // Tasks view is folded meanwhile so that the Connectors view has the room.
    const tasks = pane(page, 'Load Tasks');
    await tasks.locator('.pane-header[aria-expanded="true"]').click();
    await row(connectors, 'e2e-oss').click();
    const data = connectors.locator('.monaco-list-row[aria-level="2"]', { hasText: /^data/ }).first();
    await data.click();
    const notes = connectors.locator('.monaco-list-row[aria-level="2"]', { hasText: 'notes.md' }).first();
    const broken = connectors.locator('.monaco-list-row[aria-level="3"]', { hasText: 'broken-fail.csv' }).first();
    await notes.click();
    await broken.click({ modifiers: ['Control'] });
    await broken.click({ button: 'right' });
    await session().clickMenuItem('Create Load Task from Selected Files…');
    await answerInput(page, '4242');
    await pick(page, 'Once');

    // The Load Tasks view shows the task and refreshes by itself until it finishes.
    await connectors.locator('.pane-header[aria-expanded="true"]').click();
    await tasks.locator('.pane-header[aria-expanded="false"]').click();
    const task = row(tasks, 'vol-4242');
    await task.waitFor({ state: 'visible' });
    // The emulator says when the task is over; the view's own polling (every few seconds while a task runs) then shows it.
    const ours = (t: IngestState['ingest']['tasks'][number]): boolean => t.files.length === 2 && t.files.some((f) => f.uri === 'data/broken-fail.csv') && t.files.some((f) => f.uri === 'notes.md');
    await session().waitForState('the load task to finish', (s: IngestState) => (s.ingest.tasks.find(ours)?.status === 4 ? true : undefined));
    await row(tasks, /vol-4242.*Completed.*✓ 1 · ✗ 1/).waitFor({ state: 'visible' });
    await session().screenshot('task-finished');

    // Retry the failed file from its context menu, and watch it succeed.
    await task.click();
    const failed = tasks.locator('.monaco-list-row[aria-level="2"]', { hasText: 'broken-fail.csv' }).first();
    await failed.waitFor({ state: 'visible' });
    await failed.click({ button: 'right' });
    await session().clickMenuItem('Retry Failed Files');
    await session().waitForState('the retried file to load', (s: IngestState) => (s.ingest.tasks.find(ours)?.files.every((f) => f.status === 5) ? true : undefined));
    await row(tasks, /vol-4242.*Completed.*✓ 2 · ✗ 0/).waitFor({ state: 'visible' });

    const state = await admin<IngestState>('GET', '/_emulator/state');
    const created = state.ingest.tasks.find(ours);
    assert.ok(created, JSON.stringify(state.ingest.tasks));
    assert.equal(created.status, 4);
    assert.deepEqual(created.files.map((f) => f.status), [5, 5]);
  });
  it('sets an Access-Token, keeps it, and removes it again through Set Credentials', async () => {
    const { page, admin } = session();
    await session().openDatahubView();
    /** Refreshes the Connectors view (a request) until the emulator saw Access-Token as `kind`. */
    const accessToken = async (kind: 'sent' | 'absent', step: string): Promise<void> => {
      const deadline = Date.now() + DEADLINE.backend;
      for (;;) {
        await session().runCommand('Datahub: Refresh Connectors');
        const seen = (await admin<IngestState>('GET', '/_emulator/state')).ingest.access_token;
        if (seen.last === kind) return;
        assert.ok(Date.now() < deadline, `${step}: Access-Token ${kind} expected, the emulator saw ${JSON.stringify(seen)}`);
      }
    };
    /** Set Credentials → Ingest: user-id and uid as given (undefined keeps the stored one), the Access-Token box answered with `token`. */
    const setIngest = async (token: string, then?: string): Promise<void> => {
      await session().runCommand('Datahub: Set Credentials');
      await pick(page, 'Ingest');
      await answerStep(page, 1, 'u-e2e');
      await answerStep(page, 2, token);
      if (then) await pick(page, then);
      await answerStep(page, 3, 'ws-e2e:admin:accountadmin');
    };
    // The view only asks the backend while it is open.
    const connectors = pane(page, 'Connectors');
    const folded = connectors.locator('.pane-header[aria-expanded="false"]');
    if (await folded.count()) await folded.click();
    await setIngest('token-e2e');
    await row(connectors, 'oss-sample').waitFor({ state: 'visible' });
    await accessToken('sent', 'token set');
    // Left empty with one stored: keep it, or remove it.
    await setIngest('', 'Keep the stored Access-Token');
    await accessToken('sent', 'token kept');
    await setIngest('', 'Remove it');
    await accessToken('absent', 'token removed');
    await row(connectors, 'oss-sample').waitFor({ state: 'visible' });
  });
});
