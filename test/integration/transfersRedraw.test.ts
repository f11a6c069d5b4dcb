// Integration (real VS Code): the Transfers view is told to redraw only the rows whose look changed — never a finished
// row beside a running one, the running row's progress at most every 2 s, a pause at once — and each time with the
// very node object VS Code holds for the row: VS Code finds a fired row by its node object (not TreeItem.id), and
// reads it again with getTreeItem (seen here through the provider).
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { PROGRESS_REDRAW_MS } from '../../src/providers/transferRowSignature';
import type { TransfersNode } from '../../src/providers/transfersTree';
import type { TransferRecord } from '../../src/transfer/types';
import { admin, api, testing, uploadFromExplorer, waitFor, workspace, writeFile } from './helpers';

const MIB = 1024 * 1024;

interface Fire {
  at: number;
  /** The whole tree (`fire(undefined)`). */
  whole: boolean;
  nodes: TransfersNode[];
  /** The state of each fired transfer (or file of a folder upload) when it was fired. */
  states: string[];
}

type Provider = vscode.TreeDataProvider<TransfersNode>;

/** Records the provider's onDidChangeTreeData and every tree item asked of it (by VS Code: the test walks nothing meanwhile). */
function watchTree(provider: Provider): { fires: Fire[]; drawn: { at: number; node: TransfersNode }[]; dispose(): void } {
  const fires: Fire[] = [];
  const drawn: { at: number; node: TransfersNode }[] = [];
  const subscription = provider.onDidChangeTreeData?.((changed) => {
    const nodes = changed === undefined || changed === null ? [] : Array.isArray(changed) ? changed : [changed];
    fires.push({ at: Date.now(), whole: nodes.length === 0, nodes, states: nodes.map((n) => ('state' in n ? n.state : 'file' in n ? n.file.state : '')) });
  });
  const getTreeItem = provider.getTreeItem.bind(provider);
  provider.getTreeItem = (node) => {
    drawn.push({ at: Date.now(), node });
    return getTreeItem(node);
  };
  return {
    fires,
    drawn,
    dispose: () => {
      subscription?.dispose();
      Reflect.deleteProperty(provider, 'getTreeItem');
    },
  };
}

/** The provider's node of transfer `id`: the engine's record itself, the object VS Code holds for its row. */
async function liveRecord(provider: Provider, id: string): Promise<TransferRecord> {
  const node = ((await provider.getChildren()) ?? []).find((n) => n.id === id);
  assert.ok(node && 'state' in node, `no row ${id}`);
  return node;
}

