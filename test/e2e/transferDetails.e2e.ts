// e2e: a person opens Show Transfer Details from a running upload's context menu in the Transfers view and sees its
// throughput chart, the map of its parts (some refused and retried, two held in flight) with the table of the same
// data, and its journal file; the page follows the upload when it is cancelled. The README's picture comes from here.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { DEADLINE, useSession } from './harness';

const MIB = 1024 * 1024;

describe('Transfer details page (e2e)', function () {
  this.timeout(DEADLINE.test);
  const session = useSession({
    name: 'transfer-details',
    settings: { 'datahub.transfer.chunkSize': MIB, 'datahub.transfer.partConcurrency': 2 },
  });

  /**
   * Runs a context-menu entry on the transfer's row and waits for `outcome`. A click that lands while the view redraws
   * the row reaches the command without the row, and the command asks which transfer: then it is picked, as a person would.
   */
  async function fromRowMenu(fileName: string, entry: string, outcome: Locator): Promise<void> {
    const { page } = session();
    await page.locator('.part.sidebar .monaco-list-row', { hasText: fileName }).first().click({ button: 'right' });
    await session().clickMenuItem(entry);
    const asked = page.locator('.quick-input-widget .monaco-list-row', { hasText: fileName }).first();
    // The outcome may be inside a webview's frame and the question in the workbench: whichever shows first.
    const shown = (locator: Locator): Promise<void> => locator.waitFor({ state: 'visible' }).catch(() => undefined);
    await Promise.race([shown(outcome), shown(asked)]);
    if (await asked.isVisible()) {
      await asked.click();
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    }
    await outcome.waitFor({ state: 'visible' });
  }

  function details(): FrameLocator {
    return session().page.frameLocator('iframe.webview.ready:visible').frameLocator('iframe#active-frame');
  }

  it('shows the throughput, the parts (done, retried, in flight, pending) and the journal file of a running upload', async () => {
    const { admin, workspace } = session();
    const subtask = 'e2e-details';
    const fileName = 'sensor-readings-2026-11.parquet';
    await admin('POST', '/_emulator/subtasks', { subtask_id: subtask });
    await admin('POST', '/_emulator/store', { min_part_size: 0 });
    // Slowed parts (a line to draw), some refused once with a 503 (retried), and from the 17th request on held: the
    // upload keeps running, two parts in flight, until the test cancels it.
    await admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 16, latency_ms: 250 });
    await admin('POST', '/_emulator/faults', { route: 'part_put', error_rate: 0.15, status: 503 });
    writeFileSync(join(workspace, fileName), randomBytes(24 * MIB + 321));
    await session().uploadFromExplorer(fileName, subtask);
    await session().openDatahubView();
    await session().waitForState('two parts held', (s: { held_requests: number }) => (s.held_requests >= 2 ? true : undefined));

    const view = details();
    await fromRowMenu(fileName, 'Show Transfer Details', view.locator('h1', { hasText: fileName }));
    // Two samples make a line: the chart is drawn once the upload has run for two seconds here.
    await view.locator('svg.td-chart polyline.td-line').waitFor();
    const inFlight = view.locator('#td-parts-table tr[data-state="sending"]');
    await inFlight.waitFor();
    assert.match(await inFlight.innerText(), /In flight\s+2\s+\d+(–|, )\d+/);
    assert.match(await view.locator('#td-parts-table tr[data-state="done"], #td-parts-table tr[data-state="retried"]').first().innerText(), /(Done|Retried)\s+\d+/);
    assert.equal(await view.locator('.td-grid .td-cell').count(), 25);
    assert.match(await view.locator('dd[data-key="destination"]').innerText(), /subtask e2e-details/);
    assert.match(await view.locator('dd[data-key="journal"]').innerText(), /\.json/);
    await view.locator('#td-reveal').waitFor();
    await session().readmeScreenshot('transfer-details', 'transfer-details.png');

    // Cancelled from the view: the open page says so.
    await fromRowMenu(fileName, 'Cancel Transfer', view.locator('#td-notice', { hasText: /cancelled/i }));
    await admin('DELETE', '/_emulator/faults');
  });
});
