// e2e: a person controls a slow upload from the Transfers view — pause, resume, cancel, retry — and
// resumes it after code-server is restarted; the emulator ends up with the file's exact bytes. Each test
// starts its own upload (its own subtask and file) and cancels what it leaves running.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { DEADLINE, expandUntil, pane, useSession } from './harness';

interface EmulatorState {
  objects: { subtask_id: string; file_name: string; size: number; md5: string }[];
  subtasks: Record<string, { status_history: { status: number }[] }>;
  datahub: { uploads: { subtask_id: string; parts: number[] }[] };
}

const SIZE = 24 * 1024 * 1024 + 321;
const MIB = 1024 * 1024;

interface SlowUpload {
  subtask: string;
  fileName: string;
  md5: string;
  row(): Locator;
}

describe('Transfers view: pause, resume, cancel, retry, and resume after a restart (e2e)', function () {
  this.timeout(DEADLINE.test);
  const session = useSession({
    name: 'transfers-control',
    // Small parts, few at a time, so that a person has time to click while it runs.
    settings: { 'datahub.transfer.chunkSize': MIB, 'datahub.transfer.partConcurrency': 2 },
  });

  /**
   * A 24 MiB upload from the Explorer to a subtask of its own, shown running in the view. Its first `partsFirst`
   * parts land, the later ones are held by the emulator: it runs until the test ends it, however slow the machine.
   */
  async function startSlowUpload(tag: string, partsFirst = 4): Promise<SlowUpload> {
    const { admin, workspace } = session();
    const subtask = `e2e-control-${tag}`;
    const fileName = `e2e-control-${tag}.bin`;
    await admin('POST', '/_emulator/subtasks', { subtask_id: subtask });
    // 1 MiB parts are under the default store profile's 5 MiB minimum: switched off, explicitly, for this session.
    await admin('POST', '/_emulator/store', { min_part_size: 0 });
    await admin('DELETE', '/_emulator/faults');
    await admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: partsFirst });
    const content = randomBytes(SIZE);
    writeFileSync(join(workspace, fileName), content);
    const upload: SlowUpload = {
      subtask,
      fileName,
      md5: createHash('md5').update(content).digest('hex'),
      // Looked up on the current page each time (a restart opens a new one).
      row: () => session().page.locator('.part.sidebar .monaco-list-row', { hasText: fileName }).first(),
    };
    await session().uploadFromExplorer(fileName, subtask);
    await session().openDatahubView();
    // A speed once the store has confirmed a part; "stalled" once the held parts have moved nothing for 10 s.
    await description(upload, /\d+% · ([\d.]+ [KMG]?B\/s|stalled)/);
    return upload;
  }

  /**
   * Clicks one of the row's inline actions (they show on hover), by its title, with the mouse, and waits until the row's
   * description matches `expected`. A click that lands while the view redraws the row reaches the command without the
   * row, and the command asks which transfer: then it is picked, as a person would.
   *
   * A real press and release, as a person's: VS Code builds a row's inline actions anew on each redraw of that row, and
   * a press and release that straddle one make no click. The view redraws a running row's progress at most every 2 s
   * and a row whose look did not change never (docs/architecture.md, "The Transfers view"), where it once redrew every
   * row up to ten times a second.
   */
  async function clickInline(upload: SlowUpload, title: string, expected: RegExp, timeout = DEADLINE.ui): Promise<string> {
    const { page } = session();
    const row = upload.row();
    await row.hover();
    const action = row.locator(`.actions .action-label[aria-label="${title}"]`);
    await action.waitFor({ state: 'visible' });
    await action.click();
    const asked = page.locator('.quick-input-widget .monaco-list-row', { hasText: upload.fileName }).first();
    await upload.row().filter({ hasText: expected }).or(asked).first().waitFor({ state: 'visible', timeout });
    if (await asked.isVisible()) {
      await asked.click();
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    }
    return description(upload, expected, timeout);
  }

  async function description(upload: SlowUpload, pattern: RegExp, timeout = DEADLINE.ui): Promise<string> {
    const row = upload.row().filter({ hasText: pattern });
    await row.waitFor({ state: 'visible', timeout });
    return row.innerText();
  }

  /** Waits until the subtask's status reports (sent after the view already shows the change) are `expected`. */
  function statuses(upload: SlowUpload, expected: number[]): Promise<true> {
    return session().waitForState(`status reports ${expected.join(', ')} for ${upload.subtask}`, (s: EmulatorState) => {
      const history = s.subtasks[upload.subtask]?.status_history.map((h) => h.status) ?? [];
      return JSON.stringify(history) === JSON.stringify(expected) ? true : undefined;
    });
  }

  /** Cancels what the test leaves running, so that the next test's upload has the engine to itself. */
  async function cancel(upload: SlowUpload): Promise<void> {
    await clickInline(upload, 'Cancel Transfer', /Cancelled/);
  }

  it('starts a slow upload from the Explorer; the status bar and the view show it running', async () => {
    const upload = await startSlowUpload('running');
    const statusItem = session().page.locator('.part.statusbar .statusbar-item', { hasText: /1 · \d+%/ }).first();
    await statusItem.waitFor({ state: 'visible' });
    assert.match(await statusItem.innerText(), /1 · \d+% · ([\d.]+ [KMG]?B\/s|stalled)/);
    await session().screenshot('running');
    await cancel(upload);
  });

  it('pauses and resumes from the inline actions (status 2, then 1 again)', async () => {
    const upload = await startSlowUpload('pause');
    assert.match(await clickInline(upload, 'Pause Transfer', /Paused · \d+%/), /Paused · \d+%/);
    await statuses(upload, [1, 2]);
    await clickInline(upload, 'Resume Transfer', /^(?!.*Paused).*\d+% · /s);
    await statuses(upload, [1, 2, 1]);
    await cancel(upload);
  });

  it('cancels (status 4) and retries from the inline actions', async () => {
    const upload = await startSlowUpload('cancel');
    await cancel(upload);
    await statuses(upload, [1, 4]);
    await clickInline(upload, 'Retry Transfer', /^(?!.*Cancelled).*\d+%/s);
    await statuses(upload, [1, 4, 1]);
    await cancel(upload);
  });

  it('shows a folder upload as one row with a row per file under it, each with its own state and progress', async () => {
    const { admin, workspace, page } = session();
    const subtask = 'e2e-folder-rows';
    const folder = 'sales';
    await admin('POST', '/_emulator/subtasks', { subtask_id: subtask });
    await admin('POST', '/_emulator/store', { min_part_size: 0 });
    await admin('DELETE', '/_emulator/faults');
    // Three part PUTs are answered, the rest held: files are in flight (four at a time), and with eight files at
    // least one waits for its turn, until the test lets the parts go.
    await admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 3 });
    mkdirSync(join(workspace, folder), { recursive: true });
    const sizes: Record<string, number> = {
      'orders.csv': 40_000,
      'events-11.parquet': 6 * MIB + 11,
      'events-12.parquet': 5 * MIB + 3,
      'customers.json': 900,
      'sessions.parquet': 7 * MIB,
      'readme.txt': 300,
      'clicks.parquet': 3 * MIB,
      'zones.csv': 2_000,
    };
    for (const [name, size] of Object.entries(sizes)) writeFileSync(join(workspace, folder, name), randomBytes(size));
    await session().uploadFromExplorer(folder, subtask);
    await session().openDatahubView();
    // The other views folded, as a person watching the upload would: the Transfers view gets the height.
    for (const title of ['Connectors', 'Load Tasks', 'Pandora', 'Media']) {
      const header = pane(page, title).locator('.pane-header');
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    const sidebar = page.locator('.part.sidebar');
    const parent = sidebar.locator('.monaco-list-row[aria-level="1"]', { hasText: `${folder} (8 files)` }).first();
    await parent.waitFor({ state: 'visible', timeout: DEADLINE.ui });
    assert.equal(await parent.getAttribute('aria-expanded'), 'false', 'the folder row is collapsible, folded at first');
    const files = sidebar.locator('.monaco-list-row[aria-level="2"]');
    const uploading = files.filter({ hasText: /Uploading \d+%/ }).first();
    await expandUntil(parent, uploading);
    await files.filter({ hasText: /Queued/ }).first().waitFor({ state: 'visible', timeout: DEADLINE.ui });
    // A row per file (the tree says how many siblings a row has), named by its path in the folder; the folder's row
    // keeps the whole transfer's progress.
    assert.equal(await uploading.getAttribute('aria-setsize'), '8');
    assert.match(await parent.innerText(), /\d+%/);
    assert.match((await uploading.getAttribute('aria-label')) ?? '', /^File sales\/.+, Uploading \d+%$/);
    // A file's row offers no control of the transfer (Pause, Cancel act on the whole upload, on its row).
    await uploading.hover();
    assert.equal(await uploading.locator('.actions .action-label[aria-label$="Transfer"]').count(), 0);
    // The sidebar's edge dragged wider, as a person would, so that each file's progress reads whole in the picture.
    const box = await sidebar.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width + 240, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
    }
    await uploading.hover();
    await session().readmeScreenshot('folder-rows', 'transfers.png');

    await admin('DELETE', '/_emulator/faults');
    await parent.filter({ hasText: /Completed · 100%/ }).waitFor({ state: 'visible', timeout: DEADLINE.transfer });
    await files.filter({ hasText: /Completed · 100%/ }).nth(7).waitFor({ state: 'visible', timeout: DEADLINE.ui });
    await session().screenshot('folder-rows-completed');
  });

  it('comes back paused after code-server restarts, and Resume finishes it with the same bytes', async () => {
    const upload = await startSlowUpload('restart', 3);
    // Three parts land (the rest are held), then VS Code is closed in the middle of the upload.
    await session().waitForState('three parts stored', (s: EmulatorState) => (s.datahub.uploads.some((u) => u.subtask_id === upload.subtask && u.parts.length === 3) ? true : undefined));
    await session().restartCodeServer();
    await session().openDatahubView();
    const paused = await description(upload, /Paused · \d+%/, DEADLINE.start);
    const percentBefore = Number(/Paused · (\d+)%/.exec(paused)?.[1]);
    assert.ok(percentBefore > 0, `some progress survived the restart (${paused})`);
    await session().screenshot('paused-after-restart');

    // The journal had it running when the extension started: one notification says so, with Resume All and Show
    // (read in the notification center, which keeps it after its toast has gone).
    const { page } = session();
    await session().runCommand('Notifications: Show Notifications');
    const notices = page.locator('.notifications-center .notification-list-item', { hasText: /interrupted/ });
    const notice = notices.filter({ hasText: `1 transfer was interrupted: ${upload.fileName}` }).first();
    await notice.waitFor({ state: 'visible', timeout: DEADLINE.ui });
    assert.equal(await notices.count(), 1, 'one notification for the interrupted transfers');
    assert.deepEqual(await notice.locator('.monaco-button').allInnerTexts(), ['Resume All', 'Show']);
    await session().screenshot('interrupted-notice');

    // The held parts go, and the rest are answered at once; Resume All on the notification finishes it.
    await session().admin('DELETE', '/_emulator/faults');
    await notice.locator('.monaco-button', { hasText: 'Resume All' }).click();
    await description(upload, /Completed · 100%/, DEADLINE.transfer);
    const state = await session().admin<EmulatorState>('GET', '/_emulator/state');
    const stored = state.objects.filter((o) => o.subtask_id === upload.subtask && o.file_name === upload.fileName);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].size, SIZE);
    assert.equal(stored[0].md5, upload.md5);
  });
});
