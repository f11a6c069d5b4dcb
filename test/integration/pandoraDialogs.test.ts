// Integration (real VS Code): the Pandora dialogs driven through VS Code's own QuickPick / InputBox — the
// Start dialog with the built-in variables, the run-id history query, the datasource editor (what PUT may
// change) — and names that are data (a job named "new" or "constructor").
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { enter, nextPrompt, prompt, startJob } from './dialogs';
import { emulatorState, type Entry, find as findEntry, flatten, poller, readyPandora, run as runCommand, testing, walk, webviewTabs } from './helpers';

interface DialogState {
  pandora: {
    datasources: Record<string, { spec: Record<string, unknown>; schema: { key: string; required: boolean }[] }>;
    jobs: Record<string, { runs: { runId: number; status: string; params: { name: string; value: string }[] }[] }>;
  };
}

const waitFor = poller(20_000, 100);
const state = (): Promise<DialogState> => emulatorState<DialogState>();
/** The Pandora view: `levels` levels of items from the top. */
const snapshot = async (levels = 4): Promise<Entry[]> => walk((await testing()).trees.pandora, levels - 1);
const find = (entries: readonly Entry[], predicate: (e: Entry) => boolean, what: string): Entry => findEntry(entries, predicate, what, (e) => `${e.id} ${e.label}`);

/** The tree node of job `name`, once the view lists it. */
const jobNode = (name: string): Promise<unknown> => waitFor(`job ${name} in the tree`, async () => flatten(await snapshot()).find((e) => e.id === `pandora/job/${name}`)?.node);

/** Find Pandora Run… on daily_traffic with `value` typed as the run id; the runs it found. */
async function findRun(value: string): Promise<{ runId: number }[]> {
  const found = vscode.commands.executeCommand<{ runId: number }[] | undefined>('datahub.pandora.findRun', await jobNode('daily_traffic'));
  const question = await nextPrompt('input', 0);
  await prompt({ value });
  await enter(question.step);
  return (await found) ?? [];
}

