// The datahub-upload protocol end to end against the emulator: sizes, folders, faults, cancel, status reporting.
import * as assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprint } from '../../../src/transfer/fileFingerprint';
import { FileJournal } from '../../../src/transfer/journal';
import { expandLocalPaths } from '../../../src/transfer/localFiles';
import { DATAHUB_UPLOAD_KIND, type DatahubUploadCheckpoint } from '../../../src/transfer/protocols/datahubUpload';
import { readWhole } from '../../../src/transfer/protocols/datahubUploadFile';
import { uploadFileRows } from '../../../src/transfer/protocols/datahubUploadState';
import { asTransferOf, isTransferOf } from '../../../src/transfer/types';
import { SMALL_PARTS, useTempDir, useTestEmulator } from '../helpers/emulator';
import { useCleanup } from '../helpers/cleanup';
import { cancelAndSettle, heldRequests, pauseWhen, settleAfter, startUpload, uploadEngine } from '../helpers/engine';
import { writeRandomFile } from '../helpers/files';
import { until } from '../helpers/until';

/** DATAHUB_LONG_TESTS=1 runs the long versions of the reliability tests. */
const LONG = process.env.DATAHUB_LONG_TESTS === '1';

interface EmulatorState {
  objects: { subtask_id: string; file_name: string; size: number; md5: string }[];
  subtasks: Record<string, { status_history: { status: number }[]; heartbeats: number; result?: { total_counts: number; success_counts: number }; result_count?: number; completes?: { parts: { index: number }[] }[] }>;
  counters: { put_bytes: number; url_expired?: number };
  datahub: { uploads: { upload_id: string; subtask_id: string }[] };
}

/** How many parts of `file` the checkpoint records as sent. */
function partsDone(record: { checkpoint: DatahubUploadCheckpoint }, file: string): number {
  return Object.keys(record.checkpoint.files?.[file]?.etags ?? {}).length;
}

