// The `datahub upload` command as a user runs it: JSON summary, exit codes, and resume after kill -9.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli, cliKilledOnce } from '../helpers/cli';
import { SMALL_PARTS, useTempDir, useTestEmulator } from '../helpers/emulator';
import { heldRequests } from '../helpers/engine';
import { writeRandomFile } from '../helpers/files';

const MIB = 1024 * 1024;
/** DATAHUB_LONG_TESTS=1 runs the long version (more kills, a larger file). */
const LONG = process.env.DATAHUB_LONG_TESTS === '1';

interface State {
  objects: { subtask_id: string; file_name: string; md5: string; size: number }[];
  counters: { put_bytes: number };
}

/** Idle connections stay open this long: a CLI that leaves a socket open cannot exit before it. */
const IDLE_KEEP_ALIVE_MS = 30 * 60_000;

describe('datahub upload (CLI)', function () {
  // Each test runs the CLI as a process (TypeScript compiled as it loads): minutes on a loaded machine, not a limit.
  this.timeout(5 * 60_000);
  const emu = useTestEmulator(undefined, SMALL_PARTS, IDLE_KEEP_ALIVE_MS);
  const dir = useTempDir();

  it('uploads a 100 MiB file in parallel parts and prints the JSON summary; the stored md5 matches', async () => {
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: 'cli-big' });
    const file = writeRandomFile(dir.path, 'big.bin', 100 * MIB);
    const { done } = cli(['upload', file.path, '--subtask', 'cli-big', '--endpoint', emu.url, '--concurrency', '4', '--chunk-size', String(5 * MIB), '--json', '--state-dir', join(dir.path, 'state-big')]);
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout);
    assert.equal(summary.subtask_id, 'cli-big');
    assert.equal(summary.bytes, 100 * MIB);
    assert.equal(typeof summary.seconds, 'number');
    assert.deepEqual(summary.files.map((f: { size: number; md5: string; parts: number; status: string }) => [f.size, f.md5, f.parts, f.status]), [[100 * MIB, file.md5, 20, 'completed']]);
    const state = await emu.admin<State>('GET', '/_emulator/state');
    assert.equal(state.objects.find((o) => o.subtask_id === 'cli-big')?.md5, file.md5);
  });

  it('`datahub upload __proto__ b.txt` uploads both files and reports 2 of 2 truthfully', async () => {
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: 'cli-proto' });
    const folder = join(dir.path, 'proto');
    mkdirSync(folder);
    const proto = writeRandomFile(folder, '__proto__', 1000);
    const b = writeRandomFile(folder, 'b.txt', 2000);
    const result = await cli(['upload', proto.path, b.path, '--subtask', 'cli-proto', '--endpoint', emu.url, '--json', '--state-dir', join(dir.path, 'state-proto')]).done;
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as { files: { name: string; md5: string; status: string }[] };
    assert.deepEqual(summary.files.map((f) => [f.name, f.md5, f.status]), [['__proto__', proto.md5, 'completed'], ['b.txt', b.md5, 'completed']]);
    const state = await emu.admin<State & { subtasks: Record<string, { result: unknown }> }>('GET', '/_emulator/state');
    const stored = state.objects.filter((o) => o.subtask_id === 'cli-proto').map((o) => [o.file_name, o.md5]).sort();
    assert.deepEqual(stored, [['__proto__', proto.md5], ['b.txt', b.md5]], 'both files are really in the store');
    assert.deepEqual(state.subtasks['cli-proto'].result, { total_counts: 2, success_counts: 2 });
  });

  it('--part-content-type sends that Content-Type with every part, none by default', async () => {
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: 'cli-typed' });
    const file = writeRandomFile(dir.path, 'typed.bin', 100);
    const run = (extra: string[]) => cli(['upload', file.path, '--subtask', 'cli-typed', '--endpoint', emu.url, '--retries', '0', '--state-dir', join(dir.path, `state-typed${extra.length}`), ...extra]).done;
    await emu.admin('POST', '/_emulator/store', { datahub_content_type: 'application/octet-stream' });
    try {
      const plain = await run([]);
      assert.equal(plain.code, 1);
      assert.match(plain.stderr, /upload failed: the store refused part 1: SignatureDoesNotMatch — /);
      const typed = await run(['--part-content-type', 'application/octet-stream']);
      assert.equal(typed.code, 0, typed.stderr);
    } finally {
      await emu.admin('POST', '/_emulator/store', { datahub_content_type: null });
    }
  });

  it('exits 2 naming the problem when --subtask is missing or cannot be sent', async () => {
    const file = writeRandomFile(dir.path, 'small.bin', 10);
    const missing = await cli(['upload', file.path, '--endpoint', emu.url]).done;
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--subtask is required/);
    const blank = await cli(['upload', file.path, '--subtask', '  ', '--endpoint', emu.url]).done;
    assert.equal(blank.code, 2);
    const control = await cli(['upload', file.path, '--subtask', 'bad\nid', '--endpoint', emu.url]).done;
    assert.equal(control.code, 2);
    assert.match(control.stderr, /subtask_id.*control characters/);
    const badNumber = await cli(['upload', file.path, '--subtask', 'x', '--concurrency', 'many']).done;
    assert.equal(badNumber.code, 2);
    assert.match(badNumber.stderr, /--concurrency/);
  });

  it('exits 1 with the reason on stderr when the backend refuses, also for an id of any shape', async () => {
    const file = writeRandomFile(dir.path, 'refused.bin', 10);
    const result = await cli(['upload', file.path, '--subtask', 'unknown-subtask', '--endpoint', emu.url, '--retries', '0', '--state-dir', join(dir.path, 'state-refused')]).done;
    assert.equal(result.code, 1);
    assert.match(result.stderr, /upload failed: .*unknown-subtask/);
    // Not held to a pattern: the server answers an id with spaces (here: it does not know it).
    const odd = await cli(['upload', file.path, '--subtask', 'bad id', '--endpoint', emu.url, '--retries', '0', '--state-dir', join(dir.path, 'state-odd')]).done;
    assert.equal(odd.code, 1);
    assert.match(odd.stderr, /upload failed: .*no such subtask "bad id"/);
  });

  it('exits as soon as a failed upload is over: no kept-alive socket or timer holds the process open', async () => {
    // The emulator keeps an idle connection for 30 minutes: a CLI that leaves its sockets open lives until then, far past
    // the suite's timeout; one that closes them exits within seconds (minutes on a loaded machine).
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: 'cli-exit' });
    const file = writeRandomFile(dir.path, 'exit.bin', 8 * 64 * 1024);
    // The first part PUT is refused; the others are held unanswered: the upload fails while they are in flight.
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 1, error_rate: 1, status: 500 });
    try {
      const args = ['upload', file.path, '--subtask', 'cli-exit', '--endpoint', emu.url, '--retries', '0', '--concurrency', '4', '--chunk-size', String(64 * 1024)];
      const result = await cli([...args, '--state-dir', join(dir.path, 'state-exit')]).done;
      assert.equal(result.code, 1);
      assert.match(result.stderr, /upload failed: /);
    } finally {
      await emu.admin('DELETE', '/_emulator/faults');
    }
  });

  it('a second run of an upload that is running refuses, naming the pid that runs it; the first completes', async () => {
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: 'cli-twice' });
    const file = writeRandomFile(dir.path, 'twice.bin', 8 * 64 * 1024);
    const args = ['upload', file.path, '--subtask', 'cli-twice', '--endpoint', emu.url, '--concurrency', '1', '--chunk-size', String(64 * 1024), '--state-dir', join(dir.path, 'state-twice')];
    // The first run sends one part and is held on the second: it is running while the second starts.
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', hold_after: 1 });
    const first = cli(args);
    try {
      await heldRequests(emu.admin, 1);
      const second = await cli(args).done;
      assert.equal(second.code, 1);
      assert.match(second.stderr, new RegExp(`running in another datahub process \\(pid ${first.child.pid}\\)`));
    } finally {
      await emu.admin('DELETE', '/_emulator/faults');
    }
    const result = await first.done;
    assert.equal(result.code, 0, result.stderr);
    const state = await emu.admin<State>('GET', '/_emulator/state');
    assert.equal(state.objects.find((o) => o.subtask_id === 'cli-twice')?.md5, file.md5);
  });

  it('resumes after kill -9 at random points: the same command completes and re-sends at most the parts in flight', async () => {
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: 'cli-kill' });
    const chunk = 1 * MIB;
    const concurrency = 3;
    const kills = LONG ? 5 : 2;
    const file = writeRandomFile(dir.path, 'killed.bin', (LONG ? 120 : 40) * chunk + 100);
    const stateDir = join(dir.path, 'state-kill');
    const args = ['upload', file.path, '--subtask', 'cli-kill', '--endpoint', emu.url, '--concurrency', String(concurrency), '--chunk-size', String(chunk), '--json', '--state-dir', stateDir];
    const sent = async (): Promise<number> => (await emu.admin<State>('GET', '/_emulator/state')).counters.put_bytes;
    const base = await sent();
    await emu.admin('POST', '/_emulator/faults', { route: 'part_put', latency_ms: 150 });
    for (let k = 0; k < kills; k++) {
      // Each run is killed after a random 2–7 more parts have landed.
      const target = (await sent()) - base + chunk * (2 + Math.floor(Math.random() * 6));
      await cliKilledOnce(args, async () => (await sent()) - base >= target, 400, 50);
    }
    await emu.admin('DELETE', '/_emulator/faults');
    const last = await cli(args).done;
    assert.equal(last.code, 0, last.stderr);
    const state = await emu.admin<State>('GET', '/_emulator/state');
    assert.equal(state.objects.find((o) => o.subtask_id === 'cli-kill')?.md5, file.md5);
    assert.match(last.stdout, /cli-kill/);
    // Bytes sent beyond one copy of the file were re-sent: at most the parts in flight at each kill.
    const overhead = state.counters.put_bytes - base - file.data.length;
    assert.ok(overhead <= kills * concurrency * chunk, `re-sent ${overhead} bytes, more than ${concurrency} parts in flight at each of ${kills} kills`);
  });
});
