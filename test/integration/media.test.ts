// Integration (real VS Code): media upload of a folder of masters, private blocks, a download by source id
// that waits for authorization, then composes the original — against the emulator (media backend + Kubo RPC).
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MediaNode } from '../../src/providers/mediaTree';
import { encryptToPublicBlock } from '../../src/transfer/blocks/encrypt';
import { serializePrivateBlock } from '../../src/transfer/blocks/privateBlock';
import { downloadCheckpoint } from '../../src/transfer/protocols/mediaDownload';
import { mediaViewState } from '../../src/transfer/protocols/mediaShared';
import type { TransferRecord } from '../../src/transfer/types';
import { admin, api, emulatorUrl, flatten, poller, ready, run, setCredentials, testing, transferItems, walk, workspace } from './helpers';

const TOKEN = 'integration-media-token';

interface MediaState {
  media: { uploads: { id: number; source_id: number; status: number; hash: string; private: { status: number; hash: string } }[]; downloads: { id: number; source_id: number; status: number; status_history: number[] }[] };
}

interface ViewItem {
  section: string;
  label: string;
  description: string;
  contextValue: string;
}

/** The Downloads node of transfer `id`, as the view hands it to a context command. */
async function downloadNode(id: string): Promise<MediaNode> {
  const sections = await walk((await testing()).trees.media, 2);
  const downloads = sections.find((s) => (s.node as Extract<MediaNode, { kind: 'section' }>).section === 'downloads');
  const entry = downloads?.children?.find((e) => (e.node as Extract<MediaNode, { kind: 'task' }>).record?.id === id);
  assert.ok(entry, `no Downloads row for ${id}`);
  return entry.node as MediaNode;
}

/** Every item of the Media view under its section (uploads, downloads, private), as the view renders it. */
async function mediaItems(): Promise<ViewItem[]> {
  const sections = await walk((await testing()).trees.media, 3);
  return sections.flatMap((section) => {
    const name = (section.node as Extract<MediaNode, { kind: 'section' }>).section;
    return flatten(section.children ?? []).map((e) => ({ section: name, label: e.label, description: e.description ?? '', contextValue: e.contextValue ?? '' }));
  });
}

const waitFor = poller(60_000, 100);

