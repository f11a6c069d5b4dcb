// e2e: a person controls a slow upload from the Transfers view — pause, resume, cancel, retry — and
// resumes it after code-server is restarted; the emulator ends up with the file's exact bytes.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { useSession } from './harness';

interface EmulatorState {
  objects: { subtask_id: string; file_name: string; size: number; md5: string }[];
  subtasks: Record<string, { status_history: { status: number }[] }>;
}

const SUBTASK = 'e2e-control-001';
const FILE_NAME = 'e2e-control-24mib.bin';
const SIZE = 24 * 1024 * 1024 + 321;
const MIB = 1024 * 1024;

describe('Transfers view: pause, resume, cancel, retry, and resume after a restart (e2e)', function () {
  this.timeout(600_000);
  const session = useSession({
    name: 'transfers-control',
    // Small parts, few at a time, so that a person has time to click while it runs.
    settings: { 'datahub.transfer.chunkSize': MIB, 'datahub.transfer.partConcurrency': 2 },
  });
  let md5 = '';

  const transferRow = (): Locator => session().page.locator('.part.sidebar .monaco-list-row', { hasText: FILE_NAME }).first();

  /** Clicks one of the row's inline actions (they show on hover), by its title. */
  async function clickInline(title: string): Promise<void> {
    const row = transferRow();
    await row.hover();
    const action = row.locator(`.actions .action-label[aria-label="${title}"]`);
    await action.waitFor({ state: 'visible', timeout: 15_000 });
    await action.click();
  }

  async function waitForDescription(pattern: RegExp, timeout = 60_000): Promise<string> {
    const row = transferRow().filter({ hasText: pattern });
    await row.waitFor({ state: 'visible', timeout });
    return row.innerText();
  }

  async function statuses(): Promise<number[]> {
    const state = await session().admin<EmulatorState>('GET', '/_emulator/state');
    return state.subtasks[SUBTASK].status_history.map((h) => h.status);
  }

  it('starts a slow upload from the Explorer; the status bar and the view show it running', async () => {
    const { page, admin, workspace } = session();
    await admin('POST', '/_emulator/subtasks', { subtask_id: SUBTASK });
    // 1 MiB parts are under the default store profile's 5 MiB minimum: switched off, explicitly, for this session.
    await admin('POST', '/_emulator/store', { min_part_size: 0 });
    await admin('POST', '/_emulator/faults', { route: 'part_put', latency_ms: 600 });
    const content = randomBytes(SIZE);
    writeFileSync(join(workspace, FILE_NAME), content);
    md5 = createHash('md5').update(content).digest('hex');

    await session().uploadFromExplorer(FILE_NAME, SUBTASK);

    await session().openDatahubView();
    await waitForDescription(/\d+% · [\d.]+ [KMG]?B\/s/);
    const statusItem = page.locator('.part.statusbar .statusbar-item', { hasText: /1 · \d+%/ }).first();
    await statusItem.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await statusItem.innerText(), /1 · \d+% · [\d.]+ [KMG]?B\/s/);
    await session().screenshot('running');
  });

  it('pauses and resumes from the inline actions (status 2, then 1 again)', async () => {
    await clickInline('Pause Transfer');
    const paused = await waitForDescription(/Paused · \d+%/, 5_000);
    assert.match(paused, /Paused · \d+%/);
    assert.deepEqual(await statuses(), [1, 2]);
    await clickInline('Resume Transfer');
    await waitForDescription(/^(?!.*Paused).*\d+% · /s, 15_000);
    assert.deepEqual(await statuses(), [1, 2, 1]);
  });

  it('cancels (status 4) and retries from the inline actions', async () => {
    await clickInline('Cancel Transfer');
    await waitForDescription(/Cancelled/, 5_000);
    assert.equal((await statuses()).at(-1), 4);
    await clickInline('Retry Transfer');
    await waitForDescription(/\d+% · [\d.]+ [KMG]?B\/s/, 30_000);
    assert.equal((await statuses()).at(-1), 1);
  });

  it('comes back paused after code-server restarts, and Resume finishes it with the same bytes', async () => {
    // Let a few parts land, then close VS Code in the middle of the upload.
    await new Promise((r) => setTimeout(r, 3000));
    await session().restartCodeServer();
    await session().openDatahubView();
    const paused = await waitForDescription(/Paused · \d+%/, 60_000);
    const percentBefore = Number(/Paused · (\d+)%/.exec(paused)?.[1]);
    assert.ok(percentBefore > 0, `some progress survived the restart (${paused})`);
    await session().screenshot('paused-after-restart');

    await session().admin('DELETE', '/_emulator/faults');
    await clickInline('Resume Transfer');
    await waitForDescription(/Completed · 100%/, 120_000);
    await session().openDatahubView();
    const shot = await session().screenshot('completed-after-restart');
    if (process.env.DATAHUB_README_SCREENSHOT === '1') {
      mkdirSync(join(__dirname, '..', '..', 'docs', 'images'), { recursive: true });
      copyFileSync(shot, join(__dirname, '..', '..', 'docs', 'images', 'transfers.png'));
    }
    const state = await session().admin<EmulatorState>('GET', '/_emulator/state');
    const stored = state.objects.filter((o) => o.subtask_id === SUBTASK && o.file_name === FILE_NAME);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].size, SIZE);
    assert.equal(stored[0].md5, md5);
  });
});
