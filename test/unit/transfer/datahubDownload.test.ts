// The datahub-download protocol end to end against the emulator: sizes, faults, pause/resume, URL expiry, overwrite, cancel.
import * as assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TransferEngine } from '../../../src/transfer/engine';
import { keepBothName, type DatahubDownloadTuning } from '../../../src/transfer/protocols/datahubDownload';
import { md5FromEtag } from '../../../src/transfer/rangedDownload';
import { useCleanup } from '../helpers/cleanup';
import { useTempDir, useTestEmulator } from '../helpers/emulator';
import { cancelAndSettle, downloadEngine, heldRequests, pauseWhen, settleAfter, startDownload } from '../helpers/engine';
import { writeRandomFile } from '../helpers/files';
import { until } from '../helpers/until';

/** DATAHUB_LONG_TESTS=1 runs the long versions of the reliability tests. */
const LONG = process.env.DATAHUB_LONG_TESTS === '1';
const PART = 64 * 1024;

interface EmulatorState {
  counters: { get_bytes: number; url_expired?: number; downloads?: number };
}

describe('datahub-download protocol against the emulator', function () {
  this.timeout(60_000);
  const emu = useTestEmulator();
  const src = useTempDir('datahub-dl-src-');
  const out = useTempDir('datahub-dl-out-');
  const keep = useCleanup();
  const downloads = (tuning: Partial<DatahubDownloadTuning> = {}) => keep(downloadEngine(emu.url, tuning));
  const doneParts = (record: { checkpoint: { done?: unknown } }) => (Array.isArray(record.checkpoint.done) ? record.checkpoint.done.length : 0);
  let n = 0;

  /** A subtask whose input file is `size` random bytes; returns its id, the bytes and a fresh target folder. */
  async function subtaskWithInput(size: number, name = `input-${size}.bin`) {
    const id = `dl-${++n}-${Date.now()}`;
    const file = writeRandomFile(src.path, `${id}-${name}`, size);
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: id, input_file: { path: file.path, name } });
    return { id, name, data: file.data, md5: file.md5, folder: mkdtempSync(join(out.path, 'out-')) };
  }

  function start(engine: TransferEngine, subtaskId: string, folder: string, fileName: string, overwrite = false) {
    return startDownload(engine, subtaskId, folder, fileName, overwrite);
  }

  const state = () => emu.admin<EmulatorState>('GET', '/_emulator/state');

  for (const [label, size] of [['0 bytes', 0], ['1 byte', 1], ['exactly one part', PART], ['one part + 1', PART + 1], ['many parts', PART * 13 + 777]] as const) {
    it(`downloads ${label} byte-identical, under the final name only, with no .part left`, async () => {
      const input = await subtaskWithInput(size);
      const engine = downloads();
      const record = start(engine, input.id, input.folder, input.name);
      const final = await engine.whenSettled(record);
      assert.equal(final.state, 'completed', final.error);
      assert.deepEqual(readFileSync(join(input.folder, input.name)), input.data);
      assert.deepEqual(readdirSync(input.folder), [input.name]);
      assert.equal(final.progress.bytesDone, size);
      assert.equal(final.checkpoint.md5, input.md5, 'the ETag MD5 was checked');
    });
  }

  it('completes byte-identical through 500s, resets and hangs (cut by the stall timer)', async () => {
    const parts = LONG ? 300 : 30;
    const input = await subtaskWithInput(PART * parts + 123);
    await emu.admin('POST', '/_emulator/faults', [
      { route: 'download', error_rate: 0.2, status: 500 },
      { route: 'download', reset_rate: 0.1 },
      { route: 'download', hang_rate: 0.05 },
    ]);
    const engine = downloads({ retries: 40, stallSeconds: 0.3 });
    const record = start(engine, input.id, input.folder, input.name);
    const final = await engine.whenSettled(record);
    assert.equal(final.state, 'completed', final.error);
    assert.deepEqual(readFileSync(join(input.folder, input.name)), input.data);
  });

  it('pauses, keeps the .part, and on resume fetches only the missing ranges', async () => {
    const parts = 12;
    const input = await subtaskWithInput(PART * parts);
    // Four ranges arrive; the fifth is held (never served) when the pause comes.
    await emu.admin('POST', '/_emulator/faults', { route: 'download', hold_after: 4 });
    const engine = downloads({ partConcurrency: 1 });
    const record = start(engine, input.id, input.folder, input.name);
    const paused = await pauseWhen(engine, record, 'four ranges done', (r) => doneParts(r) === 4);
    assert.equal(paused.state, 'paused');
    const doneAtPause = doneParts(paused);
    assert.equal(doneAtPause, 4);
    assert.ok(existsSync(join(input.folder, `${input.name}.part`)), 'the .part stays for resume');
    assert.ok(!existsSync(join(input.folder, input.name)), 'no final-name file while unfinished');
    const before = (await state()).counters.get_bytes;
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await settleAfter(engine, record, 'resume');
    assert.equal(final.state, 'completed', final.error);
    assert.deepEqual(readFileSync(join(input.folder, input.name)), input.data);
    assert.equal((await state()).counters.get_bytes - before, (parts - doneAtPause) * PART);
  });

  it('asks for a new URL when the presigned one expires mid-download, and completes', async () => {
    const input = await subtaskWithInput(PART * 10);
    // Every URL issued while the fault is on has expired by the time it is used; once one was refused, URLs live again.
    await emu.admin('POST', '/_emulator/faults', { route: 'download', url_ttl_s: 0 });
    const expiredBefore = (await state()).counters.url_expired ?? 0;
    const engine = downloads({ partConcurrency: 1, retries: 30 });
    const record = start(engine, input.id, input.folder, input.name);
    await until('an expired URL refused', async () => (((await state()).counters.url_expired ?? 0) > expiredBefore ? true : undefined));
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await engine.whenSettled(record.id);
    assert.equal(final.state, 'completed', final.error);
    assert.deepEqual(readFileSync(join(input.folder, input.name)), input.data);
    assert.ok(((await state()).counters.url_expired ?? 0) > expiredBefore, 'a URL did expire during the download');
  });

  it('starts over when the object changed on the server while paused', async () => {
    const input = await subtaskWithInput(PART * 8);
    await emu.admin('POST', '/_emulator/faults', { route: 'download', hold_after: 3 });
    const engine = downloads({ partConcurrency: 1 });
    const record = start(engine, input.id, input.folder, input.name);
    assert.equal((await pauseWhen(engine, record, 'three ranges done', (r) => doneParts(r) === 3)).state, 'paused');
    const replacement = writeRandomFile(src.path, `${input.id}-v2`, PART * 8);
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: input.id, input_file: { path: replacement.path, name: input.name } });
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await settleAfter(engine, record, 'resume');
    assert.equal(final.state, 'completed', final.error);
    assert.deepEqual(readFileSync(join(input.folder, input.name)), replacement.data);
  });

  it('never replaces an existing file without overwrite, and replaces it with overwrite', async () => {
    const input = await subtaskWithInput(1000);
    const existing = join(input.folder, input.name);
    writeFileSync(existing, 'keep me');
    const engine1 = downloads();
    const r1 = start(engine1, input.id, input.folder, input.name, false);
    const failed = await engine1.whenSettled(r1);
    assert.equal(failed.state, 'failed');
    assert.match(failed.error ?? '', /exists already/);
    assert.equal(readFileSync(existing, 'utf8'), 'keep me');
    const engine2 = downloads();
    const r2 = start(engine2, input.id, input.folder, input.name, true);
    assert.equal((await engine2.whenSettled(r2)).state, 'completed');
    assert.deepEqual(readFileSync(existing), input.data);
  });

  it('never writes through a <name>.part that is a link or another file: refused, both left untouched', async function () {
    if (process.platform === 'win32') this.skip();
    const input = await subtaskWithInput(PART * 2);
    const victim = join(out.path, `victim-${input.id}.txt`);
    writeFileSync(victim, 'outside the folder');
    symlinkSync(victim, join(input.folder, `${input.name}.part`));
    const engine = downloads();
    const linked = await engine.whenSettled(start(engine, input.id, input.folder, input.name));
    assert.equal(linked.state, 'failed');
    assert.match(linked.error ?? '', /\.part already exists and is not this download's/);
    assert.equal(readFileSync(victim, 'utf8'), 'outside the folder');
    assert.equal(lstatSync(join(input.folder, `${input.name}.part`)).isSymbolicLink(), true);

    const other = await subtaskWithInput(PART * 2, 'other.bin');
    writeFileSync(join(other.folder, 'other.bin.part'), 'an unrelated file');
    const plain = await engine.whenSettled(start(engine, other.id, other.folder, other.name));
    assert.equal(plain.state, 'failed');
    assert.equal(readFileSync(join(other.folder, 'other.bin.part'), 'utf8'), 'an unrelated file');
    assert.equal(existsSync(join(other.folder, other.name)), false);
  });

  it('refuses at the rename when a file appeared under the final name during the download', async () => {
    const input = await subtaskWithInput(PART * 6);
    await emu.admin('POST', '/_emulator/faults', { route: 'download', hold_after: 1 });
    const engine = downloads({ partConcurrency: 1 });
    const record = start(engine, input.id, input.folder, input.name, false);
    await until('one range done', () => (doneParts(record) === 1 ? true : undefined));
    writeFileSync(join(input.folder, input.name), 'arrived meanwhile');
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await engine.whenSettled(record.id);
    assert.equal(final.state, 'failed');
    assert.match(final.error ?? '', /exists already/);
    assert.equal(readFileSync(join(input.folder, input.name), 'utf8'), 'arrived meanwhile');
    assert.deepEqual(readFileSync(join(input.folder, `${input.name}.part`)), input.data, 'the verified .part is kept');
  });

  it('cancel does not wait for the ranges in flight and deletes the .part; no final-name file appears', async () => {
    const input = await subtaskWithInput(PART * 10);
    // Two ranges arrive, the rest are held: only the cancel can end this download.
    await emu.admin('POST', '/_emulator/faults', { route: 'download', hold_after: 2 });
    const engine = downloads({ partConcurrency: 2 });
    const record = start(engine, input.id, input.folder, input.name);
    await until('two ranges done', () => (doneParts(record) === 2 ? true : undefined));
    await heldRequests(emu.admin, 2);
    assert.ok(existsSync(join(input.folder, `${input.name}.part`)));
    await cancelAndSettle(engine, record);
    await until('the .part removed', () => (readdirSync(input.folder).length === 0 ? true : undefined));
    assert.deepEqual(readdirSync(input.folder), []);
  });

  it('fails clearly for a subtask without an input file', async () => {
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: 'dl-no-input' });
    const folder = mkdtempSync(join(out.path, 'out-'));
    const engine = downloads();
    const final = await engine.whenSettled(start(engine, 'dl-no-input', folder, 'x.bin').id);
    assert.equal(final.state, 'failed');
    assert.match(final.error ?? '', /no input file/);
    assert.deepEqual(readdirSync(folder), []);
  });
});

describe('download naming helpers', () => {
  const temp = useTempDir();

  it('keepBothName inserts " (n)" before the extension, skipping taken names', async () => {
    const dir = temp.path;
    writeFileSync(join(dir, 'data.csv'), '');
    assert.equal(await keepBothName(dir, 'data.csv'), 'data (1).csv');
    writeFileSync(join(dir, 'data (1).csv'), '');
    assert.equal(await keepBothName(dir, 'data.csv'), 'data (2).csv');
    assert.equal(await keepBothName(dir, 'README'), 'README (1)');
  });

  it('md5FromEtag accepts a quoted MD5 only', () => {
    assert.equal(md5FromEtag('"0123456789ABCDEF0123456789abcdef"'), '0123456789abcdef0123456789abcdef');
    assert.equal(md5FromEtag('"0123456789abcdef0123456789abcdef-3"'), undefined);
    assert.equal(md5FromEtag('W/"0123456789abcdef0123456789abcdef"'), undefined);
    assert.equal(md5FromEtag(''), undefined);
  });
});