describe('Pandora dialogs (api 003) in a real VS Code', function () {
  this.timeout(120_000);

  before(async () => {
    await readyPandora(300);
  });

  after(async () => {
    await vscode.window.tabGroups.close(webviewTabs('datahub.pandora.jobEditor'));
  });

  it('the Start dialog sets the job\'s params and, when chosen, the built-in variables $(year) and $(mon)', async () => {
    const started = vscode.commands.executeCommand<string>('datahub.pandora.startJob', await jobNode('daily_traffic'));
    const variables = await nextPrompt('pickMany', 0);
    assert.deepEqual(variables.choices?.map((c) => `${c.id}${c.picked ? '✓' : ''}`), ['param:region✓', 'builtin:year', 'builtin:mon', 'builtin:day', 'builtin:hour', 'builtin:min', 'builtin:sec']);
    await prompt({ select: ['param:region', 'builtin:year', 'builtin:mon'] });
    await enter(variables.step);
    const region = await nextPrompt('input', variables.step);
    assert.equal(region.value, 'east', 'the param starts at its default');
    // The parameter is named as it is (no `$(…)`, which the widget reads as an icon), with its default.
    assert.equal(region.prompt, 'Value of region (default: east)');
    await prompt({ value: 'north' });
    await enter(region.step);
    const year = await nextPrompt('input', region.step);
    assert.equal(year.value, '');
    assert.equal(year.prompt, 'Value of year (built-in; the time of the run unless set)');
    assert.ok(year.validationMessage, 'an empty built-in is refused with a message');
    await prompt({ value: '2024' });
    await enter(year.step);
    const month = await nextPrompt('input', year.step);
    await prompt({ value: '06' });
    await enter(month.step);
    assert.equal(await started, 'daily_traffic');
    const runs = (await state()).pandora.jobs.daily_traffic.runs;
    assert.deepEqual(runs[runs.length - 1].params, [{ name: 'region', value: 'north' }, { name: 'year', value: '2024' }, { name: 'mon', value: '06' }]);
  });

  it('Find Pandora Run: the history query for one run id (-1 = the latest); Run History is newest end first', async () => {
    await waitFor('every run finished', async () => (await state()).pandora.jobs.daily_traffic.runs.every((r) => r.status === 'Successful'));
    // Run 1 is rerun: it now ends after run 2, so -endTime lists it first.
    await vscode.commands.executeCommand('datahub.pandora.rerunRun', find(await snapshot(), (e) => e.id === 'pandora/job/daily_traffic/run/1', 'run 1').node);
    await waitFor('run 1 finished again', async () => (await state()).pandora.jobs.daily_traffic.runs.every((r) => r.status === 'Successful'));
    const history = async (): Promise<Entry> => find(await snapshot(), (e) => e.id === 'pandora/job/daily_traffic/history', 'Run History');
    assert.deepEqual((await history()).children?.map((c) => c.label), ['Run 1', 'Run 2']);

    const one = await findRun('2');
    assert.deepEqual(one.map((r) => r.runId), [2]);
    let view = await history();
    assert.deepEqual(view.children?.map((c) => c.label), ['Run 2']);
    assert.equal(view.description, 'only run 2');

    // From the tree: the run id is asked; -1 is the latest run.
    const asked = vscode.commands.executeCommand<{ runId: number }[]>('datahub.pandora.findRun', view.node);
    const question = await nextPrompt('input', 0);
    assert.equal(question.value, '2');
    await prompt({ value: 'x' });
    assert.ok((await prompt())?.validationMessage, 'a run id that is not a number is refused');
    await prompt({ value: '-1' });
    await enter(question.step);
    assert.deepEqual((await asked)?.map((r) => r.runId), [2]);
    view = await history();
    assert.equal(view.description, 'only latest run');
    assert.deepEqual(view.children?.map((c) => c.label), ['Run 2']);
    await findRun('');
    assert.deepEqual((await history()).children?.map((c) => c.label), ['Run 1', 'Run 2']);
  });

  it('Edit Pandora Datasource changes what PUT may change: the bucket, the file type with its csv settings, required flags', async () => {
    const node = async (name: string): Promise<unknown> => find(await snapshot(2), (e) => e.label === name, name).node;
    const edit = async (name: string, answers: (after: number) => Promise<number>): Promise<void> => {
      const done = vscode.commands.executeCommand('datahub.pandora.editDatasource', await node(name));
      const what = await nextPrompt('pick', 0);
      await enter(await answers(what.step));
      assert.equal(await done, name);
    };
    const choose = async (kind: 'pick' | 'pickMany', after: number, select: string[]): Promise<number> => {
      const q = await nextPrompt(kind, after);
      await prompt({ select });
      return q.step;
    };
    const type = async (after: number, value: string): Promise<number> => {
      const q = await nextPrompt('input', after);
      await prompt({ value });
      return q.step;
    };
    const then = async (step: number): Promise<number> => {
      await enter(step);
      return step;
    };

    await edit('weblogs', async (first) => {
      await prompt({ select: ['bucket'] });
      return type(await then(first), 'demo-logs-2');
    });
    assert.equal((await state()).pandora.datasources.weblogs.spec.bucket, 'demo-logs-2');

    await edit('orders', async (first) => {
      await prompt({ select: ['fileType'] });
      return choose('pick', await then(first), ['json']);
    });
    assert.deepEqual((await state()).pandora.datasources.orders.spec, { paths: ['hdfs://10.0.0.1:9000/warehouse/orders'], fileType: 'json' });

    await edit('orders', async (first) => {
      await prompt({ select: ['fileType'] });
      const csv = await then(await choose('pick', await then(first), ['csv']));
      const delimiter = await then(await type(csv, '|'));
      return choose('pick', delimiter, ['no']);
    });
    assert.deepEqual((await state()).pandora.datasources.orders.spec, { paths: ['hdfs://10.0.0.1:9000/warehouse/orders'], fileType: 'csv', delimiter: '|', containsHeader: false });

    await edit('weblogs', async (first) => {
      await prompt({ select: ['required'] });
      return choose('pickMany', await then(first), ['ts', 'host', 'status']);
    });
    assert.deepEqual((await state()).pandora.datasources.weblogs.schema.map((f) => `${f.key}${f.required ? '!' : ''}`), ['ts!', 'host!', 'status!', 'bytes', 'latency']);
  });

  it('a job named "new" or "constructor" is a job like any other: its own editor, tree item and runs', async () => {
    /** Posts `message` to the open job editor of `target` as its page would (undefined while there is none). */
    const hook = async <T>(target: { job?: string }, message: unknown): Promise<T> => (await (await testing()).pandoraPanel('job', target.job)?.post(message)) as T;
    const body = { srcs: [{ name: 'weblogs', type: 'DataSource', tableName: 'logs' }], computation: { type: 'SQL', code: 'SELECT host FROM logs' }, container: { type: '1U2G', count: 1 }, scheduler: { type: 'manual' }, params: [] };
    for (const name of ['new', 'constructor']) {
      await vscode.commands.executeCommand('datahub.pandora.createJob');
      await waitFor('a new job editor', async () => (await hook<{ mode?: string }>({}, { type: 'ready' }))?.mode === 'create');
      const saved = await hook<{ ok: boolean; errors?: unknown }>({}, { type: 'save', requestId: 1, payload: { name, body } });
      assert.equal(saved.ok, true, JSON.stringify(saved.errors));
      assert.equal((await hook<{ mode: string }>({ job: name }, { type: 'ready' })).mode, 'edit');
      await startJob(await jobNode(name));
      await waitFor(`run 1 of ${name} in the tree`, async () => flatten(await snapshot()).some((e) => e.id === `pandora/job/${name}/run/1`));
    }
    // The new job's editor is a third panel, not the editor of the job named "new".
    await vscode.commands.executeCommand('datahub.pandora.createJob');
    assert.equal((await hook<{ mode: string }>({}, { type: 'ready' })).mode, 'create');
    for (const name of ['new', 'constructor']) assert.equal(await runCommand([{ button: 'Delete' }], 'datahub.pandora.deleteJob', await jobNode(name)), true);
    assert.ok(!Object.hasOwn((await state()).pandora.jobs, 'constructor') && !Object.hasOwn((await state()).pandora.jobs, 'new'));
  });
});
