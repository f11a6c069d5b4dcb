// e2e: two VS Code windows on one profile share the transfer journal. A transfer one window runs shows in the other
// as "Running in another window" with its progress read from the journal, offers no control there, and follows it
// to completion; the second window never resumes or changes it.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEADLINE, RESULTS_DIR, useSession } from './harness';

interface EmulatorState {
  objects: { subtask_id: string; file_name: string; size: number; md5: string }[];
  subtasks: Record<string, { status_history: { status: number }[] }>;
}

const MIB = 1024 * 1024;
const SIZE = 12 * MIB + 7;

describe('Two windows, one transfer (e2e)', function () {
  this.timeout(DEADLINE.test);
  const session = useSession({
    name: 'two-windows',
    settings: { 'datahub.transfer.chunkSize': MIB, 'datahub.transfer.partConcurrency': 2 },
  });

  it('the second window shows the first window\'s upload as running there, with no control, until it completes', async () => {
    const { admin, workspace } = session();
    const subtask = 'e2e-two-windows';
    const fileName = 'two-windows.bin';
    await admin('POST', '/_emulator/subtasks', { subtask_id: subtask });
    await admin('POST', '/_emulator/store', { min_part_size: 0 });
    await admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 3 });
    const content = randomBytes(SIZE);
    writeFileSync(join(workspace, fileName), content);
    await session().uploadFromExplorer(fileName, subtask);
    await session().openDatahubView();
    const first = session().page.locator('.part.sidebar .monaco-list-row', { hasText: fileName }).first();
    await first.filter({ hasText: /\d+% · / }).waitFor({ state: 'visible' });
    await session().waitForState('three parts stored', (s: { datahub: { uploads: { subtask_id: string; parts: number[] }[] } }) =>
      s.datahub.uploads.some((u) => u.subtask_id === subtask && u.parts.length === 3) ? true : undefined,
    );

    const second = await session().openAnotherWindow();
    await second.openDatahubView();
    const row = second.page.locator('.part.sidebar .monaco-list-row', { hasText: fileName }).first();
    const elsewhere = row.filter({ hasText: /Running in another window · \d+%/ });
    await elsewhere.waitFor({ state: 'visible', timeout: DEADLINE.start });
    // No Pause, Resume, Cancel or Retry here: the other window owns it.
    await row.hover();
    assert.equal(await row.locator('.actions .action-label[aria-label$="Transfer"]').count(), 0, 'no inline transfer action in the second window');
    await session().screenshot('first-window');
    await second.page.screenshot({ path: join(RESULTS_DIR, 'two-windows-second-window.png'), fullPage: true });
    // The status bar counts what its window runs: the first window's says "1 · N%", the second's nothing.
    await session().page.locator('.part.statusbar .statusbar-item', { hasText: /1 · \d+%/ }).first().waitFor({ state: 'visible' });
    assert.deepEqual((await second.page.locator('.part.statusbar .statusbar-item').allInnerTexts()).filter((t) => /\d+ · \d+%/.test(t)), [], 'the second window counts the first window\'s upload');

    // The first window finishes it; the second follows from the journal.
    await admin('DELETE', '/_emulator/faults');
    await first.filter({ hasText: /Completed · 100%/ }).waitFor({ state: 'visible', timeout: DEADLINE.transfer });
    await row.filter({ hasText: /Completed · 100%/ }).waitFor({ state: 'visible', timeout: DEADLINE.ui });
    const state = await admin<EmulatorState>('GET', '/_emulator/state');
    const stored = state.objects.filter((o) => o.subtask_id === subtask && o.file_name === fileName);
    assert.deepEqual(stored.map((o) => [o.size, o.md5]), [[SIZE, createHash('md5').update(content).digest('hex')]]);
    // Started once, by the first window: the second never sent a Running (resume) or anything else.
    assert.deepEqual(state.subtasks[subtask].status_history.map((h) => h.status), [1]);
    await second.close();
  });
});
