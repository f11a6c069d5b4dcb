// Integration (real VS Code): tree tooltips built from server text show it literally — no link, command, HTML,
// entity or markup — in every tree (Connectors from the emulator; the other trees from hostile nodes).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { IngestClient } from '../../src/api/ingest/client';
import type { LoadTask, TaskFile } from '../../src/api/ingest/types';
import { silentLogger } from '../../src/api/logger';
import { MediaClient } from '../../src/api/media/client';
import type { MediaTask } from '../../src/api/media/types';
import { connectorTooltip } from '../../src/providers/connectorsTree';
import { LoadTasksTreeProvider } from '../../src/providers/loadTasksTree';
import { mediaTransferTooltip } from '../../src/providers/mediaPresentation';
import { MediaTaskLog } from '../../src/providers/mediaTaskLog';
import { MediaTaskQueries } from '../../src/providers/mediaTaskQueries';
import { MediaTreeProvider } from '../../src/providers/mediaTree';
import { runTooltip } from '../../src/providers/pandoraPresentation';
import { transferTooltip } from '../../src/providers/transferPresentation';
import { TransferEngine } from '../../src/transfer/engine';
import { MemoryJournal } from '../../src/transfer/journal';
import type { TransferRecord } from '../../src/transfer/types';
import { ViewRecovery } from '../../src/providers/viewProblems';
import { HOSTILE_TEXTS, renderMarkdown, visibleForm } from '../unit/helpers/renderedMarkdown';
import { admin, emulatorUrl, find, ready, setCredentials, testing, waitFor, walk } from './helpers';

/** One line of hostile text (tree labels are one line; the multi-line cases are checked by the unit tests). */
const HOSTILE = HOSTILE_TEXTS.filter((t) => !t.includes('\n'));
const CREDENTIALS = { userId: 'u1', accessToken: 'tok-tooltips', uid: 'ws-1:admin:accountadmin' };

function tooltipText(tooltip: string | vscode.MarkdownString | undefined): string {
  assert.ok(tooltip instanceof vscode.MarkdownString, 'a Markdown tooltip');
  assert.notEqual(tooltip.isTrusted, true, 'a tooltip of server text is never trusted');
  assert.notEqual(tooltip.supportHtml, true, 'a tooltip of server text renders no HTML');
  return tooltip.value;
}

/** The tooltip renders without any tag but text ones, and shows every one of `texts` as written. */
function assertShowsLiterally(markdown: string, texts: readonly string[], where: string): void {
  const rendered = renderMarkdown(markdown);
  assert.deepEqual(rendered.unexpectedTags, [], `${where}: ${rendered.html}`);
  assert.deepEqual(rendered.strayEntities, [], `${where}: ${rendered.html}`);
  for (const text of texts) assert.ok(rendered.text.includes(visibleForm(text).trim()), `${where}: ${JSON.stringify(text)} is not shown as written in ${JSON.stringify(rendered.text)}`);
}

function record(text: string): TransferRecord {
  return {
    id: 't1',
    protocol: 'datahub-upload',
    direction: 'upload',
    label: text,
    localPath: `/tmp/${text}`,
    state: 'failed',
    progress: { bytesDone: 0, bytesTotal: 10, bytesPerSecond: 0 },
    error: text,
    createdAt: 0,
    params: { subtaskId: text },
    checkpoint: {},
  };
}

