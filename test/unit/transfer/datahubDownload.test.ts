// The datahub-download protocol end to end against the emulator: sizes, faults, pause/resume, URL expiry, overwrite, cancel.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TransferEngine } from '../../../src/transfer/engine';
import { DATAHUB_DOWNLOAD, keepBothName } from '../../../src/transfer/protocols/datahubDownload';
import { md5FromEtag } from '../../../src/transfer/rangedDownload';
import { tempDir, useTempDir, useTestEmulator } from '../helpers/emulator';
import { cancelWithinASecond, downloadEngine, pauseAfter, settleAfter, sleep } from '../helpers/engine';
import { writeRandomFile } from '../helpers/files';

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
  let n = 0;

  /** A subtask whose input file is `size` random bytes; returns its id, the bytes and a fresh target folder. */
  async function subtaskWithInput(size: number, name = `input-${size}.bin`) {
    const id = `dl-${++n}-${Date.now()}`;
    const file = writeRandomFile(src.path, `${id}-${name}`, size);
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: id, input_file: { path: file.path, name } });
    return { id, name, data: file.data, md5: file.md5, folder: tempDir('datahub-dl-out-') };
  }

  function start(engine: TransferEngine, subtaskId: string, folder: string, fileName: string, overwrite = false) {
    return engine.add({ protocol: DATAHUB_DOWNLOAD, direction: 'download', label: fileName, localPath: join(folder, fileName), params: { subtaskId, folder, fileName, overwrite } });
  }

  const state = () => emu.admin<EmulatorState>('GET', '/_emulator/state');

  for (const [label, size] of [['0 bytes', 0], ['1 byte', 1], ['exactly one part', PART], ['one part + 1', PART + 1], ['many parts', PART * 13 + 777]] as const) {
    it(`downloads ${label} byte-identical, under the final name only, with no .part left`, async () => {
      const input = await subtaskWithInput(size);
      const engine = downloadEngine(emu.url);
      const record = start(engine, input.id, input.folder, input.name);
      const final = await engine.whenSettled(record.id);
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
    const engine = downloadEngine(emu.url, { retries: 40, stallSeconds: 0.3 });
    const record = start(engine, input.id, input.folder, input.name);
    const final = await engine.whenSettled(record.id);
    assert.equal(final.state, 'completed', final.error);
    assert.deepEqual(readFileSync(join(input.folder, input.name)), input.data);
  });

  it('pauses, keeps the .part, and on resume fetches only the missing ranges', async () => {
    const parts = 12;
    const input = await subtaskWithInput(PART * parts);
    await emu.admin('POST', '/_emulator/faults', { route: 'download', latency_ms: 150 });
    const engine = downloadEngine(emu.url, { partConcurrency: 1 });
    const record = start(engine, input.id, input.folder, input.name);
    const paused = await pauseAfter(engine, record.id, 800);
    assert.equal(paused.state, 'paused');
    const doneAtPause = (paused.checkpoint.done as number[]).length;
    assert.ok(doneAtPause > 0 && doneAtPause < parts, `parts done at pause: ${doneAtPause}`);
    assert.ok(existsSync(join(input.folder, `${input.name}.part`)), 'the .part stays for resume');
    assert.ok(!existsSync(join(input.folder, input.name)), 'no final-name file while unfinished');
    await sleep(300);
    const before = (await state()).counters.get_bytes;
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await settleAfter(engine, record.id, 'resume');
    assert.equal(final.state, 'completed', final.error);
    assert.deepEqual(readFileSync(join(input.folder, input.name)), input.data);
    assert.equal((await state()).counters.get_bytes - before, (parts - doneAtPause) * PART);
  });

  it('asks for a new URL when the presigned one expires mid-download, and completes', async () => {
    const input = await subtaskWithInput(PART * 10);
    await emu.admin('POST', '/_emulator/faults', [{ route: 'download', url_ttl_s: 1 }, { route: 'download', latency_ms: 300 }]);
    const expiredBefore = (await state()).counters.url_expired ?? 0;
    const engine = downloadEngine(emu.url, { partConcurrency: 1 });
    const record = start(engine, input.id, input.folder, input.name);
    setTimeout(() => void emu.admin('DELETE', '/_emulator/faults'), 2500);
    const final = await engine.whenSettled(record.id);
    assert.equal(final.state, 'completed', final.error);
    assert.deepEqual(readFileSync(join(input.folder, input.name)), input.data);
    assert.ok(((await state()).counters.url_expired ?? 0) > expiredBefore, 'a URL did expire during the download');
  });

  it('starts over when the object changed on the server while paused', async () => {
    const input = await subtaskWithInput(PART * 8);
    await emu.admin('POST', '/_emulator/faults', { route: 'download', latency_ms: 150 });
    const engine = downloadEngine(emu.url, { partConcurrency: 1 });
    const record = start(engine, input.id, input.folder, input.name);
    assert.equal((await pauseAfter(engine, record.id, 500)).state, 'paused');
    const replacement = writeRandomFile(src.path, `${input.id}-v2`, PART * 8);
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: input.id, input_file: { path: replacement.path, name: input.name } });
    await emu.admin('DELETE', '/_emulator/faults');
    const final = await settleAfter(engine, record.id, 'resume');
    assert.equal(final.state, 'completed', final.error);
    assert.deepEqual(readFileSync(join(input.folder, input.name)), replacement.data);
  });

  it('never replaces an existing file without overwrite, and replaces it with overwrite', async () => {
    const input = await subtaskWithInput(1000);
    const existing = join(input.folder, input.name);
    writeFileSync(existing, 'keep me');
    const engine1 = downloadEngine(emu.url);
    const r1 = start(engine1, input.id, input.folder, input.name, false);
    const failed = await engine1.whenSettled(r1.id);
    assert.equal(failed.state, 'failed');
    assert.match(failed.error ?? '', /exists already/);
    assert.equal(readFileSync(existing, 'utf8'), 'keep me');
    const engine2 = downloadEngine(emu.url);
    const r2 = start(engine2, input.id, input.folder, input.name, true);
    assert.equal((await engine2.whenSettled(r2.id)).state, 'completed');
    assert.deepEqual(readFileSync(existing), input.data);
  });

  it('refuses at the rename when a file appeared under the final name during the download', async () => {
    const input = await subtaskWithInput(PART * 6);
    await emu.admin('POST', '/_emulator/faults', { route: 'download', latency_ms: 200 });
    const engine = downloadEngine(emu.url, { partConcurrency: 1 });
    const record = start(engine, input.id, input.folder, input.name, false);
    await sleep(300);
    writeFileSync(join(input.folder, input.name), 'arrived meanwhile');
    const final = await engine.whenSettled(record.id);
    assert.equal(final.state, 'failed');
    assert.match(final.error ?? '', /exists already/);
    assert.equal(readFileSync(join(input.folder, input.name), 'utf8'), 'arrived meanwhile');
    assert.deepEqual(readFileSync(join(input.folder, `${input.name}.part`)), input.data, 'the verified .part is kept');
  });

  it('cancel stops within a second and deletes the .part; no final-name file ever appears', async () => {
    const input = await subtaskWithInput(PART * 10);
    await emu.admin('POST', '/_emulator/faults', { route: 'download', latency_ms: 300 });
    const engine = downloadEngine(emu.url, { partConcurrency: 2 });
    const record = start(engine, input.id, input.folder, input.name);
    let sawFinal = false;
    const watcher = setInterval(() => (sawFinal ||= existsSync(join(input.folder, input.name))), 20);
    await sleep(700);
    assert.ok(existsSync(join(input.folder, `${input.name}.part`)));
    await cancelWithinASecond(engine, record.id);
    await sleep(200);
    clearInterval(watcher);
    assert.equal(sawFinal, false);
    assert.deepEqual(readdirSync(input.folder), []);
  });

  it('fails clearly for a subtask without an input file', async () => {
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: 'dl-no-input' });
    const folder = tempDir('datahub-dl-out-');
    const engine = downloadEngine(emu.url);
    const final = await engine.whenSettled(start(engine, 'dl-no-input', folder, 'x.bin').id);
    assert.equal(final.state, 'failed');
    assert.match(final.error ?? '', /no input file/);
    assert.deepEqual(readdirSync(folder), []);
  });
});

describe('download naming helpers', () => {
  it('keepBothName inserts " (n)" before the extension, skipping taken names', async () => {
    const dir = tempDir();
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
