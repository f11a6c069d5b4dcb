// Integration (real VS Code): the Connectors and Load Tasks views against the emulator — tree contents,
// every context command with a tree node, the form panels, the details document, secret masking.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { IngestClient } from '../../src/api/ingest/client';
import { silentLogger } from '../../src/api/logger';
import type { PickOptions } from '../../src/platform/prompts';
import { ScriptedPrompts } from './prompts';
import { admin, emulatorState, emulatorUrl, type Entry, find, flatten, poller, ready, run, setCredentials, testing, walk, webviewTabs } from './helpers';

const SEEDED_SECRET = 'sample-secret-do-not-show';
const CREDENTIALS = { userId: 'u1', accessToken: 'tok-integration', uid: 'ws-1:admin:accountadmin' };

interface IngestState {
  ingest: { connectors: { id: number; name: string; bucket: string }[]; tasks: { id: string; status: number; files: { id: string; uri: string; status: number }[] }[] };
}

const state = (): Promise<IngestState> => emulatorState<IngestState>();

/** Scripted answers that also keep the items of the multi-select they answered, as shown (label and description). */
class OfferedItems extends ScriptedPrompts {
  items: { label: string; description?: string }[] = [];

  override pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T[] | undefined> {
    this.items = items.map((i) => ({ label: i.label, description: i.description }));
    return super.pickMany(items, options);
  }
}

async function getTask(id: string): Promise<{ status: number; source_config: { common_file_task_config: { uris: string[]; load_mode_config: { load_interval_type: number; interval: number } } } }> {
  const res = await fetch(`${emulatorUrl}/task/get?task_id=${id}`, { headers: { 'user-id': 'u', 'Access-Token': 't', uid: 'x' } });
  const body = (await res.json()) as { data: { task: never } };
  return body.data.task;
}

const waitFor = poller(60_000, 150);

const connectors = async (depth = 1): Promise<Entry[]> => walk((await testing()).trees.connectors, depth);
const loadTasks = async (depth = 1): Promise<Entry[]> => walk((await testing()).trees.loadTasks, depth);

/** Set Credentials… → Ingest, the three fields typed. */
const setIngestCredentials = (): Promise<void> => setCredentials('ingest', [CREDENTIALS.userId, CREDENTIALS.accessToken, CREDENTIALS.uid]);

/** Clicks a "Load more…" item: runs its command with its arguments, as the tree does. */
async function click(entry: Entry | undefined): Promise<void> {
  assert.ok(entry?.command, `${entry?.label ?? 'the item'} has no command`);
  await vscode.commands.executeCommand(entry.command.command, ...(entry.command.arguments ?? []));
}

const connectorFormTabs = (): vscode.Tab[] => webviewTabs('datahub.connectorForm');

async function closeFormTabs(): Promise<void> {
  await vscode.window.tabGroups.close(connectorFormTabs());
}

const taskIdOf = (entry: Entry): string => (entry.node as { task: { id: string } }).task.id;

/** A load task of its own for a test: `uris` of oss-sample, loaded once; resolves with its node once the view lists it. */
async function createTask(volumeId: string, uris: string[]): Promise<Entry> {
  const oss = find(await connectors(4), (e) => e.label === 'oss-sample', 'oss-sample');
  const files = uris.map((uri) => find(oss.children ?? [], (e) => (e.node as { uri?: string }).uri === uri, uri).node);
  // Create Load Task from Selected Files…: the volume typed, Once picked.
  assert.equal(await run([{ type: volumeId }, { pick: 'Once' }], 'datahub.connectors.createLoadTask', files[0], files), true);
  return waitFor(`vol-${volumeId} in the view`, async () => flatten(await loadTasks(0)).find((e) => e.label === `vol-${volumeId}`));
}

