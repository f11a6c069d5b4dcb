// Integration (real VS Code): an editor panel with unsaved edits shows ● in its tab, asks "Save changes?" when closed
// (Cancel opens it again with the edits, Don't Save drops them, Save saves them), and refuses a malformed draft.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PagePort } from '../../src/extensionApi';
import { admin, emulatorState, poller, ready, setPandoraKeys, testing, walk, webviewTabs, find } from './helpers';
import { ScriptedPrompts, type Answer } from './prompts';

interface Job {
  srcs: unknown[];
  computation: { type: string; code: string };
  container?: { type: string; count: number };
  scheduler: unknown;
  params?: unknown[];
}

interface PandoraState {
  pandora: { jobs: Record<string, Job> };
}

const waitFor = poller(30_000, 100);
const state = (): Promise<PandoraState> => emulatorState<PandoraState>();

async function port(job: string): Promise<PagePort | undefined> {
  return (await testing()).pandoraPanel('job', job);
}

/** The labels of the open job editor tabs. */
const jobTabs = (): string[] => webviewTabs('datahub.pandora.jobEditor').map((t) => t.label);

/** Opens the editor of `job` from its tree node and waits until its page holds the form (and said it is clean); resolves to the job. */
async function openEditor(job: string): Promise<Job> {
  const node = find(await walk((await testing()).trees.pandora, 3), (e) => e.id === `pandora/job/${job}`, job).node;
  await vscode.commands.executeCommand('datahub.pandora.editJob', node);
  await waitFor(`the editor of ${job} loaded`, async () => (await port(job))?.pagePosted('draft') === true, 60_000);
  const { srcs, computation, container, scheduler, params } = (await state()).pandora.jobs[job];
  return { srcs, computation, container, scheduler, params };
}

/** Closes the editor tab of `job` while `answers` answer the question it asks; waits until they were all used. */
async function closeAnswering(job: string, answers: Answer[]): Promise<ScriptedPrompts> {
  const scripted = new ScriptedPrompts([...answers]);
  const registration = (await testing()).answerPrompts(scripted);
  try {
    const tab = webviewTabs('datahub.pandora.jobEditor').find((t) => t.label.endsWith(`Pandora Job ${job}`));
    assert.ok(tab, `no tab for ${job}: ${JSON.stringify(jobTabs())}`);
    await vscode.window.tabGroups.close(tab);
    await waitFor('the close question answered', () => scripted.asked.length === answers.length);
    return scripted;
  } finally {
    registration.dispose();
  }
}

describe('Editor panels keep unsaved edits (real VS Code)', function () {
  this.timeout(180_000);

  before(async () => {
    await ready();
    await admin('POST', '/_emulator/pandora/reset', { seed: true });
    await admin('POST', '/_emulator/pandora/config', { keys: [{ accessKey: 'demo-ak', secretKey: 'demo-sk' }] });
    await setPandoraKeys('demo-ak', 'demo-sk');
  });

  afterEach(async () => {
    // A clean panel closes without a question; drop any draft first so that nothing is asked.
    for (const job of ['daily_traffic']) await (await port(job))?.post({ type: 'draft', draft: null });
    await vscode.window.tabGroups.close(webviewTabs('datahub.pandora.jobEditor'));
  });

  it('marks the tab with ●, asks on close: Cancel reopens with the edits, Don\'t Save drops them, Save saves them', async () => {
    const body = await openEditor('daily_traffic');
    const original = body.computation.code;
    assert.deepEqual(jobTabs(), ['Pandora Job daily_traffic'], 'a freshly opened editor is not modified');
    const draft = { name: 'daily_traffic', body: { ...body, computation: { type: 'SQL', code: `${original}\n-- edited` } } };
    const panel = await port('daily_traffic');
    await panel?.post({ type: 'draft', draft });
    await waitFor('● in the tab', () => jobTabs()[0] === '● Pandora Job daily_traffic');

    // Cancel: the close cannot be stopped, so the editor opens again with the edits (and ●).
    const asked = await closeAnswering('daily_traffic', [{ dismiss: true }]);
    assert.deepEqual(asked.asked.map((a) => [a.kind, a.title, a.items]), [['confirm', 'Do you want to save the changes you made to Pandora Job daily_traffic?', ['Save', "Don't Save"]]]);
    asked.assertDone();
    // The page got the edits with its init and reported them back: ● stays.
    await waitFor('the editor reopened', async () => (await port('daily_traffic'))?.pagePosted('draft') === true);
    assert.notEqual(await port('daily_traffic'), panel, 'a new panel');
    // The tab's label reaches this extension host as an event after the panel's title changed: wait for it.
    await waitFor('● on the reopened tab', () => jobTabs().length === 1 && jobTabs()[0] === '● Pandora Job daily_traffic');

    // Don't Save: gone, the job as it was.
    (await closeAnswering('daily_traffic', [{ button: "Don't Save" }])).assertDone();
    assert.deepEqual(jobTabs(), []);
    assert.equal(await port('daily_traffic'), undefined);
    assert.equal((await state()).pandora.jobs.daily_traffic.computation.code, original);

    // Save: the draft is saved after the tab closed.
    await openEditor('daily_traffic');
    await (await port('daily_traffic'))?.post({ type: 'draft', draft });
    await waitFor('● in the tab', () => jobTabs()[0] === '● Pandora Job daily_traffic');
    (await closeAnswering('daily_traffic', [{ button: 'Save' }])).assertDone();
    await waitFor('the closed editor saved its draft', async () => (await state()).pandora.jobs.daily_traffic.computation.code === draft.body.computation.code);
    assert.deepEqual(jobTabs(), []);
  });

  it('a Save that fails on close opens the editor again with the edits and the errors', async () => {
    const body = await openEditor('daily_traffic');
    const bad = { name: 'daily_traffic', body: { ...body, container: { type: '1U2G', count: 200 } } };
    await (await port('daily_traffic'))?.post({ type: 'draft', draft: bad });
    (await closeAnswering('daily_traffic', [{ button: 'Save' }])).assertDone();
    await waitFor('the editor reopened', async () => (await port('daily_traffic'))?.pagePosted('draft') === true);
    await waitFor('● on the reopened tab', () => jobTabs().length === 1 && jobTabs()[0] === '● Pandora Job daily_traffic');
    assert.notDeepEqual((await state()).pandora.jobs.daily_traffic.container, { type: '1U2G', count: 200 });
  });

  it('refuses a draft of the wrong shape and keeps the tab as it was', async () => {
    await openEditor('daily_traffic');
    assert.equal(await (await port('daily_traffic'))?.post({ type: 'draft', draft: { name: 'daily_traffic', body: { srcs: 'x' } } }), undefined);
    assert.deepEqual(jobTabs(), ['Pandora Job daily_traffic']);
  });
});
