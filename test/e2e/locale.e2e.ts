// e2e: code-server with the display language zh-CN (through the test-only language pack in test/e2e/extensions):
// the Datahub views and the Datahub commands in the palette carry the Chinese strings of package.nls.zh-cn.json.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/proc.mjs';
import { DEADLINE, useSession } from './harness';

const strings = (file: string): Record<string, string> => JSON.parse(readFileSync(join(repoRoot, file), 'utf8')) as Record<string, string>;
const zh = strings('package.nls.zh-cn.json');
const en = strings('package.nls.json');
const VIEWS = ['view.connectors', 'view.loadTasks', 'view.pandora', 'view.media', 'view.transfers'];

describe('display language zh-CN (e2e)', function () {
  this.timeout(DEADLINE.test);
  const session = useSession({ name: 'zh-cn', locale: 'zh-cn' });

  it('shows the Datahub view titles and a command title in the palette in Chinese', async () => {
    const { page } = session();
    // The strings under test really differ between the languages (Pandora is a name in both).
    assert.notEqual(zh['view.connectors'], en['view.connectors']);
    assert.notEqual(zh['cmd.showLog'], en['cmd.showLog']);

    await session().openDatahubView();
    const titles = page.locator('.part.sidebar .pane-header h3.title');
    await titles.filter({ hasText: zh['view.transfers'] }).waitFor({ state: 'visible' });
    assert.deepEqual(await titles.allTextContents(), VIEWS.map((key) => zh[key]));

    // The palette lists the command under its Chinese title.
    const title = `Datahub: ${zh['cmd.showLog']}`;
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Datahub: ');
    await input.fill(`>${title}`);
    const entry = page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: title }).first();
    await entry.waitFor({ state: 'visible' });
    assert.match((await entry.textContent()) ?? '', new RegExp(zh['cmd.showLog']));
    // For the picture: the Datahub commands as the palette lists them (the upload command among the first rows).
    await input.fill('>Datahub: ');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: `Datahub: ${zh['cmd.upload']}` }).first().waitFor({ state: 'visible' });
    await session().readmeScreenshot('views-and-palette', 'zh-cn.png');
    await page.keyboard.press('Escape');
  });
});
