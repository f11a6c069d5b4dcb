// Integration (real VS Code): the Pandora view and commands against the emulator — tree contents, start / stop /
// rerun through the commands, the job and export editor panels (messages posted as their page would), deletes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PagePort } from '../../src/extensionApi';
import type { RunsMessage } from '../../src/webviews/jobEditorProtocol';
import { enter, nextPrompt, prompt, startJob } from './dialogs';
import { emulatorState, type Entry, find as findEntry, flatten, poller, readyPandora, run as runCommand, setPandoraKeys, testing, walk, webviewTabs } from './helpers';

interface RunState {
  runId: number;
  status: string;
  params: { name: string; value: string }[];
  rerunCount: number;
}

interface PandoraState {
  pandora: {
    datasources: Record<string, { type: string; schema: { key: string; valtype: string }[]; spec: Record<string, unknown> }>;
    jobs: Record<string, { computation: { code: string }; scheduler: { type: string }; container?: { type: string; count: number }; exports: Record<string, { type: string; spec: Record<string, unknown> }>; runs: RunState[] }>;
  };
}

const state = (): Promise<PandoraState> => emulatorState<PandoraState>();

const waitFor = poller(20_000, 150);

/** The Pandora view: `levels` levels of items from the top. */
const snapshot = async (levels = 2): Promise<Entry[]> => walk((await testing()).trees.pandora, levels - 1);

/** The open editor of `target` (a job, or a job's export; no name = the new one's editor). */
async function panel(kind: 'job' | 'export', target: { job?: string; export?: string }): Promise<PagePort> {
  const port = (await testing()).pandoraPanel(kind, target.job, target.export);
  assert.ok(port, `no open ${kind} editor ${JSON.stringify(target)}`);
  return port;
}

/** Posts `message` to the open editor of `target` as its page would; resolves to what the host answered. */
async function hook<T>(kind: 'job' | 'export', target: { job?: string; export?: string }, message: unknown): Promise<T> {
  return (await (await panel(kind, target)).post(message)) as T;
}

/** The tree node with this id (what the view passes to a context command). */
async function node(id: string): Promise<unknown> {
  return find(await snapshot(4), (e) => e.id === id, id).node;
}

/** Items are listed with their context value when a lookup fails. */
const find = (entries: readonly Entry[], predicate: (e: Entry) => boolean, what: string): Entry => findEntry(entries, predicate, what, (e) => `${e.label} [${e.contextValue}]`);

interface Response<R> {
  type: 'response';
  ok: boolean;
  result?: R;
  errors?: Record<string, string>;
}

