// e2e: a fresh profile whose ingest endpoint is not set — the Connectors view's welcome names what is missing; its
// Connect… asks the endpoint, then the credentials, proves both with one call and shows the result; the connectors
// appear and the status bar names the environment.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { answerInput, DEADLINE, pane, row, useSession } from './harness';

/** Answers the open input box once its title shows `title`. */
async function answerTitled(page: Page, title: string | RegExp, value: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'visible' });
  await answerInput(page, value);
}

describe('from a fresh install to a working setup (e2e)', function () {
  this.timeout(DEADLINE.test);
  const session = useSession({ name: 'setup', seed: true, settings: { 'datahub.endpoints.ingest': '' } });

  it('the welcome names the missing endpoint; Connect… sets it, asks the credentials and shows the proof', async () => {
    const { page, emulatorUrl } = session();
    await session().openDatahubView();
    for (const title of ['Pandora', 'Media', 'Transfers']) {
      const header = pane(page, title).locator('.pane-header[aria-expanded="true"]');
      if (await header.count()) await header.click();
    }
    const connectors = pane(page, 'Connectors');
    const welcome = connectors.locator('.welcome-view-content');
    await welcome.filter({ hasText: 'Ingest endpoint not set' }).waitFor({ state: 'visible' });
    assert.ok(!(await welcome.innerText()).includes('npm run'), 'the welcome names a script that exists only in the repository');
    await session().screenshot('setup 1 welcome names the missing endpoint');

    await welcome.locator('.monaco-button', { hasText: /^Connect…$/ }).click();
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'endpoint' }).waitFor({ state: 'visible' });
    await page.locator('.quick-input-widget input').fill(emulatorUrl);
    await session().screenshot('setup 2 connect asks the endpoint');
    await page.keyboard.press('Enter');
    await answerTitled(page, '(1/3)', 'u-e2e');
    await answerTitled(page, '(2/3)', '');
    await answerTitled(page, '(3/3)', 'ws-e2e:admin:accountadmin');

    const proof = page.locator('.notifications-toasts .notification-toast', { hasText: `Connected to Ingest at ${emulatorUrl}` });
    await proof.waitFor({ state: 'visible' });
    assert.match(await proof.innerText(), /connector\(s\) listed/);
    await row(connectors, 'oss-sample').waitFor({ state: 'visible' });
    const statusBar = await session().statusBarTexts();
    assert.ok(statusBar.some((t) => t.includes('Datahub: Local Emulator')), statusBar.join(' | '));
    await session().readmeScreenshot('setup 3 connected', 'connect.png');
  });
});
