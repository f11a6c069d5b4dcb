// Integration (real VS Code): media upload of a folder of masters, private blocks, a download by source id
// that waits for authorization, then composes the original — against the emulator (media backend + Kubo RPC).
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MediaNode } from '../../src/providers/mediaTree';
import { downloadCheckpoint } from '../../src/transfer/protocols/mediaDownload';
import { mediaViewState } from '../../src/transfer/protocols/mediaShared';
import type { TransferRecord } from '../../src/transfer/types';
import { admin, api, flatten, poller, ready, run, setCredentials, testing, transferItems, walk, workspace } from './helpers';

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
    for (const name of Object.keys(originals)) assert.ok(existsSync(join(folder, '.datahub-private', `${name}.private.json`)), `no private block for ${name}`);
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
    for (const name of Object.keys(originals)) assert.ok(uploads.some((i) => i.label === name && /^Done/.test(i.description) && i.contextValue.startsWith('mediaTransfer:completed:hash')), JSON.stringify(uploads));

    await privateBlocks();
    await download(sourceId);
  });

  /** Uploads the private blocks matched by name and lists them grouped by series name. */
  async function privateBlocks(): Promise<void> {
    const ids = await run<string[]>([{ open: [folder] }, { pickMany: 'as offered' }], 'datahub.media.uploadPrivate');
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
    assert.ok(items.some((i) => i.section === 'downloads' && i.description === 'Waiting for authorization' && i.contextValue.startsWith('mediaTransfer:running')), JSON.stringify(items));
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
});