describe('Pandora offline jobs (api 003) in a real VS Code', function () {
  this.timeout(120_000);

  before(async () => {
    await readyPandora(800);
  });

  after(async () => {
    await vscode.window.tabGroups.close([...webviewTabs('datahub.pandora.jobEditor'), ...webviewTabs('datahub.pandora.exportEditor')]);
  });

  it('the tree shows datasources (type, region → schema fields) and jobs (scheduler, last run → exports, run history)', async () => {
    const tree = await waitFor('the Pandora tree', async () => {
      const t = await snapshot(4);
      return t.length === 2 ? t : undefined;
    });
    assert.deepEqual(tree.map((e) => e.contextValue), ['pandoraGroup:datasources', 'pandoraGroup:jobs']);
    const weblogs = find(tree, (e) => e.label === 'weblogs', 'weblogs');
    assert.equal(weblogs.description, 'kodo · nb');
    assert.deepEqual(weblogs.children?.map((c) => `${c.label}:${c.description}`).slice(0, 2), ['ts:date · required', 'host:string · required']);
    const job = find(tree, (e) => e.label === 'daily_traffic', 'job daily_traffic');
    // The status first, then the schedule with its expression in words.
    assert.equal(job.description, 'Completed · crontab 0 0 1 * * ? (at 01:00 every day)');
    assert.equal(job.contextValue, 'pandoraJob:Successful:crontab');
    find(job.children ?? [], (e) => e.label === 'to_kodo' && e.description === 'kodo', 'export to_kodo');
    const run = find(job.children ?? [], (e) => e.contextValue === 'pandoraRun:Successful', 'a successful run');
    assert.equal(run.label, 'Run 1');
  });

  it('Start Pandora Job asks the params (here given) and the run goes Running → Successful in Run History', async () => {
    await startJob(await node('pandora/job/daily_traffic'), { region: 'west' });
    const s = await state();
    const run = s.pandora.jobs.daily_traffic.runs.find((r) => r.runId === 2);
    assert.ok(run, 'the emulator has run 2');
    assert.deepEqual(run.params, [{ name: 'region', value: 'west' }]);
    const done = await waitFor('run 2 Successful in the tree', async () => {
      const t = await snapshot(4);
      const entry = flatten(t).find((e) => e.id === 'pandora/job/daily_traffic/run/2');
      return entry?.contextValue === 'pandoraRun:Successful' ? entry : undefined;
    });
    assert.match(done.description ?? '', /^Completed · /);
  });

  it('job editor: a new job is saved with POST, then edited (read first, full PUT); the emulator has it', async () => {
    await vscode.commands.executeCommand('datahub.pandora.createJob');
    await waitFor('the job editor tab', () => webviewTabs('datahub.pandora.jobEditor').length > 0);
    const init = await hook<{ type: string; mode: string; sources: { name: string; type: string }[] }>('job', {}, { type: 'ready' });
    assert.equal(init.type, 'init');
    assert.equal(init.mode, 'create');
    assert.ok(init.sources.some((s) => s.name === 'weblogs' && s.type === 'DataSource'));
    const body = {
      srcs: [{ name: 'weblogs', type: 'DataSource', tableName: 'logs' }],
      computation: { type: 'SQL', code: 'SELECT host, COUNT(*) AS hits /* emulator:slow */ FROM logs GROUP BY host' },
      container: { type: '1U2G', count: 1 },
      scheduler: { type: 'manual' },
      params: [],
    };
    // The host validates too: a bad container count never reaches the emulator.
    const refused = await hook<Response<unknown>>('job', {}, { type: 'save', requestId: 1, payload: { name: 'slow_job', body: { ...body, container: { type: '16U64G', count: 7 } } } });
    assert.equal(refused.ok, false);
    assert.match(refused.errors?.['container.count'] ?? '', /112 cores/);
    assert.equal((await state()).pandora.jobs.slow_job, undefined);
    // A malformed message is refused as a whole.
    const malformed = await hook<Response<unknown>>('job', {}, { type: 'save', requestId: 2, payload: { name: 'x', body: { srcs: 'nope' } } });
    assert.equal(malformed.ok, false);
    const inferred = await hook<Response<{ key: string; valtype: string }[]>>('job', {}, { type: 'inferSchema', requestId: 3, payload: { srcs: body.srcs, code: body.computation.code } });
    assert.deepEqual(inferred.result, [{ key: 'host', valtype: 'string', required: false }, { key: 'hits', valtype: 'long', required: false }]);
    const saved = await hook<Response<{ schema: { key: string }[] }>>('job', {}, { type: 'save', requestId: 4, payload: { name: 'slow_job', body } });
    assert.equal(saved.ok, true, JSON.stringify(saved.errors));
    assert.deepEqual(saved.result?.schema.map((f) => f.key), ['host', 'hits']);
    assert.equal((await state()).pandora.jobs.slow_job.scheduler.type, 'manual');
    // The same panel is now the editor of slow_job: a save is a full replacement.
    const edited = await hook<Response<unknown>>('job', { job: 'slow_job' }, { type: 'save', requestId: 5, payload: { name: 'slow_job', body: { ...body, container: { type: '2U4G', count: 3 }, scheduler: { type: 'loop', spec: { loop: '1h' } } } } });
    assert.equal(edited.ok, true, JSON.stringify(edited.errors));
    const job = (await state()).pandora.jobs.slow_job;
    assert.deepEqual(job.container, { type: '2U4G', count: 3 });
    assert.equal(job.scheduler.type, 'loop');
    // Reopening it through Edit loads what was saved.
    await vscode.commands.executeCommand('datahub.pandora.editJob', await node('pandora/job/slow_job'));
    const again = await hook<{ draft: { body: { container: { count: number } } } }>('job', { job: 'slow_job' }, { type: 'ready' });
    assert.equal(again.draft.body.container.count, 3);
    // "Edit in Editor Tab": the job's SQL opens as its own document (datahub-pandora:/jobs/slow_job.sql); saving that tab saves the job.
    await hook('job', { job: 'slow_job' }, { type: 'openSqlEditor', code: body.computation.code });
    const doc = await waitFor('the SQL editor tab', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === 'datahub-pandora:/jobs/slow_job.sql')?.document);
    assert.equal(doc.getText(), body.computation.code);
    // The page shows what the tab holds: wait until it has loaded and holds the form.
    await waitFor('the job editor page loaded', async () => (await panel('job', { job: 'slow_job' })).pagePosted('draft'), 60_000);
    const newSql = 'SELECT host, COUNT(*) AS hits, SUM(bytes) AS total /* emulator:slow */ FROM logs GROUP BY host';
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), newSql);
    assert.ok(await vscode.workspace.applyEdit(edit));
    // VS Code for the web saves after a delay by default, and a save asked for while such a save runs its save
    // participants returns false: the test profile saves only when asked, as the desktop does by default.
    assert.equal(vscode.workspace.getConfiguration('files').get('autoSave'), 'off');
    assert.ok(await doc.save());
    await waitFor('the editor tab saved the SQL', async () => (await state()).pandora.jobs.slow_job.computation.code === newSql);
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.path.endsWith('.sql')));
  });

  it('Stop Pandora Job, Stop Run and Rerun Run follow the state table', async () => {
    await startJob(await node('pandora/job/slow_job'));
    await waitFor('slow_job running', async () => (await state()).pandora.jobs.slow_job.runs[0]?.status === 'Running');
    await vscode.commands.executeCommand('datahub.pandora.stopJob', await node('pandora/job/slow_job'));
    assert.equal((await state()).pandora.jobs.slow_job.runs[0].status, 'Canceled');
    // Rerun the canceled run from its tree node, then stop it from its tree node.
    const canceled = find(await snapshot(4), (e) => e.id === 'pandora/job/slow_job/run/1', 'run 1 of slow_job');
    assert.equal(canceled.contextValue, 'pandoraRun:Canceled');
    const rerun = await vscode.commands.executeCommand<{ postStatus: string; rerunCount: number }>('datahub.pandora.rerunRun', canceled.node);
    assert.deepEqual(rerun, { preStatus: 'Canceled', postStatus: 'Running', rerunCount: 1 });
    const running = find(await snapshot(4), (e) => e.id === 'pandora/job/slow_job/run/1', 'run 1 of slow_job');
    assert.equal(running.contextValue, 'pandoraRun:Running');
    const stopped = await vscode.commands.executeCommand<{ postStatus: string }>('datahub.pandora.stopRun', running.node);
    assert.equal(stopped.postStatus, 'Canceled');
    const run = (await state()).pandora.jobs.slow_job.runs[0];
    assert.equal(run.status, 'Canceled');
    assert.equal(run.rerunCount, 1);
    // History filter: only Canceled runs of daily_traffic → none.
    await runCommand([{ pick: 'Cancelled' }], 'datahub.pandora.filterHistory', await node('pandora/job/daily_traffic/history'));
    const history = find(await snapshot(4), (e) => e.id === 'pandora/job/daily_traffic/history', 'history of daily_traffic');
    assert.deepEqual(history.children?.map((c) => c.label), ['No runs']);
    await runCommand([{ pick: 'All statuses' }], 'datahub.pandora.filterHistory', await node('pandora/job/daily_traffic/history'));
  });

  it('job editor: the run-history chart has a bar per run; Stop / Rerun of the run it selects go through the run commands', async () => {
    // The editor of slow_job is still open (the test before the last); Refresh reads its runs again.
    const editor = await panel('job', { job: 'slow_job' });
    const target = { job: 'slow_job' };
    await hook('job', target, { type: 'refreshRuns' });
    const bars = (): { runId: number; status: string; active: boolean; canStop: boolean; canRerun: boolean; start: number; end: number }[] => (editor.lastPosted('runs') as RunsMessage | undefined)?.runs ?? [];
    assert.deepEqual(bars().map((r) => [r.runId, r.status, r.active, r.canStop, r.canRerun]), [[1, 'Canceled', false, false, true]]);
    assert.ok(bars()[0].start <= bars()[0].end);
    // Rerun the selected run: the run command reruns it, and the chart shows it running (its bar reaches now).
    const rerun = await hook<Response<null>>('job', target, { type: 'runAction', requestId: 11, payload: { action: 'rerun', runId: 1 } });
    assert.equal(rerun.ok, true, JSON.stringify(rerun.errors));
    assert.equal((await state()).pandora.jobs.slow_job.runs[0].rerunCount, 2);
    assert.deepEqual(bars().map((r) => [r.runId, r.status, r.active, r.canStop, r.canRerun]), [[1, 'Running', true, true, false]]);
    // A running run cannot be rerun: the host says why and sends nothing.
    const refused = await hook<Response<null>>('job', target, { type: 'runAction', requestId: 12, payload: { action: 'rerun', runId: 1 } });
    assert.equal(refused.ok, false);
    assert.match(refused.errors?._form ?? '', /only a completed, failed or canceled run can be rerun/);
    assert.equal((await state()).pandora.jobs.slow_job.runs[0].rerunCount, 2);
    const stopped = await hook<Response<null>>('job', target, { type: 'runAction', requestId: 13, payload: { action: 'stop', runId: 1 } });
    assert.equal(stopped.ok, true, JSON.stringify(stopped.errors));
    assert.equal((await state()).pandora.jobs.slow_job.runs[0].status, 'Canceled');
    assert.deepEqual(bars().map((r) => [r.runId, r.status, r.active]), [[1, 'Canceled', false]]);
    // A run the job does not have, and a message the host does not accept.
    const missing = await hook<Response<null>>('job', target, { type: 'runAction', requestId: 14, payload: { action: 'stop', runId: 99 } });
    assert.match(missing.errors?._form ?? '', /has no run 99/);
    const malformed = await hook<Response<null>>('job', target, { type: 'runAction', requestId: 15, payload: { action: 'delete', runId: 1 } });
    assert.equal(malformed.ok, false);
    assert.equal((await state()).pandora.jobs.slow_job.runs[0].status, 'Canceled');
  });

  it('a run that fails notifies once ("fail_job run 1 failed — Show Run"); Show Run opens its details', async () => {
    await vscode.commands.executeCommand('datahub.pandora.createJob');
    await waitFor('the new job editor', () => (testing().then((t) => t.pandoraPanel('job', undefined))));
    await hook('job', {}, { type: 'ready' });
    const body = { srcs: [{ name: 'weblogs', type: 'DataSource', tableName: 'logs' }], computation: { type: 'SQL', code: 'SELECT host /* emulator:fail */ FROM logs' }, container: { type: '1U2G', count: 1 }, scheduler: { type: 'manual' }, params: [{ name: 'region', default: 'east' }] };
    const saved = await hook<Response<unknown>>('job', {}, { type: 'save', requestId: 1, payload: { name: 'fail_job', body } });
    assert.equal(saved.ok, true, JSON.stringify(saved.errors));
    // The view lists fail_job before it runs, as a person's open view would.
    await waitFor('fail_job in the tree', async () => flatten(await snapshot(2)).some((e) => e.id === 'pandora/job/fail_job'));
    const before = (await testing()).notifications().length;
    await startJob(await node('pandora/job/fail_job'), { region: 'south' });
    const failedNotice = (): Promise<{ id: number; severity: string; actions: string[] }[]> =>
      testing().then((t) => t.notifications().slice(before).filter((n) => n.message === 'fail_job run 1 failed'));
    const [notice] = await waitFor('the failure notification', async () => {
      await snapshot(2); // the view's poll: each listing is compared with the one before
      const found = await failedNotice();
      return found.length > 0 ? found : undefined;
    });
    assert.equal(notice.severity, 'error');
    assert.deepEqual(notice.actions, ['Show Run']);
    await snapshot(2);
    assert.equal((await failedNotice()).length, 1, 'notified once, not on every poll');

    assert.ok((await testing()).pressNotification(notice.id, 'Show Run'));
    const doc = await waitFor('the run details document', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'datahub-pandora-run' && d.uri.path === '/fail_job run 1.md'));
    await waitFor('the Markdown preview of the run', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('markdown.preview') && t.label.includes('fail_job run 1')));
    const text = doc.getText().replace(/\\([!-/:-@[-`{-~])/g, '$1');
    assert.match(text, /^# Run 1 of fail_job$/m);
    assert.match(text, /^- \*\*Status:\*\* Failed$/m);
    assert.match(text, /run failed: the SQL carries the emulator:fail marker/);
    // Times as the person's dates, not the backend's ISO strings; the params this window started the run with.
    const started = /^- \*\*Started:\*\* (.+)$/m.exec(text)?.[1] ?? '';
    assert.ok(started && !/\d{4}-\d\d-\d\dT/.test(started), started);
    assert.match(text, /^- `region`: south$/m);
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('markdown.preview')));
  });

  it('Stop Pandora Job from the palette with nothing running says so as information, not as an error', async () => {
    await waitFor('no run active', async () => Object.values((await state()).pandora.jobs).every((j) => j.runs.every((r) => r.status !== 'Running')));
    const before = (await testing()).notifications().length;
    assert.equal(await runCommand([], 'datahub.pandora.stopJob'), undefined);
    const shown = (await testing()).notifications().slice(before);
    assert.deepEqual(shown.map((n) => `${n.severity}: ${n.message}`), ['info: No Pandora job is running.']);
  });

  it('Copy ID on a Pandora job, run and export row', async function () {
    this.timeout(30_000);
    const copy = async (id: string, expected: string): Promise<void> => {
      assert.equal(await vscode.commands.executeCommand<string>('datahub.pandora.copyId', await node(id)), expected);
      assert.equal(await vscode.env.clipboard.readText(), expected);
    };
    const body = async (): Promise<void> => {
      await copy('pandora/job/daily_traffic', 'daily_traffic');
      await copy('pandora/job/daily_traffic/run/1', '1');
      await copy('pandora/job/daily_traffic/export/to_kodo', 'to_kodo');
    };
    await Promise.race([body(), new Promise((_r, reject) => setTimeout(() => reject(new Error('the browser clipboard did not answer')), 20_000))]);
  });

  it('export editor: the host refuses a compression the format does not allow, then saves; edit sends the spec', async () => {
    await vscode.commands.executeCommand('datahub.pandora.createExport', await node('pandora/job/slow_job'));
    const key = { job: 'slow_job' };
    const init = await hook<{ type: string; columns: { key: string }[] }>('export', key, { type: 'ready' });
    assert.deepEqual(init.columns.map((c) => c.key), ['host', 'hits', 'total']);
    const refused = await hook<Response<unknown>>('export', key, { type: 'save', requestId: 1, payload: { name: 'to_tsdb', body: { type: 'kodo', spec: { bucket: 'out-bucket', format: 'orc', compression: 'gzip', fileCount: 1 } } } });
    assert.equal(refused.ok, false);
    assert.match(refused.errors?.['spec.compression'] ?? '', /orc/);
    const badColumn = await hook<Response<unknown>>('export', key, { type: 'save', requestId: 2, payload: { name: 'to_tsdb', body: { type: 'tsdb', spec: { destRepoName: 'ts', series: 'traffic', tags: { h: 'nope' }, fields: { n: 'hits' } } } } });
    assert.match(badColumn.errors?.['spec.tags.h'] ?? '', /not a column/);
    const saved = await hook<Response<unknown>>('export', key, { type: 'save', requestId: 3, payload: { name: 'to_tsdb', body: { type: 'tsdb', spec: { destRepoName: 'ts', series: 'traffic', tags: { h: 'host' }, fields: { n: 'hits' } } } } });
    assert.equal(saved.ok, true, JSON.stringify(saved.errors));
    assert.deepEqual((await state()).pandora.jobs.slow_job.exports.to_tsdb, { type: 'tsdb', spec: { destRepoName: 'ts', series: 'traffic', tags: { h: 'host' }, fields: { n: 'hits' } } });
    const edited = await hook<Response<unknown>>('export', { job: 'slow_job', export: 'to_tsdb' }, { type: 'save', requestId: 4, payload: { name: 'to_tsdb', body: { type: 'tsdb', spec: { destRepoName: 'ts2', series: 'traffic', tags: { h: 'host' }, fields: { n: 'hits' }, timestamp: 'hits' } } } });
    assert.equal(edited.ok, true, JSON.stringify(edited.errors));
    assert.equal((await state()).pandora.jobs.slow_job.exports.to_tsdb.spec.destRepoName, 'ts2');
    const retyped = await hook<Response<unknown>>('export', { job: 'slow_job', export: 'to_tsdb' }, { type: 'save', requestId: 5, payload: { name: 'to_tsdb', body: { type: 'http', spec: { host: 'h.example', uri: '/x' } } } });
    assert.equal(retyped.ok, false);
    assert.ok(retyped.errors?.type);
  });

  it('datasources: create, edit (add a field), jobs reading it, delete through the commands', async () => {
    const created = await runCommand([{ type: 'cdn_logs' }, { pick: 'fusion' }, { type: 'cdn.example.com' }, { pick: 'Enter the fields' }, { type: 'url:string!' }], 'datahub.pandora.createDatasource');
    assert.equal(created, 'cdn_logs');
    const stored = (await state()).pandora.datasources.cdn_logs;
    assert.equal(stored.type, 'fusion');
    assert.deepEqual(stored.spec, { domains: ['cdn.example.com'] });
    const datasource = find(await snapshot(2), (e) => e.label === 'cdn_logs', 'cdn_logs').node;
    // Edit Pandora Datasource → Add fields… → "bytes:long", Enter.
    const edited = vscode.commands.executeCommand('datahub.pandora.editDatasource', datasource);
    const what = await nextPrompt('pick', 0);
    await prompt({ select: ['addFields'] });
    await enter(what.step);
    const fields = await nextPrompt('input', what.step);
    await prompt({ value: 'bytes:long' });
    await enter(fields.step);
    assert.equal(await edited, 'cdn_logs');
    assert.deepEqual((await state()).pandora.datasources.cdn_logs.schema.map((f) => f.key), ['url', 'bytes']);
    assert.equal(await runCommand([{ button: 'Delete' }], 'datahub.pandora.deleteDatasource', datasource), true);
    assert.equal((await state()).pandora.datasources.cdn_logs, undefined);
  });

  it('deletes an export and a job through the commands', async () => {
    const tree = await snapshot(4);
    const exportNode = find(tree, (e) => e.id === 'pandora/job/slow_job/export/to_tsdb', 'export to_tsdb').node;
    assert.equal(await runCommand([{ button: 'Delete' }], 'datahub.pandora.deleteExport', exportNode), true);
    assert.equal((await state()).pandora.jobs.slow_job.exports.to_tsdb, undefined);
    assert.equal(await runCommand([{ button: 'Delete' }], 'datahub.pandora.deleteJob', await node('pandora/job/slow_job')), true);
    assert.equal((await state()).pandora.jobs.slow_job, undefined);
  });

  it('a wrong secret shows the 401 bad token error in the tree, not data', async () => {
    await setPandoraKeys('demo-ak', 'wrong-secret');
    try {
      const tree = await snapshot(2);
      const error = find(tree, (e) => e.contextValue === 'datahub.problem:refused', 'the credentials-refused row');
      assert.match(error.label, /^Pandora refused the credentials: .*bad token/);
      assert.ok(!flatten(tree).some((e) => e.label.includes('wrong-secret')));
    } finally {
      await setPandoraKeys('demo-ak', 'demo-sk');
    }
  });
});
