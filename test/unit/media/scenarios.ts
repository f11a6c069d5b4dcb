// Media flows shared by the suites that run them against the emulator's Kubo subset and against a third-party
// IPFS node: a folder of masters up, their private blocks up, one master down and composed, byte for byte.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MediaStatus } from '../../../src/api/media/types';
import { PRIVATE_DIR } from '../../../src/transfer/blocks/privateBlock';
import { MEDIA_DOWNLOAD_KIND, WAITING_FOR_AUTHORIZATION, downloadCheckpoint } from '../../../src/transfer/protocols/mediaDownload';
import { MEDIA_PRIVATE_UPLOAD_KIND } from '../../../src/transfer/protocols/mediaPrivateUpload';
import { MEDIA_UPLOAD_KIND, mediaCheckpoint } from '../../../src/transfer/protocols/mediaUpload';
import type { TransferRecord } from '../../../src/transfer/types';
import type { MediaRig } from './harness';
import { until } from '../helpers/until';

export const IPFS_CID = '/usr/bin/ipfs_cid';

/** Kubo's CIDv0 of a file, as computed by an independent implementation (Debian package ipfs-cid). */
export function kuboCid(path: string): string {
  const out = execFileSync(IPFS_CID, [path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const match = /"CIDv0"\s*:\s*"(Qm[1-9A-HJ-NP-Za-km-z]{44})"/.exec(out);
  if (!match) throw new Error(`ipfs_cid printed no CIDv0: ${out}`);
  return match[1];
}

type Report = { status: number; fields: string[] };
export interface EmuState {
  media: {
    next_id: number;
    uploads: { id: number; source_id: number; source_name: string; status: number; status_history: number[]; hash: string; size: number; reports?: Report[]; private: { hash: string; status: number; reports?: Report[] } }[];
    downloads: { id: number; status_history: number[] }[];
    status_failures: { remaining: number; refused: number };
  };
}

export async function uploadMaster(rig: MediaRig, seriesId: number, path: string, name: string, folderName: string): Promise<TransferRecord> {
  const s = statSync(path);
  const record = rig.engine.start(MEDIA_UPLOAD_KIND, { seriesId, path, sourceName: name, folderName, size: s.size, mtimeMs: Math.floor(s.mtimeMs) }, { label: name, localPath: path, bytesTotal: s.size });
  return rig.engine.whenSettled(record);
}

/** One master of `size` random bytes uploaded from `work/<folderName>/<name>`, then its private block: ready to download. */
export async function uploadWithPrivateBlock(rig: MediaRig, work: string, seriesId: number, folderName: string, name: string, size: number): Promise<{ sourceId: number; original: Buffer }> {
  const folder = join(work, folderName);
  mkdirSync(folder);
  const original = randomBytes(size);
  writeFileSync(join(folder, name), original);
  const up = await uploadMaster(rig, seriesId, join(folder, name), name, folderName);
  assert.equal(up.state, 'completed', up.error);
  const sourceId = mediaCheckpoint(up).sourceId as number;
  const task = (await rig.client.listPrivateTasks()).tasks.find((t) => t.source_id === sourceId);
  assert.ok(task);
  await uploadStoredPrivateBlock(rig, task);
  return { sourceId, original };
}

/** The private block the upload stored under the task's uuid, uploaded from the key store. */
export async function uploadStoredPrivateBlock(rig: MediaRig, task: { id: number; series_id: number; uuid: string; source_name: string; file: string }): Promise<TransferRecord> {
  const bytes = await rig.keys.bytes(task.uuid);
  assert.ok(bytes, `no stored private block for ${task.source_name} (uuid ${task.uuid})`);
  const params = { taskId: task.id, seriesId: task.series_id, blockId: task.uuid, size: bytes.length, mtimeMs: 0, name: task.source_name, folderName: task.file };
  const settled = await rig.engine.whenSettled(rig.engine.start(MEDIA_PRIVATE_UPLOAD_KIND, params, { label: task.source_name }));
  assert.equal(settled.state, 'completed', settled.error);
  return settled;
}

/** Polls the transfer until it reaches `phase` (a state, not a sleep), for at most 20 s. */
export async function waitForPhase(rig: MediaRig, id: string, phase: string): Promise<void> {
  await until(`the transfer to reach ${phase}`, () => (rig.engine.get(id)?.progress.phase === phase ? true : undefined), 20_000);
}

/** Every status PATCH carried what api 002 requires once it exists: name, file and ip always, size from 3, hash at 8. */
export function assertReportFields(reports: Report[] | undefined): void {
  assert.ok(reports && reports.length > 0, 'no status report recorded');
  for (const r of reports) {
    const expected = ['name', 'file', 'ip', ...(r.status >= MediaStatus.Uploading && r.status !== MediaStatus.Error ? ['size'] : []), ...(r.status === MediaStatus.Done ? ['hash'] : [])];
    for (const field of expected) assert.ok(r.fields.includes(field), `status ${r.status} was reported without ${field}: ${r.fields.join(',')}`);
  }
}

/**
 * Two masters of `names` up from a folder `series`, their private blocks matched and up, then the first
 * one downloaded, waiting visibly for authorization, composed and equal to the original.
 */
export async function fullMediaFlow(rig: MediaRig, work: string, names: [string, string] = ['ep1.mp4', 'ep2.mp4'], series = '仙剑奇侠传'): Promise<{ sourceId: number; downloadTaskId: number }> {
  const folder = join(work, series);
  mkdirSync(folder);
  const originals = new Map([
    [names[0], randomBytes(700_000)],
    [names[1], randomBytes(1_300_001)],
  ]);
  for (const [name, bytes] of originals) writeFileSync(join(folder, name), bytes);

  const results = await Promise.all(names.map((name) => uploadMaster(rig, 42, join(folder, name), name, series)));
  for (const r of results) assert.equal(r.state, 'completed', r.error);
  // Private blocks in the key store, none in the working folder; staging cleaned up.
  assert.equal(existsSync(join(folder, PRIVATE_DIR)), false, 'a .datahub-private folder was written beside the masters');
  assert.deepEqual(readdirSync(folder).sort(), [...names].sort());
  const stored = await rig.keys.list();
  for (const r of results) assert.ok(stored.some((b) => b.uuid === mediaCheckpoint(r).uuid), `no stored block for ${r.label}`);
  assert.deepEqual(readdirSync(rig.staging), []);
  const ours = (s: EmuState) => s.media.uploads.filter((u) => names.includes(u.source_name));
  const state = await rig.admin<EmuState>('GET', '/_emulator/state');
  assert.equal(ours(state).length, 2);
  for (const u of ours(state)) {
    assert.equal(u.status, MediaStatus.Done);
    assert.deepEqual(u.status_history, [0, 1, 2, 3, 8]);
    assert.match(u.hash, /^Qm/);
    assertReportFields(u.reports);
  }
  const first = results.find((r) => r.label === names[0]);
  assert.ok(first);
  const sourceId = mediaCheckpoint(first).sourceId as number;

  // The private-block flow: list, match by name, add, PATCH.
  const tasks = (await rig.client.listPrivateTasks()).tasks.filter((t) => names.includes(t.source_name));
  assert.equal(tasks.length, 2);
  for (const task of tasks) await uploadStoredPrivateBlock(rig, task);
  // The block written to staging for the add is gone again.
  assert.deepEqual(readdirSync(rig.staging), []);
  for (const u of ours(await rig.admin<EmuState>('GET', '/_emulator/state'))) assertReportFields(u.private.reports);

  // Download: it waits, visibly, until the download is authorised.
  const dest = join(work, `${series}-downloads`);
  mkdirSync(dest);
  const record = rig.engine.start(MEDIA_DOWNLOAD_KIND, { sourceId, destDir: dest }, { label: `source ${sourceId}`, localPath: dest });
  await waitForPhase(rig, record.id, WAITING_FOR_AUTHORIZATION);
  assert.equal(rig.engine.get(record.id)?.state, 'running');
  const current = rig.engine.get(record.id);
  assert.ok(current);
  const downloadTaskId = downloadCheckpoint(current).taskId as number;
  await rig.admin('POST', '/_emulator/media/authorize', { task_id: downloadTaskId });
  const settled = await rig.engine.whenSettled(record);
  assert.equal(settled.state, 'completed', settled.error);
  const out = downloadCheckpoint(settled).outputPath as string;
  assert.equal(out, join(dest, names[0]));
  assert.ok(readFileSync(out).equals(originals.get(names[0]) as Buffer));
  // Nothing is in the destination but the original (no staging folder), and the public block's staging is gone.
  assert.deepEqual(readdirSync(dest), [names[0]]);
  assert.deepEqual(readdirSync(rig.staging), []);
  const after = await rig.admin<EmuState>('GET', '/_emulator/state');
  assert.deepEqual(after.media.downloads.find((d) => d.id === downloadTaskId)?.status_history, [0, 4, 5, 6, 7, 8]);
  return { sourceId, downloadTaskId };
}
