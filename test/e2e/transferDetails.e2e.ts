// e2e: a person opens Show Transfer Details from a running upload's context menu in the Transfers view and sees its
// throughput chart, the map of its parts (some refused and retried, two held in flight) with the table of the same
// data, and its journal file; the page follows the upload when it is cancelled. The README's picture comes from here.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { DEADLINE, useSession } from './harness';

const MIB = 1024 * 1024;

describe('Transfer details page (e2e)', function () {
  this.timeout(DEADLINE.test);
  const session = useSession({
    name: 'transfer-details',
    settings: { 'datahub.transfer.chunkSize': MIB, 'datahub.transfer.partConcurrency': 2 },
  });

  function details(): FrameLocator {
    return session().page.frameLocator('iframe.webview.ready:visible').frameLocator('iframe#active-frame');
  }

  it('shows the throughput, the parts (done, retried, in flight, pending) and the journal file of a running upload', async () => {
    const { admin, page, workspace } = session();
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

    const row = page.locator('.part.sidebar .monaco-list-row', { hasText: fileName }).first();
    await row.click({ button: 'right' });
    await session().clickMenuItem('Show Transfer Details');

    const view = details();
    await view.locator('h1', { hasText: fileName }).waitFor();
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
    await row.click({ button: 'right' });
    await session().clickMenuItem('Cancel Transfer');
    await view.locator('#td-notice', { hasText: /cancelled/i }).waitFor();
    await admin('DELETE', '/_emulator/faults');
  });
});