async function settled(ids: string[]): Promise<TransferRecord[]> {
  const extension = await api();
  return waitFor(`transfers ${ids.join(', ')} to finish`, () => {
    const records = extension.transfers().filter((t) => ids.includes(t.id));
    return records.length === ids.length && records.every((r) => ['completed', 'failed', 'cancelled'].includes(r.state)) ? records : undefined;
  });
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('Media: IPFS public/private blocks in a real VS Code', function () {
  this.timeout(180_000);
  const folder = join(workspace, 'media-int', '仙剑奇侠传');
  const originals: Record<string, Buffer> = { 'ep01.mp4': randomBytes(1_500_000), 'ep02.mov': randomBytes(700_001) };

  before(async () => {
    await ready();
    mkdirSync(folder, { recursive: true });
    for (const [name, bytes] of Object.entries(originals)) writeFileSync(join(folder, name), bytes);
    writeFileSync(join(folder, 'notes.txt'), 'not a video');
    await setCredentials('media', [TOKEN]);
  });

  // One walk: each step needs what the one before made (the masters, then their private blocks, then a download).
  it('uploads the two videos of a folder (private blocks beside them), then the private blocks, then downloads one that composes to the original', async () => {
    // The two video files of the folder: tasks reach status 8 with their hash, private blocks are written beside them.
    // Explorer → right-click the folder → Upload Media Folder… → series id → every video file, as ticked.
    const ids = await run<string[]>([{ type: '77' }, { pickMany: 'as offered' }], 'datahub.media.uploadFolder', vscode.Uri.file(folder), [vscode.Uri.file(folder)]);
    assert.equal(ids.length, 2, 'only the two video files are uploaded');
    const records = await settled(ids);
    for (const r of records) assert.equal(r.state, 'completed', `${r.label}: ${r.error ?? ''}`);
    // The private blocks hold the keys: nothing of them is written into the working tree.
    assert.deepEqual(readdirSync(folder).sort(), ['ep01.mp4', 'ep02.mov', 'notes.txt']);
    const state = await admin<MediaState>('GET', '/_emulator/state');
    assert.equal(state.media.uploads.length, 2);
    for (const u of state.media.uploads) {
      assert.equal(u.status, 8);
      assert.match(u.hash, /^Qm/);
    }
    const ep01 = records.find((r) => r.label === 'ep01.mp4');
    const sourceId = Number(ep01 && mediaViewState(ep01).sourceId);
    assert.ok(sourceId > 0);
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('datahub')).includes(TOKEN), 'the media token leaked into settings');

    const items = await mediaItems();
    const uploads = items.filter((i) => i.section === 'uploads');
    assert.ok(uploads.some((i) => i.label === '仙剑奇侠传' && i.contextValue === 'mediaSeries'));
    for (const name of Object.keys(originals)) assert.ok(uploads.some((i) => i.label === name && /^Completed/.test(i.description) && i.contextValue.startsWith('mediaTransfer:completed:hash')), JSON.stringify(uploads));

    await privateBlocks();
    await download(sourceId);
  });

  /** Uploads the private blocks kept on this machine (no folder to name) and lists them grouped by series name. */
  async function privateBlocks(): Promise<void> {
    const ids = await run<string[]>([{ pickMany: 'as offered' }], 'datahub.media.uploadPrivate');
    assert.equal(ids.length, 2);
    for (const r of await settled(ids)) assert.equal(r.state, 'completed', `${r.label}: ${r.error ?? ''}`);
    const state = await admin<MediaState>('GET', '/_emulator/state');
    for (const u of state.media.uploads) assert.equal(u.private.status, 8);
    await vscode.commands.executeCommand('datahub.media.refresh');
    const items = await waitFor('the private block list', async () => {
      const all = await mediaItems();
      const priv = all.filter((i) => i.section === 'private');
      return priv.filter((i) => i.contextValue.startsWith('mediaPrivateTask:8:hash')).length === 2 ? priv : undefined;
    });
    assert.ok(items.some((i) => i.label === '仙剑奇侠传' && i.contextValue === 'mediaPrivateSeries'));
  }

  /** Downloads by source id, waits visibly for authorization, then composes the original byte for byte. */
  async function download(sourceId: number): Promise<void> {
    const dest = join(workspace, 'media-int', 'downloads');
    mkdirSync(dest, { recursive: true });
    const id = await run<string>([{ type: String(sourceId) }, { pick: 'Choose a folder…' }, { open: [dest] }], 'datahub.media.download');
    const extension = await api();
    await waitFor('the download to wait for authorization', () => extension.transfers().find((t) => t.id === id && t.progress.phase === 'waiting for authorization'));
    const items = await mediaItems();
    // The row started as "Source N" takes the file's name once the task names it, and offers Copy Source ID.
    const row = items.find((i) => i.section === 'downloads' && i.description === 'Waiting for authorization' && i.contextValue.startsWith('mediaTransfer:running'));
    assert.ok(row, JSON.stringify(items));
    assert.equal(row.label, 'ep01.mp4');
    assert.match(row.contextValue, /:source$/);
    const node = await downloadNode(id);
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('datahub.media.copySourceId', node);
    assert.equal(await vscode.env.clipboard.readText(), String(sourceId));
    assert.ok((await transferItems()).some((i) => i.id === id && i.description === 'Waiting for authorization'));

    const state = await admin<MediaState>('GET', '/_emulator/state');
    const task = state.media.downloads.find((d) => d.source_id === sourceId);
    assert.ok(task);
    await admin('POST', '/_emulator/media/authorize', { task_id: task.id });
    const [record] = await settled([id]);
    assert.equal(record.state, 'completed', record.error);
    const output = String(downloadCheckpoint(record).outputPath);
    assert.equal(output, join(dest, 'ep01.mp4'));
    assert.equal(sha256(readFileSync(output)), sha256(originals['ep01.mp4']));
    const after = await admin<MediaState>('GET', '/_emulator/state');
    assert.deepEqual(after.media.downloads.find((d) => d.id === task.id)?.status_history, [0, 4, 5, 6, 7, 8]);
  }

  it('moves a private block an earlier version left in .datahub-private/ out of the workspace, then uploads it from the key store', async () => {
    // A master uploaded by an earlier version: its task is done, its private block lies in the workspace.
    const series = join(workspace, 'media-legacy', '旧剧');
    const legacy = join(series, '.datahub-private');
    mkdirSync(legacy, { recursive: true });
    writeFileSync(join(series, 'old.mp4'), randomBytes(3000));
    const block = await encryptToPublicBlock(join(series, 'old.mp4'), join(workspace, 'media-legacy', 'old.public'), { name: 'old.mp4' });
    writeFileSync(join(legacy, 'old.mp4.private.json'), serializePrivateBlock(block));
    const taskId = await doneUploadTask('old.mp4', '旧剧');

    // Upload Private Blocks… finds it without asking for a folder: it was moved into the key store first.
    const ids = await run<string[]>([{ pickMany: 'as offered' }], 'datahub.media.uploadPrivate');
    for (const r of await settled(ids)) assert.equal(r.state, 'completed', `${r.label}: ${r.error ?? ''}`);
    const state = await admin<MediaState>('GET', '/_emulator/state');
    assert.equal(state.media.uploads.find((u) => u.id === taskId)?.private.status, 8);
    assert.equal(existsSync(legacy), false, 'the emptied .datahub-private/ was left in the workspace');
    assert.deepEqual(readdirSync(series), ['old.mp4']);
  });

  it('lists the backend\'s tasks, not the Transfers list: Clear Finished leaves them, each row asks the backend, a lost task shows its error on its row only, Remove from List can be undone', async () => {
    const t = await testing();
    const extension = await api();
    const series = join(workspace, 'media-log', '轩辕剑');
    mkdirSync(series, { recursive: true });
    writeFileSync(join(series, 'ep07.mp4'), randomBytes(200_000));
    const [uploadId] = await run<string[]>([{ type: '79' }, { pickMany: 'as offered' }], 'datahub.media.uploadFolder', vscode.Uri.file(series), [vscode.Uri.file(series)]);
    const [upload] = await settled([uploadId]);
    assert.equal(upload.state, 'completed', upload.error);
    const sourceId = Number(mediaViewState(upload).sourceId);

    // A download that waits for authorization, then is cancelled (the backend is told: status 9).
    const dest = join(workspace, 'media-log', 'downloads');
    mkdirSync(dest, { recursive: true });
    const downloadId = await run<string>([{ type: String(sourceId) }, { pick: 'Choose a folder…' }, { open: [dest] }], 'datahub.media.download');
    const waiting = await waitFor('the download to wait for authorization', () => extension.transfers().find((r) => r.id === downloadId && r.progress.phase === 'waiting for authorization'));
    const downloadTask = Number(mediaViewState(waiting).taskId);
    await vscode.commands.executeCommand('datahub.media.cancel', await downloadNode(downloadId));
    assert.equal((await settled([downloadId]))[0].state, 'cancelled');
    await waitFor('the backend to hear of the cancel', async () => (await admin<MediaState>('GET', '/_emulator/state')).media.downloads.find((d) => d.id === downloadTask)?.status === 9);

    // Transfers → Clear Finished: both transfers leave the Transfers list, not the Media view.
    await vscode.commands.executeCommand('datahub.transfers.clearFinished');
    await waitFor('the cleared transfers', () => !extension.transfers().some((r) => r.id === uploadId || r.id === downloadId));
    await vscode.commands.executeCommand('datahub.media.refresh');
    let items = await mediaItems();
    const uploaded = items.find((i) => i.section === 'uploads' && i.label === 'ep07.mp4');
    assert.ok(uploaded, JSON.stringify(items));
    assert.equal(uploaded.description, 'Completed');
    assert.match(uploaded.contextValue, /^mediaTask:8:hash:task:source$/);
    assert.ok(items.some((i) => i.section === 'uploads' && i.label === '轩辕剑' && i.contextValue === 'mediaSeries'), JSON.stringify(items));
    const cancelled = items.find((i) => i.section === 'downloads' && i.label === 'ep07.mp4' && i.contextValue.startsWith('mediaTask:9:'));
    assert.ok(cancelled, JSON.stringify(items));

    // The row shows what the backend says now: another client reported the task composing at 40 %.
    const form = new FormData();
    form.append('status', '7');
    form.append('percent', '40');
    const patched = await fetch(`${emulatorUrl}/api/v1/tasks/download/${downloadTask}/`, { method: 'PATCH', headers: { Token: TOKEN }, body: form });
    assert.ok(patched.ok, await patched.text());
    await vscode.commands.executeCommand('datahub.media.refresh');
    items = await mediaItems();
    assert.ok(items.some((i) => i.section === 'downloads' && i.label === 'ep07.mp4' && i.description === 'Composing · 40%'), JSON.stringify(items));

    // A task the backend no longer knows: its row says so in the one error row style; the view and the other rows stay.
    const lost = 987_654_321;
    t.mediaTaskLog.created('download', { id: lost, status: 4, percent: 10, series_id: 79, source_id: 1, source_name: 'lost.mp4', uuid: '', ip: '', file: '', name: '', size: 0, hash: '', created_at: '' }, {});
    try {
      await vscode.commands.executeCommand('datahub.media.refresh');
      items = await mediaItems();
      const lostRow = items.find((i) => i.label === 'lost.mp4');
      assert.ok(lostRow, JSON.stringify(items));
      assert.match(lostRow.description, /^Could not load: .*下载任务不存在/);
      assert.match(lostRow.contextValue, /:task:source$/);
      assert.ok(!items.some((i) => i.contextValue.startsWith('datahub.problem:')), 'a problem row replaced a section');
      assert.ok(items.some((i) => i.label === 'ep07.mp4' && i.description === 'Composing · 40%'), JSON.stringify(items));
    } finally {
      t.mediaTaskLog.remove('download', lost);
    }

    // Remove from List on the upload row: asks nothing, the row goes; Undo brings it back.
    const uploadsSection = (await walk(t.trees.media, 3)).find((s) => (s.node as Extract<MediaNode, { kind: 'section' }>).section === 'uploads');
    const row = flatten(uploadsSection?.children ?? []).find((e) => e.label === 'ep07.mp4');
    assert.ok(row);
    const before = t.notifications().length;
    assert.equal(await vscode.commands.executeCommand('datahub.media.removeFromList', row.node), true);
    assert.ok(!(await mediaItems()).some((i) => i.section === 'uploads' && i.label === 'ep07.mp4'), 'the removed row is still listed');
    const notice = await waitFor('the Undo notification', () => t.notifications().slice(before).find((n) => /^Removed ep07\.mp4 from the Media view/.test(n.message) && n.actions.includes('Undo')));
    assert.ok(t.pressNotification(notice.id, 'Undo'));
    await waitFor('the row back after Undo', async () => (await mediaItems()).some((i) => i.section === 'uploads' && i.label === 'ep07.mp4' && i.description === 'Completed'));
  });
});

/** An upload task at status 8, made through the media API as an earlier version of the extension did (api 002). */
async function doneUploadTask(sourceName: string, folderName: string): Promise<number> {
  const call = async (method: string, path: string, fields: Record<string, string>): Promise<{ data: { id: number } }> => {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    const response = await fetch(`${emulatorUrl}${path}`, { method, headers: { Token: TOKEN }, body });
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
    return (await response.json()) as { data: { id: number } };
  };
  const created = await call('POST', '/api/v1/tasks/upload/pbulic/', { series_id: '78', uuid: `legacy-${Date.now()}`, source_name: sourceName });
  const id = created.data.id;
  await call('PATCH', `/api/v1/tasks/upload/pbulic/${id}/`, { status: '8', percent: '100', name: sourceName, file: folderName, hash: 'QmTxvr8VXe37apeBjyPeAGZi5JiRSbwn8mr2DuuqR517Lo', size: '3000', ip: 'QmdUVasivefLGRkT4R9mzcp82Qoc47UBb5G9bHXdZkW3RP' });
  return id;
}
