// e2e: a person uploads a 12 MiB file from the Explorer's context menu to a Datahub subtask, watches it
// complete (the emulator must then hold the same bytes, MD5, under that subtask) and clears it from the view.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEADLINE, useSession } from './harness';

interface StoredObject {
  subtask_id: string;
  file_name: string;
  size: number;
  md5: string;
}

// Spaces and CJK on purpose: the picker refuses only what cannot be sent, the server answers the rest.
const SUBTASK = 'e2e 上传 001';
const FILE_NAME = 'e2e-upload-12mib.bin';
const SIZE = 12 * 1024 * 1024 + 12345; // not a multiple of the part size, so the last part is short

describe('upload from the Explorer (e2e)', function () {
  this.timeout(DEADLINE.test);
  const session = useSession({ name: 'upload' });

  it('uploads a 12 MiB file through the context menu and the subtask picker, then clears it from the view', async () => {
    const { page, admin, workspace } = session();
    await admin('POST', '/_emulator/subtasks', { subtask_id: SUBTASK });
    const content = randomBytes(SIZE);
    writeFileSync(join(workspace, FILE_NAME), content);
    const md5 = createHash('md5').update(readFileSync(join(workspace, FILE_NAME))).digest('hex');

    // Explorer → right-click the file → "Upload to Datahub…" → the subtask picker: type the id, Enter.
    await session().uploadFromExplorer(FILE_NAME, SUBTASK);

    // The Transfers view (Datahub container) shows the transfer, then "Completed · 100% · …".
    await session().openDatahubView();
    const transfer = page.locator('.part.sidebar .monaco-list-row', { hasText: FILE_NAME }).first();
    await transfer.waitFor({ state: 'visible' });
    await transfer.filter({ hasText: /Completed · 100%/ }).waitFor({ state: 'visible', timeout: DEADLINE.transfer });
    await session().screenshot('completed');

    // The emulator holds exactly those bytes under the subtask.
    const state = await admin<{ objects: StoredObject[] }>('GET', '/_emulator/state');
    const stored = state.objects.filter((o) => o.subtask_id === SUBTASK && o.file_name === FILE_NAME);
    assert.equal(stored.length, 1, `objects of ${SUBTASK}: ${JSON.stringify(state.objects)}`);
    assert.equal(stored[0].size, SIZE);
    assert.equal(stored[0].md5, md5);

    // The palette's Clear Finished Transfers takes it off the view.
    await session().runCommand('Datahub: Clear Finished Transfers');
    const rows = page.locator('.part.sidebar .monaco-list-row', { hasText: FILE_NAME });
    await rows.first().waitFor({ state: 'detached' });
    assert.equal(await rows.count(), 0);
  });
});