describe('Connectors and load tasks (api 001) in a real VS Code', function () {
  this.timeout(120_000);

  before(async () => {
    await ready();
    await admin('POST', '/_emulator/ingest/reset', { seed: true });
    // Fast ticks; loads quick enough that tests wait little, slow enough to see states change.
    await admin('POST', '/_emulator/ingest', { tick_ms: 100, bytes_per_second: 64 * 1024 * 1024 });
    await setIngestCredentials();
  });

  after(async () => {
    await closeFormTabs();
    await run([{ pickMany: [] }], 'datahub.connectors.filterFileTypes');
    await run([{ pickMany: [] }], 'datahub.loadTasks.filter');
  });

  it('shows nothing (the credentials welcome) while user-id or uid is missing, and the connectors once set', async () => {
    // Set Credentials refuses an empty uid, so the state of a uid removed since is set up in the store itself.
    await (await testing()).credentials.set('ingest', 'uid', '');
    assert.deepEqual(await connectors(0), []);
    assert.deepEqual(await loadTasks(0), []);
    await setIngestCredentials();
    const roots = await connectors(0);
    assert.deepEqual(roots.map((r) => r.label).sort(), ['oss-sample', 's3-sample']);
  });

  it('works without an Access-Token: it is optional in 001 (its own examples omit it)', async () => {
    // Set Credentials → Ingest: user-id kept, Access-Token left empty → "Remove it", uid kept.
    await setCredentials('ingest', [{ accept: true }, '', { pick: /^Remove it/ }, { accept: true }]);
    try {
      assert.deepEqual((await connectors(0)).map((r) => r.label).sort(), ['oss-sample', 's3-sample']);
      const tasks = await loadTasks(1);
      const finished = find(tasks, (e) => e.label === 'b-vol1', 'the seeded finished task');
      assert.ok((finished.children ?? []).some((c) => c.label === 'notes.md'), 'its files load too');
    } finally {
      await setIngestCredentials();
    }
  });

  it('Connectors: connector → files with type, size and task count; the secret is masked', async () => {
    const tree = await connectors(3);
    const oss = find(tree, (e) => e.label === 'oss-sample', 'oss-sample');
    assert.equal(oss.contextValue, 'connector:oss');
    assert.match(oss.description ?? '', /OSS · active · 1 task/);
    assert.match(oss.tooltip ?? '', /sample\\-bucket/);
    assert.match(oss.tooltip ?? '', /••••••••/);
    const s3 = find(tree, (e) => e.label === 's3-sample', 's3-sample');
    assert.equal(s3.contextValue, 'connector:s3');
    assert.match(s3.tooltip ?? '', /us\\-east\\-1/);
    const everything = JSON.stringify(flatten(tree).map(({ node: _n, ...rest }) => rest));
    assert.ok(!everything.includes(SEEDED_SECRET), 'the secret appears nowhere in the tree');
    const pdf = find(oss.children ?? [], (e) => e.label === '红楼梦(通行本)简体横排.pdf', 'the PDF');
    assert.equal(pdf.icon, 'file-pdf');
    assert.equal(pdf.contextValue, 'sourceFile:file');
    assert.match(pdf.description ?? '', /MB|MiB/);
    const data = find(oss.children ?? [], (e) => e.label === 'data', 'the data directory');
    assert.equal(data.contextValue, 'sourceFile:dir');
    assert.deepEqual((data.children ?? []).map((c) => c.label).sort(), ['broken-fail.csv', 'events.parquet', 'sales-2024.csv']);
  });

  it('Filter by File Type keeps only those files (directories that hold them stay)', async () => {
    // The choices are named by their type only: no code numbers that read like counts.
    const offered = new OfferedItems([{ pickMany: ['CSV'] }]);
    const registration = (await testing()).answerPrompts(offered);
    const types = await Promise.resolve(vscode.commands.executeCommand<number[]>('datahub.connectors.filterFileTypes')).finally(() => registration.dispose());
    offered.assertDone();
    assert.deepEqual(types, [7]);
    assert.ok(offered.items.length > 5);
    assert.deepEqual(offered.items.filter((i) => /\d/.test(`${i.label} ${i.description ?? ''}`)), []);
    const tree = await connectors(3);
    const oss = find(tree, (e) => e.label === 'oss-sample', 'oss-sample');
    const leaves = flatten(oss.children ?? []).filter((e) => e.contextValue === 'sourceFile:file').map((e) => e.label);
    assert.deepEqual(leaves.sort(), ['broken-fail.csv', 'sales-2024.csv']);
    await run([{ pickMany: [] }], 'datahub.connectors.filterFileTypes');
    const all = flatten((find(await connectors(3), (e) => e.label === 'oss-sample', 'oss').children) ?? []);
    assert.ok(all.length > 5);
  });

  it('Copy ID puts the connector id on the clipboard', async function () {
    this.timeout(30_000);
    const oss = find(await connectors(0), (e) => e.label === 'oss-sample', 'oss-sample');
    const expected = String((oss.node as { connector: { id: number } }).connector.id);
    let step = 'copyId';
    const body = async (): Promise<void> => {
      const id = await vscode.commands.executeCommand<string>('datahub.connectors.copyId', oss.node);
      assert.equal(id, expected);
      step = 'readText';
      assert.equal(await vscode.env.clipboard.readText(), expected);
    };
    await Promise.race([body(), new Promise((_r, reject) => setTimeout(() => reject(new Error(`stuck at ${step}: the browser clipboard did not answer`)), 20_000))]);
  });

  it('Validate and Edit… act on the connector node', async () => {
    const oss = find(await connectors(0), (e) => e.label === 'oss-sample', 'oss-sample');
    assert.equal(await vscode.commands.executeCommand('datahub.connectors.validate', oss.node), true);
    assert.equal(await vscode.commands.executeCommand('datahub.connectors.edit', oss.node), true);
    await waitFor('the edit form tab', () => connectorFormTabs().length === 1);
    assert.match(connectorFormTabs()[0].label, /oss-sample/);
    await closeFormTabs();
  });

  it('Validate reports a connector whose bucket cannot be reached', async () => {
    // Point the S3 connector at a bucket that does not exist, through the API, then validate from the tree.
    const s3 = find(await connectors(0), (e) => e.label === 's3-sample', 's3-sample');
    const connector = (s3.node as { connector: { id: number } }).connector;
    const res = await fetch(`${emulatorUrl}/connectors/${connector.id}`, {
      method: 'PUT',
      headers: { 'user-id': 'u', 'Access-Token': 't', uid: 'x', 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 's3-sample', config: { s3: { endpoint: 'e', access_key_id: 'a', access_key_secret: 's', bucket_name: 'gone-bucket', region: 'r', path_style: true } } }),
    });
    assert.equal(res.status, 200);
    const before = (await testing()).notifications().length;
    assert.equal(await vscode.commands.executeCommand('datahub.connectors.validate', s3.node), false);
    // The warning offers the way to fix it: Edit opens the connector's form.
    const [warning] = (await testing()).notifications().slice(before);
    assert.deepEqual({ severity: warning?.severity, message: warning?.message, actions: warning?.actions }, { severity: 'warning', message: 'Connector "s3-sample" is not valid: the backend cannot reach its bucket.', actions: ['Edit'] });
    assert.ok((await testing()).pressNotification(warning.id, 'Edit'));
    await waitFor('the edit form of s3-sample', () => connectorFormTabs().find((t) => t.label.includes('s3-sample')));
    await closeFormTabs();
  });

  it('Add Connector… opens the form', async () => {
    await vscode.commands.executeCommand('datahub.connectors.add');
    await waitFor('the add form tab', () => connectorFormTabs().length === 1);
    await closeFormTabs();
  });

  it('Create Load Task from Selected Files… with two file nodes creates the task', async () => {
    const oss = find(await connectors(2), (e) => e.label === 'oss-sample', 'oss-sample');
    const notes = find(oss.children ?? [], (e) => e.label === 'notes.md', 'notes.md');
    const readme = find(oss.children ?? [], (e) => e.label === 'readme.txt', 'readme.txt');
    const before = (await state()).ingest.tasks.length;
    const created = await run([{ type: '1234' }, { pick: 'Once' }], 'datahub.connectors.createLoadTask', notes.node, [notes.node, readme.node]);
    assert.equal(created, true);
    const after = (await state()).ingest.tasks;
    assert.equal(after.length, before + 1);
    const task = after[after.length - 1];
    assert.deepEqual(task.files.map((f) => f.uri).sort(), ['notes.md', 'readme.txt']);
    const entry = await waitFor('the new task in the view', async () => flatten(await loadTasks(0)).find((e) => taskIdOf(e) === task.id));
    assert.equal(entry.label, 'vol-1234');
    // The connector now counts two tasks.
    const refreshed = find(await connectors(0), (e) => e.label === 'oss-sample', 'oss-sample');
    assert.match(refreshed.description ?? '', /2 tasks/);
  });

  it('Create Load Task offers the volume just used; two tasks into one volume get distinct labels', async () => {
    const oss = find(await connectors(2), (e) => e.label === 'oss-sample', 'oss-sample');
    const notes = find(oss.children ?? [], (e) => e.label === 'notes.md', 'notes.md');
    // Picked from the suggestions, not typed: the question offers it.
    assert.equal(await run([{ pick: '1234' }, { pick: 'Once' }], 'datahub.connectors.createLoadTask', notes.node, [notes.node]), true);
    const labels = await waitFor('both tasks into vol-1234', async () => {
      const found = flatten(await loadTasks(0)).filter((e) => e.label.startsWith('vol-1234')).map((e) => e.label);
      return found.length === 2 ? found : undefined;
    });
    assert.deepEqual(labels.sort(), ['vol-1234 ← notes.md', 'vol-1234 ← notes.md +1']);
  });

  it('Load Tasks: task → files with status, counts and the failure reason in the tooltip', async () => {
    const tree = await loadTasks(1);
    const finished = find(tree, (e) => e.label === 'b-vol1', 'the seeded finished task');
    assert.equal(finished.contextValue, 'loadTask:finished:hasFailed');
    assert.match(finished.description ?? '', /✓ 2 · ✗ 1/);
    const failed = find(finished.children ?? [], (e) => e.label === 'broken-fail.csv', 'the failed file');
    assert.equal(failed.contextValue, 'loadTaskFile:failed');
    assert.equal(failed.icon, 'error');
    assert.match(failed.tooltip ?? '', /simulated failure/);
    const ok = find(finished.children ?? [], (e) => e.label === 'notes.md', 'a loaded file');
    assert.equal(ok.contextValue, 'loadTaskFile:succeeded');
  });

  it('Pause and Resume act on a running task node', async () => {
    await admin('POST', '/_emulator/ingest', { bytes_per_second: 4096 });
    try {
      const oss = find(await connectors(2), (e) => e.label === 'oss-sample', 'oss-sample');
      const data = find(oss.children ?? [], (e) => e.label === 'data', 'data');
      assert.equal(await run([{ type: '777' }, { pick: 'Once' }], 'datahub.connectors.createLoadTask', data.node, [data.node]), true);
      const running = await waitFor('the running task', async () => flatten(await loadTasks(0)).find((e) => e.label === 'vol-777' && /^loadTask:running/.test(e.contextValue ?? '')));
      const id = taskIdOf(running);
      assert.equal(await vscode.commands.executeCommand('datahub.loadTasks.pause', running.node), true);
      await waitFor('paused', async () => (await getTask(id)).status === 3);
      const paused = find(await loadTasks(0), (e) => taskIdOf(e) === id, 'the paused task');
      assert.match(paused.contextValue ?? '', /^loadTask:paused/);
      assert.equal(await vscode.commands.executeCommand('datahub.loadTasks.resume', paused.node), true);
      assert.equal((await getTask(id)).status, 1);
    } finally {
      await admin('POST', '/_emulator/ingest', { bytes_per_second: 64 * 1024 * 1024 });
    }
  });

  it('Retry Failed Files on the task node retries the failed file until it succeeds', async () => {
    const id = taskIdOf(await createTask('41', ['data/broken-fail.csv', 'notes.md']));
    const finished = await waitFor('the task to finish with a failed file', async () => flatten(await loadTasks(0)).find((e) => e.label === 'vol-41' && e.contextValue === 'loadTask:finished:hasFailed'));
    assert.equal(await vscode.commands.executeCommand('datahub.loadTasks.retryFailed', finished.node), 1);
    await waitFor('the retry to finish', async () => {
      const task = (await state()).ingest.tasks.find((t) => t.id === id);
      return task && task.status === 4 && task.files.every((f) => f.status === 5);
    });
    const after = await waitFor('the view to show it finished without failures', async () => flatten(await loadTasks(0)).find((e) => taskIdOf(e) === id && e.contextValue === 'loadTask:finished'));
    assert.equal(after.label, 'vol-41');
  });

  it('Retry Failed Files on a failed file node retries just that file', async () => {
    const oss = find(await connectors(2), (e) => e.label === 'oss-sample', 'oss-sample');
    const data = find(oss.children ?? [], (e) => e.label === 'data', 'data');
    const broken = find(data.children ?? [], (e) => e.label === 'broken-fail.csv', 'broken-fail.csv');
    assert.equal(await run([{ type: '31' }, { pick: 'Once' }], 'datahub.connectors.createLoadTask', broken.node, [broken.node]), true);
    const task = await waitFor('the task to fail its file', async () => {
      const t = flatten(await loadTasks(1)).find((e) => e.label === 'vol-31' && e.contextValue === 'loadTask:finished:hasFailed');
      return t;
    });
    const file = find(task.children ?? [], (e) => e.contextValue === 'loadTaskFile:failed', 'the failed file');
    assert.equal(await vscode.commands.executeCommand('datahub.loadTasks.retryFailed', file.node, [file.node]), 1);
    await waitFor('success', async () => (await state()).ingest.tasks.find((t) => t.id === taskIdOf(task))?.files.every((f) => f.status === 5));
  });

  it('Edit… changes the interval and the files of a task node', async () => {
    const entry = await createTask('42', ['notes.md', 'readme.txt']);
    const id = taskIdOf(entry);
    assert.equal(await run([{ pick: 'Interval…' }, { pick: 'Hourly' }, { type: '3' }], 'datahub.loadTasks.edit', entry.node), true);
    assert.deepEqual((await getTask(id)).source_config.common_file_task_config.load_mode_config, { load_interval_type: 2, interval: 3 });
    assert.equal(await run([{ pick: 'Files…' }, { pickMany: ['notes.md'] }], 'datahub.loadTasks.edit', entry.node), true);
    assert.deepEqual((await getTask(id)).source_config.common_file_task_config.uris, ['notes.md']);
    const shown = find(await loadTasks(0), (e) => taskIdOf(e) === id, 'the edited task');
    assert.match(shown.description ?? '', /every 3 hours/);
  });

  it('Show Details opens a readable view named by the task: states as words, times as dates, the connector by name, secret masked', async () => {
    const entry = find(await loadTasks(0), (e) => e.label === 'b-vol1', 'b-vol1');
    const uri = await vscode.commands.executeCommand<string>('datahub.loadTasks.showDetails', entry.node);
    assert.equal(uri, `datahub-ingest:/task/${taskIdOf(entry)}/b-vol1.md`);
    await waitFor('the Markdown preview named by the task', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('markdown.preview') && t.label.includes('b-vol1')));
    const doc = await waitFor('the details document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri));
    const text = doc.getText().replace(/\\([!-/:-@[-`{-~])/g, '$1');
    assert.ok(!text.includes(SEEDED_SECRET));
    assert.ok(!text.trimStart().startsWith('{'), 'not raw JSON');
    assert.match(text, /^# Load task b-vol1$/m);
    assert.match(text, /^- \*\*Status:\*\* Completed$/m);
    assert.match(text, /^- \*\*Files:\*\* 3 total, \d completed, \d failed$/m);
    assert.match(text, /^- \*\*Connector:\*\* oss-sample \(OSS · sample-bucket\)$/m);
    assert.match(text, /^- \*\*AccessKey secret:\*\* stored \(not shown\)$/m);
    const created = /^- \*\*Created:\*\* (.+)$/m.exec(text)?.[1] ?? '';
    assert.ok(created && !/^\d{9,}$/.test(created), `a date, not seconds: ${created}`);
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('markdown.preview')));
  });

  it('Copy ID on a load task row and on a task file row', async function () {
    this.timeout(30_000);
    const entry = find(await loadTasks(1), (e) => e.label === 'b-vol1', 'b-vol1');
    const file = find(entry.children ?? [], (e) => (e.contextValue ?? '').startsWith('loadTaskFile:'), 'a file of b-vol1');
    const copy = async (node: unknown, expected: string): Promise<void> => {
      assert.equal(await vscode.commands.executeCommand<string>('datahub.loadTasks.copyId', node), expected);
      assert.equal(await vscode.env.clipboard.readText(), expected);
    };
    const body = async (): Promise<void> => {
      await copy(entry.node, taskIdOf(entry));
      await copy(file.node, (file.node as { file: { id: string } }).file.id);
    };
    await Promise.race([body(), new Promise((_r, reject) => setTimeout(() => reject(new Error('the browser clipboard did not answer')), 20_000))]);
  });

  it('shows a page of files and a "Load more…" node that loads the next page', async () => {
    await vscode.workspace.getConfiguration('datahub').update('loadTasks.filesPageSize', 1, vscode.ConfigurationTarget.Global);
    try {
      const entry = await waitFor('one file per page', async () => {
        const e = find(await loadTasks(1), (x) => x.label === 'b-vol1', 'b-vol1');
        return e.children?.length === 2 ? e : undefined;
      });
      const more = entry.children?.[1];
      assert.equal(more?.contextValue, 'loadMore');
      assert.match(more?.label ?? '', /1 of 3/);
      await click(more);
      const after = find(await loadTasks(1), (x) => x.label === 'b-vol1', 'b-vol1');
      assert.equal(after.children?.filter((c) => c.contextValue?.startsWith('loadTaskFile:')).length, 2);
      assert.match(after.children?.[2]?.label ?? '', /2 of 3/);
    } finally {
      await vscode.workspace.getConfiguration('datahub').update('loadTasks.filesPageSize', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('reads every page of a server whose pages are smaller than asked for: all tasks, Load more…, Retry Failed Files', async () => {
    const oss = find(await connectors(0), (e) => e.label === 'oss-sample', 'oss-sample');
    const connectorId = (oss.node as { connector: { id: number } }).connector.id;
    // Files that are not in the bucket cannot be picked in the view: the task is created through the backend's API.
    const uris = ['gone/a.csv', 'gone/b.csv', 'gone/c.csv', 'gone/d.csv', 'gone/e.csv'];
    const client = new IngestClient({ baseUrl: () => emulatorUrl, credentials: async () => CREDENTIALS, logger: silentLogger });
    await client.createTask({ connectorId, volumeId: '88', uris, intervalType: 4, interval: 0 });
    const id = await waitFor('the task to finish with 5 failures', async () => {
      const task = (await state()).ingest.tasks.find((t) => t.files.length === 5 && t.files.every((f) => f.uri.startsWith('gone/')));
      return task && task.status === 4 && task.files.every((f) => f.status === 4) ? task.id : undefined;
    });
    await admin('POST', '/_emulator/ingest', { max_page_size: 2 });
    try {
      const roots = await loadTasks(0);
      assert.equal(roots.length, (await state()).ingest.tasks.length, 'every task, two per page');
      const entry = find(await loadTasks(1), (e) => taskIdOf(e) === id, 'vol-88');
      assert.deepEqual(entry.children?.map((c) => c.contextValue), ['loadTaskFile:failed', 'loadTaskFile:failed', 'loadMore']);
      assert.match(entry.children?.[2].label ?? '', /2 of 5/);
      await click(entry.children?.[2]);
      const more = find(await loadTasks(1), (e) => taskIdOf(e) === id, 'vol-88');
      assert.equal(more.children?.filter((c) => c.contextValue === 'loadTaskFile:failed').length, 4);
      assert.match(more.children?.at(-1)?.label ?? '', /4 of 5/);
      assert.equal(await vscode.commands.executeCommand('datahub.loadTasks.retryFailed', entry.node), 5);
    } finally {
      await admin('POST', '/_emulator/ingest', { max_page_size: 100 });
    }
  });

  it('Filter… shows only tasks with the chosen statuses and intervals', async () => {
    const own = taskIdOf(await createTask('43', ['notes.md']));
    await waitFor('its task to finish', async () => (await state()).ingest.tasks.find((t) => t.id === own)?.status === 4);
    await run([{ pickMany: ['Completed', 'once'] }], 'datahub.loadTasks.filter');
    const shown = await loadTasks(0);
    assert.ok(shown.some((e) => taskIdOf(e) === own), 'its own finished task is shown');
    for (const e of shown) {
      const task = (e.node as { task: { status: number; source_config: { common_file_task_config: { load_mode_config: { load_interval_type: number } } } } }).task;
      assert.equal(task.status, 4);
      assert.equal(task.source_config.common_file_task_config.load_mode_config.load_interval_type, 4);
    }
    await run([{ pickMany: ['Paused'] }], 'datahub.loadTasks.filter');
    const none = await loadTasks(0);
    assert.deepEqual(none.map((e) => e.contextValue), ['message']);
    await run([{ pickMany: [] }], 'datahub.loadTasks.filter');
  });

  it('Delete (confirmed) removes the task', async () => {
    const entry = await createTask('44', ['notes.md']);
    const id = taskIdOf(entry);
    assert.equal(await run([{ button: 'Delete' }], 'datahub.loadTasks.delete', entry.node), true);
    assert.ok(!(await state()).ingest.tasks.some((t) => t.id === id));
    assert.ok(!flatten(await loadTasks(0)).some((e) => e.label === 'vol-44'));
  });

  it('an emulator error shows as an error item, not an empty view', async () => {
    await admin('POST', '/_emulator/faults', { route: 'ingest_tasks', error_rate: 1, status: 503 });
    try {
      const roots = await loadTasks(0);
      assert.equal(roots.length, 1);
      assert.equal(roots[0].icon, 'error');
      assert.match(roots[0].label, /503/);
    } finally {
      await admin('DELETE', '/_emulator/faults');
    }
  });
});