describe('Tooltips of server text', function () {
  this.timeout(60_000);

  before(async () => {
    await ready();
  });

  it('the Connectors view shows a hostile connector name literally', async () => {
    await admin('POST', '/_emulator/ingest/reset', { seed: true });
    await setCredentials('ingest', [CREDENTIALS.userId, CREDENTIALS.accessToken, CREDENTIALS.uid]);
    const names = HOSTILE.map((text, i) => `${i} ${text}`);
    for (const name of names) {
      const res = await fetch(`${emulatorUrl}/connectors`, {
        method: 'POST',
        headers: { 'user-id': 'u', 'Access-Token': 't', uid: 'x', 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, source_type: 5, config: { s3: { endpoint: 'e.example.com', access_key_id: 'a', access_key_secret: 's', bucket_name: 'sample-bucket', region: 'r', path_style: true } } }),
      });
      assert.equal(res.status, 200, await res.text());
    }
    try {
      await vscode.commands.executeCommand('datahub.connectors.refresh');
      const tree = await waitFor('the hostile connectors in the tree', async () => {
        const roots = await walk((await testing()).trees.connectors, 0);
        return roots.length >= names.length + 2 ? roots : undefined;
      });
      for (const name of names) {
        const entry = find(tree, (e) => e.label === name, name);
        const rendered = renderMarkdown(entry.tooltip ?? '');
        assert.deepEqual(rendered.unexpectedTags, [], `${name}: ${rendered.html}`);
        assert.deepEqual(rendered.strayEntities, [], `${name}: ${rendered.html}`);
        assert.ok(rendered.text.startsWith(visibleForm(name)), `${JSON.stringify(name)} is shown as ${JSON.stringify(rendered.text.split('\n')[0])}`);
      }
    } finally {
      await admin('POST', '/_emulator/ingest/reset', { seed: true });
      await vscode.commands.executeCommand('datahub.connectors.refresh');
    }
  });

  it('every tooltip builder of src/providers escapes what the server said', async () => {
    const engine = new TransferEngine({ journal: new MemoryJournal(), logger: silentLogger, concurrency: () => 1 });
    const recovery = new ViewRecovery('ingest', () => '', 'datahub.loadTasks.refresh', () => undefined, () => 0);
    const mediaClient = new MediaClient({ baseUrl: () => '', token: async () => undefined, logger: silentLogger });
    const stored = new Map<string, unknown>();
    const memento = { keys: () => [...stored.keys()], get: <T>(key: string): T | undefined => stored.get(key) as T | undefined, update: async (key: string, value: unknown) => void stored.set(key, value) };
    const taskLog = new MediaTaskLog(memento, () => 'http://127.0.0.1:1');
    const media = new MediaTreeProvider(engine, mediaClient, async () => true, recovery, () => true, taskLog, new MediaTaskQueries(mediaClient, taskLog, () => undefined, () => 60_000, () => false));
    const loadTasks = new LoadTasksTreeProvider(new IngestClient({ baseUrl: () => '', credentials: async () => ({}), logger: silentLogger }), async () => true, () => 50, recovery);
    try {
      for (const text of HOSTILE) {
        // Plain text, not Markdown: shown as written by construction (nothing is rendered, nothing escaped).
        const transfer = transferTooltip(record(text));
        assert.equal(typeof transfer, 'string');
        assert.ok(transfer.includes(text), `Transfers: ${JSON.stringify(text)} is not in ${JSON.stringify(transfer)}`);
        assertShowsLiterally(tooltipText(mediaTransferTooltip(record(text), [['Task', text]])), [text], 'Media transfer');
        assertShowsLiterally(tooltipText(runTooltip(text, { runId: 1, batchTime: text, status: 'Failed', message: text })), [text], 'Pandora run');
        const connector = { id: 1, sourceType: 1, name: text, status: text, createdAt: 0, updatedAt: 0, username: text, relatedTaskCount: 0, relatedTaskIds: [], endpoint: text, accessKeyId: text, bucketName: text, secretSet: true };
        assertShowsLiterally(tooltipText(connectorTooltip(connector)), [text], 'Connector');
        const task: MediaTask = { id: 7, status: 8, percent: 100, series_id: 1, source_id: 2, source_name: text, uuid: 'u', ip: 'p', file: text, name: text, size: 1, hash: text, created_at: '' };
        assertShowsLiterally(tooltipText(media.getTreeItem({ kind: 'privateTask', task }).tooltip), [text], 'Media private block');
        const entry = { kind: 'upload' as const, taskId: 7, name: text, folder: text, hash: text, status: 8, createdAt: 0 };
        assertShowsLiterally(tooltipText(media.getTreeItem({ kind: 'task', entry }).tooltip), [text], 'Media task');
        const loadTask: LoadTask = { id: '1', source_connector_id: 1, source_connector_type: 1, volume_id: '2', volume_name: text, name: text, status: 1, creator: text, source_config: { common_file_task_config: { uris: [], load_mode_config: { load_interval_type: 1 } } }, start_at: 0, end_at: 0, created_at: 0, updated_at: 0 };
        assertShowsLiterally(tooltipText(loadTasks.getTreeItem({ kind: 'task', task: loadTask }).tooltip), [text], 'Load task');
        const file: TaskFile = { id: '3', name: text, type: 1, status: 3, size: 1, update_time: 0, other_metadata: '', reason: text, user: text, start_time: 0, end_time: 0, path: text };
        assertShowsLiterally(tooltipText(loadTasks.getTreeItem({ kind: 'taskFile', taskId: '1', file }).tooltip), [text], 'Load task file');
      }
    } finally {
      media.dispose();
      loadTasks.dispose();
      recovery.dispose();
      await engine.dispose();
    }
  });
});
