// Integration (real VS Code): the Pandora view and commands against the emulator — tree contents, start / stop /
// rerun through the commands, the job and export editor panels (messages through the panel's test hook), deletes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { admin, emulatorState, type Entry, find as findEntry, flatten, poller, ready, webviewTabs } from './helpers';

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

const snapshot = (depth = 2): Thenable<Entry[]> => vscode.commands.executeCommand<Entry[]>('datahub.internal.pandoraSnapshot', depth);
/** Delivers `message` to the open editor of `target` (a job, or a job's export; no name = the new one's editor). */
const hook = <T>(panel: 'job' | 'export', target: { job?: string; export?: string }, message: unknown): Thenable<T> => vscode.commands.executeCommand<T>('datahub.pandora.webviewTestHook', { panel, ...target, message });

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
    await ready();
    await admin('POST', '/_emulator/pandora/reset', { seed: true });
    await admin('POST', '/_emulator/pandora/config', { runMs: 800, keys: [{ accessKey: 'demo-ak', secretKey: 'demo-sk' }] });
    await vscode.commands.executeCommand('datahub.setCredentials', { backend: 'pandora', values: { accessKey: 'demo-ak', secretKey: 'demo-sk', token: '' } });
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
    assert.match(job.description ?? '', /crontab 0 0 1 \* \* \? · Successful/);
    assert.equal(job.contextValue, 'pandoraJob:Successful:crontab');
    find(job.children ?? [], (e) => e.label === 'to_kodo' && e.description === 'kodo', 'export to_kodo');
    const run = find(job.children ?? [], (e) => e.contextValue === 'pandoraRun:Successful', 'a successful run');
    assert.equal(run.label, 'Run 1');
  });

  it('Start Pandora Job asks the params (here given) and the run goes Running → Successful in Run History', async () => {
    await vscode.commands.executeCommand('datahub.pandora.startJob', 'daily_traffic', { region: 'west' });
    const s = await state();
    const run = s.pandora.jobs.daily_traffic.runs.find((r) => r.runId === 2);
    assert.ok(run, 'the emulator has run 2');
    assert.deepEqual(run.params, [{ name: 'region', value: 'west' }]);
    const done = await waitFor('run 2 Successful in the tree', async () => {
      const t = await snapshot(4);
      const entry = flatten(t).find((e) => e.id === 'pandora/job/daily_traffic/run/2');
      return entry?.contextValue === 'pandoraRun:Successful' ? entry : undefined;
    });
    assert.match(done.description ?? '', /^Successful/);
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
    await vscode.commands.executeCommand('datahub.pandora.editJob', 'slow_job');
    const again = await hook<{ draft: { body: { container: { count: number } } } }>('job', { job: 'slow_job' }, { type: 'ready' });
    assert.equal(again.draft.body.container.count, 3);
    // "Edit in Editor Tab": the job's SQL opens as its own document (datahub-pandora:/jobs/slow_job.sql); saving that tab saves the job.
    await hook('job', { job: 'slow_job' }, { type: 'openSqlEditor', code: body.computation.code });
    const doc = await waitFor('the SQL editor tab', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === 'datahub-pandora:/jobs/slow_job.sql')?.document);
    assert.equal(doc.getText(), body.computation.code);
    // The page shows what the tab holds: wait until it has loaded and holds the form.
    await waitFor('the job editor page loaded', async () => (await vscode.commands.executeCommand<boolean>('datahub.pandora.webviewTestHook', { panel: 'job', job: 'slow_job', pageInitialised: true })) === true, 60_000);
    const newSql = 'SELECT host, COUNT(*) AS hits, SUM(bytes) AS total /* emulator:slow */ FROM logs GROUP BY host';
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), newSql);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    await waitFor('the editor tab saved the SQL', async () => (await state()).pandora.jobs.slow_job.computation.code === newSql);
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.path.endsWith('.sql')));
  });

  it('Stop Pandora Job, Stop Run and Rerun Run follow the state table', async () => {
    await vscode.commands.executeCommand('datahub.pandora.startJob', 'slow_job', {});
    await waitFor('slow_job running', async () => (await state()).pandora.jobs.slow_job.runs[0]?.status === 'Running');
    await vscode.commands.executeCommand('datahub.pandora.stopJob', 'slow_job');
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
    await vscode.commands.executeCommand('datahub.pandora.filterHistory', 'daily_traffic', 'Canceled');
    const history = find(await snapshot(4), (e) => e.id === 'pandora/job/daily_traffic/history', 'history of daily_traffic');
    assert.deepEqual(history.children?.map((c) => c.label), ['No runs']);
    await vscode.commands.executeCommand('datahub.pandora.filterHistory', 'daily_traffic', '');
  });

  it('export editor: the host refuses a compression the format does not allow, then saves; edit sends the spec', async () => {
    await vscode.commands.executeCommand('datahub.pandora.createExport', 'slow_job');
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
    await vscode.commands.executeCommand('datahub.pandora.createDatasource', { name: 'cdn_logs', body: { region: 'nb', type: 'fusion', spec: { domains: ['cdn.example.com'] }, schema: [{ key: 'url', valtype: 'string', required: true }] } });
    assert.equal((await state()).pandora.datasources.cdn_logs.type, 'fusion');
    const node = find(await snapshot(2), (e) => e.label === 'cdn_logs', 'cdn_logs').node;
    await vscode.commands.executeCommand('datahub.pandora.editDatasource', node, { schema: [{ key: 'url', valtype: 'string', required: true }, { key: 'bytes', valtype: 'long', required: false }] });
    assert.deepEqual((await state()).pandora.datasources.cdn_logs.schema.map((f) => f.key), ['url', 'bytes']);
    await vscode.commands.executeCommand('datahub.pandora.deleteDatasource', node, { confirmed: true });
    assert.equal((await state()).pandora.datasources.cdn_logs, undefined);
  });

  it('deletes an export and a job through the commands', async () => {
    const tree = await snapshot(4);
    const exportNode = find(tree, (e) => e.id === 'pandora/job/slow_job/export/to_tsdb', 'export to_tsdb').node;
    await vscode.commands.executeCommand('datahub.pandora.deleteExport', exportNode, { confirmed: true });
    assert.equal((await state()).pandora.jobs.slow_job.exports.to_tsdb, undefined);
    await vscode.commands.executeCommand('datahub.pandora.deleteJob', 'slow_job', { confirmed: true });
    assert.equal((await state()).pandora.jobs.slow_job, undefined);
  });

  it('a wrong secret shows the 401 bad token error in the tree, not data', async () => {
    await vscode.commands.executeCommand('datahub.setCredentials', { backend: 'pandora', values: { secretKey: 'wrong-secret' } });
    try {
      const tree = await snapshot(2);
      const error = find(tree, (e) => e.icon === 'error', 'an error item');
      assert.match(error.label, /401.*bad token/);
      assert.ok(!flatten(tree).some((e) => e.label.includes('wrong-secret')));
    } finally {
      await vscode.commands.executeCommand('datahub.setCredentials', { backend: 'pandora', values: { secretKey: 'demo-sk' } });
    }
  });
});
