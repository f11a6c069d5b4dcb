// The `datahub download` command as a user runs it: JSON summary, overwrite refusal, exit codes, resume after kill -9.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, cliKilledOnce } from '../helpers/cli';
import { useTempDir, useTestEmulator } from '../helpers/emulator';
import { writeRandomFile } from '../helpers/files';

const KIB = 1024;

interface State {
  counters: { get_bytes: number };
}

describe('datahub download (CLI)', function () {
  this.timeout(5 * 60_000); // CLI processes (TypeScript compiled as they load): minutes on a loaded machine
  const emu = useTestEmulator();
  const dir = useTempDir();

  async function subtask(id: string, size: number, name: string) {
    const file = writeRandomFile(dir.path, `${id}-source.bin`, size);
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: id, input_file: { path: file.path, name } });
    return file;
  }

  it('downloads in parallel ranges, prints the JSON summary, and the file is byte-identical', async () => {
    const source = await subtask('cli-dl', 3 * 1024 * KIB + 5, 'input.bin');
    const out = join(dir.path, 'out-plain');
    const args = ['download', '--subtask', 'cli-dl', '--out', out, '--endpoint', emu.url, '--concurrency', '4', '--chunk-size', String(256 * KIB), '--json', '--state-dir', join(dir.path, 'state-plain')];
    const result = await cli(args).done;
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as { path: string; size: number; md5: string; parts: number; state: string };
    assert.deepEqual([summary.path, summary.size, summary.md5, summary.parts, summary.state], [join(out, 'input.bin'), source.data.length, source.md5, 13, 'completed']);
    assert.deepEqual(readFileSync(join(out, 'input.bin')), source.data);
    assert.ok(!existsSync(join(out, 'input.bin.part')));

    // Run again: the file exists now, and it is not overwritten without --overwrite.
    writeFileSync(join(out, 'input.bin'), 'edited locally');
    const refused = await cli(args).done;
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, new RegExp(`${join(out, 'input.bin').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} exists already.*--overwrite`));
    assert.equal(readFileSync(join(out, 'input.bin'), 'utf8'), 'edited locally');
    const replaced = await cli([...args, '--overwrite']).done;
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.deepEqual(readFileSync(join(out, 'input.bin')), source.data);
  });

  it('verifies a multipart ETag "<hex>-N" and says so in the JSON; says "checked by size only" when no part size reproduces it', async () => {
    const run = async (id: string, partSize: number) => {
      const source = writeRandomFile(dir.path, `${id}-source.bin`, 3 * 700 * KIB + 5);
      await emu.admin('POST', '/_emulator/subtasks', { subtask_id: id, input_file: { path: source.path, name: 'parts.bin', part_size: partSize } });
      const out = join(dir.path, `out-${id}`);
      const result = await cli(['download', '--subtask', id, '--out', out, '--endpoint', emu.url, '--chunk-size', String(256 * KIB), '--json', '--state-dir', join(dir.path, `state-${id}`)]).done;
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(readFileSync(join(out, 'parts.bin')), source.data);
      return JSON.parse(result.stdout) as { etag: string; integrity: string; integrity_note?: string };
    };
    const verified = await run('cli-composite', 256 * KIB);
    assert.match(verified.etag, /^"[0-9a-f]{32}-9"$/);
    assert.equal(verified.integrity, 'composite-md5');
    assert.equal(verified.integrity_note, undefined);
    // 700 KiB parts: not a size any likely client uses, so nothing reproduces the ETag.
    const unknown = await run('cli-odd-parts', 700 * KIB);
    assert.match(unknown.etag, /^"[0-9a-f]{32}-4"$/);
    assert.equal(unknown.integrity, 'size');
    assert.match(unknown.integrity_note ?? '', /checked by size only/);
  });

  it('exits 2 naming the problem for a missing --subtask or a bad number, 1 when the backend refuses', async () => {
    const missing = await cli(['download', '--endpoint', emu.url]).done;
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--subtask is required/);
    const badNumber = await cli(['download', '--subtask', 'x', '--chunk-size', 'big']).done;
    assert.equal(badNumber.code, 2);
    assert.match(badNumber.stderr, /--chunk-size/);
    const unknown = await cli(['download', '--subtask', 'no-such-subtask', '--endpoint', emu.url, '--out', join(dir.path, 'out-unknown'), '--state-dir', join(dir.path, 'state-unknown')]).done;
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no-such-subtask/);
    assert.ok(!existsSync(join(dir.path, 'out-unknown')), 'nothing written for a refused download');
  });

  it('resumes after kill -9 under injected faults: the same command completes byte-identical, re-fetching at most the ranges in flight', async () => {
    const chunk = 256 * KIB;
    const concurrency = 3;
    const source = await subtask('cli-dl-kill', 24 * chunk + 100, 'killed.bin');
    const out = join(dir.path, 'out-kill');
    const args = ['download', '--subtask', 'cli-dl-kill', '--out', out, '--endpoint', emu.url, '--concurrency', String(concurrency), '--chunk-size', String(chunk), '--json', '--state-dir', join(dir.path, 'state-kill'), '--retries', '40', '--stall-seconds', '1'];
    const base = (await emu.admin<State>('GET', '/_emulator/state')).counters.get_bytes;
    // Injected faults answer before any body byte, so they cost retries but no re-fetched bytes.
    const faults = [
      { route: 'download', error_rate: 0.2, status: 500 },
      { route: 'download', reset_rate: 0.1 },
      { route: 'download', hang_rate: 0.05 },
    ];
    await emu.admin('POST', '/_emulator/faults', [...faults, { route: 'download', latency_ms: 150 }]);
    await cliKilledOnce(args, async () => (await emu.admin<State>('GET', '/_emulator/state')).counters.get_bytes - base >= 6 * chunk, 200, 50);
    assert.ok(existsSync(join(out, 'killed.bin.part')), 'the .part is there to resume');
    assert.ok(!existsSync(join(out, 'killed.bin')), 'no final-name file before completion');
    const fetchedBefore = (await emu.admin<State>('GET', '/_emulator/state')).counters.get_bytes - base;
    assert.ok(fetchedBefore > 0 && fetchedBefore < source.data.length, `the first run fetched ${fetchedBefore} bytes`);
    await emu.admin('DELETE', '/_emulator/faults');
    await emu.admin('POST', '/_emulator/faults', faults);
    const second = await cli(args).done;
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(readFileSync(join(out, 'killed.bin')), source.data);
    const overhead = (await emu.admin<State>('GET', '/_emulator/state')).counters.get_bytes - base - source.data.length;
    assert.ok(overhead <= concurrency * chunk, `re-fetched ${overhead} bytes, more than ${concurrency} ranges in flight`);
  });
});