describe('Transfers view: only the rows whose look changed are redrawn', function () {
  this.timeout(120_000);
  const config = () => vscode.workspace.getConfiguration('datahub.transfer');

  before(async () => {
    await api();
    // The view is shown, so that VS Code holds its rows and reads a fired one again.
    await vscode.commands.executeCommand('datahub.transfers.focus');
    await config().update('chunkSize', MIB, vscode.ConfigurationTarget.Global);
    await config().update('partConcurrency', 2, vscode.ConfigurationTarget.Global);
    await admin('POST', '/_emulator/store', { min_part_size: 0 });
  });
  afterEach(async () => admin('DELETE', '/_emulator/faults'));
  after(async () => {
    await config().update('chunkSize', undefined, vscode.ConfigurationTarget.Global);
    await config().update('partConcurrency', undefined, vscode.ConfigurationTarget.Global);
    await config().update('fileConcurrency', undefined, vscode.ConfigurationTarget.Global);
  });

  it('while an upload runs beside a finished one: the finished row is never fired, the running row at most every 2 s', async () => {
    const extension = await api();
    const provider = (await testing()).trees.transfers;
    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-redraw-done' });
    const doneId = await uploadFromExplorer(writeFile('redraw-done.bin', 1000).uri, 'int-redraw-done');
    await waitFor('the first upload to finish', () => extension.transfers().find((t) => t.id === doneId && t.state === 'completed'));
    const done = await liveRecord(provider, doneId);
    // 1 MiB parts, two at a time, each answered 400 ms late: some 15 s of progress, several engine events a second.
    await admin('POST', '/_emulator/faults', { route: 'part_put', latency_ms: 400 });
    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-redraw-run' });
    const runId = await uploadFromExplorer(writeFile('redraw-run.bin', 64 * MIB).uri, 'int-redraw-run');
    const running = await liveRecord(provider, runId);
    // engine.list() gives the same record objects every time (not copies): what the view holds is what is fired.
    assert.equal(await liveRecord(provider, runId), running);
    assert.equal(await liveRecord(provider, doneId), done);

    await waitFor('the upload to send its parts', () => (running.state === 'running' && running.progress.phase === 'uploading') || undefined);
    const watch = watchTree(provider);
    const start = Date.now();
    const seen = new Set<string>();
    try {
      await waitFor(
        'the upload to finish',
        () => {
          if (running.state === 'running') seen.add(`${running.progress.bytesDone} ${running.progress.bytesPerSecond} ${running.progress.etaSeconds}`);
          return running.state === 'completed' || undefined;
        },
        90_000,
      );
      const completion = watch.fires.find((f) => f.nodes.includes(running) && f.states[f.nodes.indexOf(running)] === 'completed');
      const end = completion?.at ?? Date.now();
      const during = watch.fires.filter((f) => f.at <= end);
      const progress = during.filter((f) => f.nodes.includes(running) && f.states[f.nodes.indexOf(running)] === 'running');
      const seconds = (end - start) / 1000;

      assert.deepEqual(
        during.filter((f) => f.whole).map((f) => f.at - start),
        [],
        'no whole-tree redraw while only progress changes',
      );
      assert.ok(!during.some((f) => f.nodes.includes(done)), 'the finished row is never fired');
      assert.ok(completion, 'the completion is fired');
      assert.deepEqual(completion.nodes, [running], 'the completion redraws the running row alone');
      assert.ok(seen.size >= 10, `the upload moved (${seen.size} progress values)`);
      assert.ok(progress.length >= 1, 'the running row is redrawn while it runs');
      assert.ok(progress.length <= Math.floor((end - start) / PROGRESS_REDRAW_MS) + 1, `${progress.length} redraws in ${seconds} s`);
      for (let i = 1; i < progress.length; i++) assert.ok(progress[i].at - progress[i - 1].at >= PROGRESS_REDRAW_MS - 5, `redraws ${progress[i].at - progress[i - 1].at} ms apart`);
      // VS Code found the fired row by its object and read it again; the finished row it never read again.
      await waitFor('VS Code to read the fired row again', () => watch.drawn.some((d) => d.node === running && d.at >= (progress[0]?.at ?? end)) || undefined);
      assert.ok(!watch.drawn.some((d) => d.node === done && d.at <= end), 'VS Code read the finished row again');
    } finally {
      watch.dispose();
    }
  });

  it('a pause redraws the row at once, even right after a progress redraw', async () => {
    const provider = (await testing()).trees.transfers;
    // Two parts land, the rest are held: it runs until paused.
    await admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 2 });
    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-redraw-pause' });
    const id = await uploadFromExplorer(writeFile('redraw-pause.bin', 8 * MIB).uri, 'int-redraw-pause');
    const running = await liveRecord(provider, id);
    await waitFor('the upload to send its parts', () => (running.state === 'running' && running.progress.phase === 'uploading') || undefined);
    const watch = watchTree(provider);
    try {
      // Paused as soon as its row is redrawn for progress: a progress redraw would not come for 2 s now.
      await waitFor('a progress redraw', () => watch.fires.some((f) => f.nodes.includes(running)) || undefined);
      await vscode.commands.executeCommand('datahub.transfers.pause', running);
      // Watched on every turn of the event loop: the first turn that sees the state paused must see its redraw too.
      const deadline = Date.now() + 30_000;
      while (running.state !== 'paused' && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(running.state, 'paused');
      const paused = watch.fires.filter((f) => f.nodes.includes(running) && f.states[f.nodes.indexOf(running)] === 'paused');
      assert.deepEqual(
        paused.map((f) => ({ whole: f.whole, nodes: f.nodes.map((n) => n.id) })),
        [{ whole: false, nodes: [id] }],
        'the pause is redrawn in the same turn as it happens, the row alone',
      );
    } finally {
      watch.dispose();
      await vscode.commands.executeCommand('datahub.transfers.cancel', running);
    }
  });

  it("a folder's file rows: the same node per file on every ask, each fired alone, progress at most every 2 s, a completed file never again", async () => {
    const provider = (await testing()).trees.transfers;
    // One file at a time, 1 MiB parts answered 300 ms late: each file goes from queued to completed in turn.
    await config().update('fileConcurrency', 1, vscode.ConfigurationTarget.Global);
    await admin('POST', '/_emulator/faults', { route: 'part_put', latency_ms: 300 });
    await admin('POST', '/_emulator/subtasks', { subtask_id: 'int-redraw-folder' });
    const folder = join(workspace, 'int-redraw-folder');
    mkdirSync(folder, { recursive: true });
    for (const name of ['a.bin', 'b.bin', 'c.bin']) writeFileSync(join(folder, name), randomBytes(8 * MIB));
    const id = await uploadFromExplorer(vscode.Uri.file(folder), 'int-redraw-folder');
    const record = await liveRecord(provider, id);
    // What VS Code does when the row is expanded: asks for its children, then for each one's tree item.
    const files = (await provider.getChildren(record)) ?? [];
    assert.equal(files.length, 3);
    for (const file of files) await provider.getTreeItem(file);
    const again = (await provider.getChildren(record)) ?? [];
    assert.ok(again.length === 3 && again.every((node, i) => node === files[i]), 'the same node object for each file on every ask');
    const watch = watchTree(provider);
    try {
      await waitFor('the folder upload to finish', () => record.state === 'completed' || undefined, 90_000);
      const end = watch.fires.find((f) => f.nodes.includes(record) && f.states[f.nodes.indexOf(record)] === 'completed')?.at ?? Date.now();
      const during = watch.fires.filter((f) => f.at <= end);
      assert.deepEqual(
        during.filter((f) => f.whole).map((f) => f.at),
        [],
        'no whole-tree redraw: the files under the row stay the same',
      );
      for (const fire of during) for (const node of fire.nodes) assert.ok(node === record || files.includes(node), `fired ${node.id}, a node VS Code was not given`);
      for (const file of files) {
        const fired = during.flatMap((f) => f.nodes.flatMap((n, i) => (n === file ? [{ at: f.at, state: f.states[i] }] : [])));
        assert.equal(fired.filter((f) => f.state === 'completed').length, 1, `${file.id} is redrawn once when it completes: ${JSON.stringify(fired)}`);
        assert.equal(fired.at(-1)?.state, 'completed', `${file.id} is never redrawn after it completed: ${JSON.stringify(fired)}`);
        for (let i = 1; i < fired.length; i++) {
          if (fired[i].state === fired[i - 1].state) assert.ok(fired[i].at - fired[i - 1].at >= PROGRESS_REDRAW_MS - 5, `${file.id}: progress redraws ${fired[i].at - fired[i - 1].at} ms apart`);
        }
      }
    } finally {
      watch.dispose();
    }
  });
});