describe('datahub-upload protocol against the emulator', function () {
  this.timeout(60_000);
  const emu = useTestEmulator(undefined, SMALL_PARTS);
  const dir = useTempDir();
  const keep = useCleanup();
  let n = 0;

  async function newSubtask(): Promise<string> {
    const id = `unit-${++n}-${Date.now()}`;
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: id });
    return id;
  }

  async function upload(paths: string[], subtaskId: string, tuning = {}) {
    const { engine } = uploadEngine(emu.url, tuning);
    keep(engine);
    const record = await startUpload(engine, subtaskId, await expandLocalPaths(paths));
    return { engine, record };
  }

  const keepEngine = <T extends { engine: { dispose(): unknown } }>(made: T): T => {
    keep(made.engine);
    return made;
  };

  const state = () => emu.admin<EmulatorState>('GET', '/_emulator/state');

  for (const [label, size] of [['0 bytes', 0], ['1 byte', 1], ['exactly one chunk', 64 * 1024], ['one chunk + 1', 64 * 1024 + 1], ['many parts', 64 * 1024 * 13 + 777]] as const) {
    it(`uploads a file of ${label} and the stored md5 matches`, async () => {
      const subtask = await newSubtask();
      const file = writeRandomFile(dir.path, `f-${size}.bin`, size);
      const { engine, record } = await upload([file.path], subtask);
      const final = await engine.whenSettled(record);
      assert.equal(final.state, 'completed', final.error);
      const s = await state();
      const obj = s.objects.find((o) => o.subtask_id === subtask);
      assert.ok(obj, 'object stored');
      assert.equal(obj.size, size);
      assert.equal(obj.md5, file.md5);
      const sub = s.subtasks[subtask];
      assert.equal(sub.status_history[0].status, 1, 'status 1 at start');
      assert.deepEqual(sub.result, { total_counts: 1, success_counts: 1 });
      assert.equal(final.progress.bytesDone, size);
    });
  }

  it('uploads every file of a folder, named relative to the folder, and reports the counts', async () => {
    const subtask = await newSubtask();
    const folder = join(dir.path, 'batch');
    mkdirSync(join(folder, 'nested'), { recursive: true });
    const a = writeRandomFile(folder, 'a.csv', 100_000);
    const b = writeRandomFile(join(folder, 'nested'), 'b.csv', 3000);
    const { engine, record } = await upload([folder], subtask);
    const final = await engine.whenSettled(record);
    assert.equal(final.state, 'completed', final.error);
    const s = await state();
    const objects = s.objects.filter((o) => o.subtask_id === subtask).sort((x, y) => x.file_name.localeCompare(y.file_name));
    assert.deepEqual(objects.map((o) => [o.file_name, o.md5]), [['batch/a.csv', a.md5], ['batch/nested/b.csv', b.md5]]);
    assert.deepEqual(s.subtasks[subtask].result, { total_counts: 2, success_counts: 2 });
  });

  it('sends the files of a folder several at a time (fileConcurrency): four single-part PUTs are in flight at once', async () => {
    const subtask = await newSubtask();
    const folder = join(dir.path, 'parallel');
    mkdirSync(folder, { recursive: true });
    const files = Array.from({ length: 9 }, (_, i) => writeRandomFile(folder, `f${i}.bin`, 4096 + i));
    // No PUT is answered until the test says: only files sent at the same time can all be waiting at once.
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 0 });
    const { engine, record } = await upload([folder], subtask, { fileConcurrency: 4, partConcurrency: 1 });
    await heldRequests(emu.admin, 4);
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await engine.whenSettled(record);
    assert.equal(final.state, 'completed', final.error);
    const s = await state();
    const stored = new Map(s.objects.filter((o) => o.subtask_id === subtask).map((o) => [o.file_name, o.md5]));
    assert.deepEqual(files.map((_, i) => stored.get(`parallel/f${i}.bin`)), files.map((f) => f.md5));
    assert.deepEqual(s.subtasks[subtask].result, { total_counts: 9, success_counts: 9 });
  });

  it('resumes a folder from the journal a kill leaves behind (lines group-committed): no file the journal confirms is sent again', async () => {
    const subtask = await newSubtask();
    const folder = join(dir.path, 'killed');
    mkdirSync(folder, { recursive: true });
    const files = Array.from({ length: 12 }, (_, i) => writeRandomFile(folder, `f${String(i).padStart(2, '0')}.bin`, 4096 + i));
    const journalDir = join(dir.path, 'killed-journal');
    const journal = new FileJournal(journalDir);
    // Six PUTs are answered, the rest held: the others stay in flight while the journal takes the first six files' saves.
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 6 });
    const first = keepEngine(uploadEngine(emu.url, { fileConcurrency: 4, partConcurrency: 1 }, journal));
    const record = await startUpload(first.engine, subtask, await expandLocalPaths([folder]));
    await until('six files done', () => (Object.values(record.checkpoint.files ?? {}).filter((f) => f.done).length === 6 ? true : undefined));
    await heldRequests(emu.admin, 4);
    // What the disk holds once the writes under way have landed is what a kill now leaves: copied, then the first process goes.
    await journal.flush();
    const survivorDir = join(dir.path, 'killed-survivor');
    cpSync(journalDir, survivorDir, { recursive: true });
    const onDisk = await new FileJournal(survivorDir).load(record.id);
    const confirmed = Object.entries((onDisk?.checkpoint as DatahubUploadCheckpoint).files ?? {}).filter(([, f]) => f.done || Object.keys(f.etags ?? {}).length > 0);
    assert.equal(confirmed.length, 6, 'the six files the store confirmed are in the journal');
    await first.engine.dispose();
    await emu.admin('DELETE', '/_emulator/faults');
    const before = (await state()).counters.put_bytes;

    const second = keepEngine(uploadEngine(emu.url, { fileConcurrency: 4, partConcurrency: 1 }, new FileJournal(survivorDir)));
    const { interrupted } = await second.engine.restore();
    assert.deepEqual(interrupted.map((r) => r.id), [record.id]);
    const final = await settleAfter(second.engine, asTransferOf(DATAHUB_UPLOAD_KIND, interrupted[0]), 'resume');
    assert.equal(final.state, 'completed', final.error);
    const s = await state();
    const sentAgain = s.counters.put_bytes - before;
    const unconfirmed = files.filter((_, i) => !confirmed.some(([name]) => name === `killed/f${String(i).padStart(2, '0')}.bin`));
    assert.equal(sentAgain, unconfirmed.reduce((sum, f) => sum + f.data.length, 0), 'only the files the journal did not confirm are sent again');
    const stored = new Map(s.objects.filter((o) => o.subtask_id === subtask).map((o) => [o.file_name, o.md5]));
    assert.deepEqual(files.map((_, i) => stored.get(`killed/f${String(i).padStart(2, '0')}.bin`)), files.map((f) => f.md5));
  });

  it('reports each file of a folder in flight (its own bytes) and none once it settles: a row per file, from journal and progress', async () => {
    const subtask = await newSubtask();
    const folder = join(dir.path, 'rows');
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < 5; i++) writeRandomFile(folder, `f${i}.bin`, 4096 + i);
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 0 });
    const { engine, record } = await upload([folder], subtask, { fileConcurrency: 2, partConcurrency: 1 });
    await heldRequests(emu.admin, 2);
    const rows = await until('two files in flight', () => {
      const now = engine.get(record.id);
      const files = now && isTransferOf(DATAHUB_UPLOAD_KIND, now) ? uploadFileRows(now) : [];
      return files.filter((f) => f.state === 'uploading').length === 2 ? files : undefined;
    });
    assert.deepEqual(rows.map((f) => [f.name, f.state]), [['rows/f0.bin', 'uploading'], ['rows/f1.bin', 'uploading'], ['rows/f2.bin', 'queued'], ['rows/f3.bin', 'queued'], ['rows/f4.bin', 'queued']]);
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await engine.whenSettled(record);
    assert.equal(final.state, 'completed', final.error);
    assert.equal(final.progress.files, undefined, 'no file in flight once it settled');
    assert.deepEqual(uploadFileRows(asTransferOf(DATAHUB_UPLOAD_KIND, final)).map((f) => [f.state, f.done === f.size]), Array.from({ length: 5 }, () => ['completed', true]));
  });

  it('one failing file of a folder sent in parallel does not stop the others; the result counts it', async () => {
    const subtask = await newSubtask();
    const folder = join(dir.path, 'parallel-bad');
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < 6; i++) writeRandomFile(folder, `f${i}.bin`, 1000 + i);
    const { engine } = keepEngine(uploadEngine(emu.url, { fileConcurrency: 3 }));
    const selected = await Promise.all((await expandLocalPaths([folder])).map(async (f) => ({ ...(await fingerprint(f.path)), name: f.name })));
    // A seventh file that is gone by the time it is sent fails; the six others go.
    const files = [...selected.slice(0, 2), { path: join(folder, 'gone.bin'), name: 'parallel-bad/gone.bin', size: 10, mtimeMs: 0 }, ...selected.slice(2)];
    const record = engine.start(DATAHUB_UPLOAD_KIND, { subtaskId: subtask, files }, { label: 'x' });
    const final = await engine.whenSettled(record);
    assert.equal(final.state, 'failed');
    assert.match(final.error ?? '', /1 of 7 files failed — parallel-bad\/gone\.bin: /);
    assert.deepEqual((await state()).subtasks[subtask].result, { total_counts: 7, success_counts: 6 });
  });

  it('completes through 20 % failing part PUTs (500s, resets and hangs), each part once in complete', async () => {
    const subtask = await newSubtask();
    const parts = LONG ? 400 : 20;
    const file = writeRandomFile(dir.path, 'faulty.bin', 64 * 1024 * parts + 5);
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', reset_rate: 0.08 });
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', hang_rate: 0.04 });
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', error_rate: 0.09, status: 500 });
    const { engine, record } = await upload([file.path], subtask, { retries: 30, stallSeconds: 0.5 });
    const final = await engine.whenSettled(record);
    assert.equal(final.state, 'completed', final.error);
    const s = await state();
    assert.equal(s.objects.find((o) => o.subtask_id === subtask)?.md5, file.md5);
    const completes = s.subtasks[subtask].completes ?? [];
    const ok = completes[completes.length - 1];
    const indexes = ok.parts.map((p) => p.index);
    assert.equal(new Set(indexes).size, indexes.length, 'no part twice');
    assert.equal(indexes.length, parts + 1);
  });

  it('asks for new URLs only while the store says they expired, at most 3 times, counting each abandoned upload id; a retry completes', async () => {
    const subtask = await newSubtask();
    const file = writeRandomFile(dir.path, 'expiring.bin', 64 * 1024 * 6);
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', url_ttl_s: 0 });
    const { engine, record } = await upload([file.path], subtask, { partConcurrency: 1 });
    const failed = await engine.whenSettled(record);
    assert.equal(failed.state, 'failed');
    assert.match(failed.error ?? '', /the store refused part 1: AccessDenied — Request has expired .*still refused after 3 new URLs/);
    const cp = (failed.checkpoint.files ?? {})['expiring.bin'];
    const inits = (await state()).datahub.uploads.filter((u) => u.subtask_id === subtask).map((u) => u.upload_id);
    assert.equal(inits.length, 4, 'one init, then one per expiry, never more');
    assert.deepEqual([...(cp.abandoned ?? []), cp.uploadId], inits, 'every upload id but the current one is recorded as abandoned');

    await emu.admin('DELETE', '/_emulator/faults');
    const final = await settleAfter(engine, record, 'retry');
    assert.equal(final.state, 'completed', final.error);
    assert.equal((await state()).objects.find((o) => o.subtask_id === subtask)?.md5, file.md5);
  });

  it('fails with status 5 and a message naming the subtask when it is unknown', async () => {
    const file = writeRandomFile(dir.path, 'orphan.bin', 10);
    const { engine, record } = await upload([file.path], 'no-such-subtask');
    const final = await engine.whenSettled(record);
    assert.equal(final.state, 'failed');
    assert.match(final.error ?? '', /no-such-subtask|subtask/);
  });

  it('cancels without waiting for the parts in flight and reports status 4', async () => {
    const subtask = await newSubtask();
    const file = writeRandomFile(dir.path, 'slow.bin', 64 * 1024 * 8);
    // Every part PUT is held unanswered: only the cancel can end this upload.
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 0 });
    const { engine, record } = await upload([file.path], subtask, { partConcurrency: 2 });
    await heldRequests(emu.admin, 2);
    await cancelAndSettle(engine, record);
    const history = await until('status 4 reported', async () => {
      const statuses = (await state()).subtasks[subtask].status_history.map((h) => h.status);
      return statuses.at(-1) === 4 ? statuses : undefined;
    });
    assert.deepEqual(history, [1, 4]);
  });

  it('sends heartbeats while running', async () => {
    const subtask = await newSubtask();
    const file = writeRandomFile(dir.path, 'beat.bin', 64 * 1024 * 4);
    // The parts are held: the upload stays running, and heartbeats are all that reaches the subtask meanwhile.
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 0 });
    const { engine, record } = await upload([file.path], subtask, { heartbeatSeconds: 0.2, partConcurrency: 1 });
    await until('three heartbeats', async () => ((await state()).subtasks[subtask].heartbeats >= 3 ? true : undefined));
    assert.equal(engine.get(record.id)?.state, 'running');
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await engine.whenSettled(record.id);
    assert.equal(final.state, 'completed', final.error);
  });

  it('refuses a file that changes during the upload, clearly', async () => {
    const subtask = await newSubtask();
    const file = writeRandomFile(dir.path, 'changing.bin', 64 * 1024 * 4);
    // One part lands, the next is held; the file grows meanwhile.
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 1 });
    const { engine, record } = await upload([file.path], subtask, { partConcurrency: 1 });
    await until('one part sent', () => (partsDone(record, 'changing.bin') === 1 ? true : undefined));
    await heldRequests(emu.admin);
    appendFileSync(file.path, 'more');
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await engine.whenSettled(record.id);
    assert.equal(final.state, 'failed');
    assert.match(final.error ?? '', /changed/);
    assert.equal((await state()).objects.find((o) => o.subtask_id === subtask), undefined);
  });

  it('a small file sent from memory completes with exactly the bytes it read, though the file grows during the PUT', async () => {
    const subtask = await newSubtask();
    const file = writeRandomFile(dir.path, 'small-growing.bin', 3000);
    // Its one PUT is held; the file grows meanwhile. What was read, hashed and sent is one buffer: the store gets it.
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 0 });
    const { engine, record } = await upload([file.path], subtask);
    await heldRequests(emu.admin);
    appendFileSync(file.path, 'more');
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await engine.whenSettled(record.id);
    assert.equal(final.state, 'completed', final.error);
    assert.equal((await state()).objects.find((o) => o.subtask_id === subtask)?.md5, file.md5, 'the bytes read, not the file as it is now');
  });

  it('readWhole refuses a small file that is longer or shorter than when it was looked at, in one read', async () => {
    const file = writeRandomFile(dir.path, 'small-read.bin', 3000);
    const handle = await open(file.path, 'r');
    try {
      const entry = { path: file.path, name: 'small-read.bin', size: 3000, mtimeMs: 0 };
      assert.deepEqual(await readWhole(handle, entry), file.data);
      await assert.rejects(readWhole(handle, { ...entry, size: 2999 }), /is now longer than the 2999 bytes it had/);
      await assert.rejects(readWhole(handle, { ...entry, size: 3001 }), /ends at byte 3000, it had 3001/);
    } finally {
      await handle.close();
    }
  });

  it('refuses a file truncated during the upload at once, as "file changed during upload"', async () => {
    const subtask = await newSubtask();
    const file = writeRandomFile(dir.path, 'shrinking.bin', 64 * 1024 * 4);
    // One part lands, the next is held; the file is cut to half a part meanwhile.
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 1 });
    const { engine, record } = await upload([file.path], subtask, { partConcurrency: 1, retries: 5 });
    await until('one part sent', () => (partsDone(record, 'shrinking.bin') === 1 ? true : undefined));
    await heldRequests(emu.admin);
    truncateSync(file.path, 32 * 1024);
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await engine.whenSettled(record);
    assert.equal(final.state, 'failed');
    assert.match(final.error ?? '', /file changed during upload/);
    assert.equal((await state()).objects.find((o) => o.subtask_id === subtask), undefined);
  });

  it('retries a refused update_status 1 at the start, as the data is retried, and completes', async () => {
    const subtask = await newSubtask();
    const file = writeRandomFile(dir.path, 'status-retry.bin', 1000);
    // The first status call is held, then answered 503 when the faults are cleared: one transient refusal.
    await emu.admin('POST', '/_emulator/faults', { route: 'status', hold_after: 0 });
    const { engine, record } = await upload([file.path], subtask);
    await heldRequests(emu.admin);
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await engine.whenSettled(record);
    assert.equal(final.state, 'completed', final.error);
    assert.equal((await state()).subtasks[subtask].status_history[0].status, 1);
  });

  it('pauses (status 2) and resumes from the recorded ETags without re-sending them', async () => {
    const subtask = await newSubtask();
    const file = writeRandomFile(dir.path, 'pausable.bin', 64 * 1024 * 10);
    // Three parts land; the fourth is held (unread) when the pause comes, so no byte of it is counted.
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 3 });
    const { engine, record } = await upload([file.path], subtask, { partConcurrency: 1 });
    const paused = await pauseWhen(engine, record, 'three parts sent', (r) => partsDone(r, 'pausable.bin') === 3);
    assert.equal(paused.state, 'paused');
    const before = (await state()).counters.put_bytes;
    const donePartsAtPause = partsDone(paused, 'pausable.bin');
    assert.equal(donePartsAtPause, 3);
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await settleAfter(engine, record, 'resume');
    assert.equal(final.state, 'completed', final.error);
    const s = await state();
    assert.equal(s.objects.find((o) => o.subtask_id === subtask)?.md5, file.md5);
    assert.equal(s.counters.put_bytes - before, (10 - donePartsAtPause) * 64 * 1024);
    assert.deepEqual(s.subtasks[subtask].status_history.map((h) => h.status), [1, 2, 1]);
  });

  it('refuses to resume when the source file changed while paused', async () => {
    const subtask = await newSubtask();
    const file = writeRandomFile(dir.path, 'edited.bin', 64 * 1024 * 6);
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 2 });
    const { engine, record } = await upload([file.path], subtask, { partConcurrency: 1 });
    await pauseWhen(engine, record, 'two parts sent', (r) => partsDone(r, 'edited.bin') === 2);
    writeFileSync(file.path, 'different content');
    const final = await settleAfter(engine, record, 'resume');
    assert.equal(final.state, 'failed');
    assert.match(final.error ?? '', /changed.*Start the upload over/);
    assert.equal(final.errorKind, 'source-changed');
    // Retry now means: start over with the new content.
    await emu.admin('DELETE', '/_emulator/faults');
    const again = await settleAfter(engine, record, 'retry');
    assert.equal(again.state, 'completed', again.error);
    const stored = (await state()).objects.find((o) => o.subtask_id === subtask);
    assert.equal(stored?.size, 'different content'.length);
  });
});
