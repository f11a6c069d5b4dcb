// `datahub upload --protocol multipart` as a user runs it: JSON summary, usage errors, resume after kill -9.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { cli, cliKilledOnce } from '../helpers/cli';
import { SMALL_PARTS, useTempDir, useTestEmulator } from '../helpers/emulator';
import { writeRandomFile } from '../helpers/files';

const CHUNK = 64 * 1024;
const JOB_ARGS = ['--profile', 'Standard', '--version', 'v252', '--job-name', 'cli job', '--submitter', 'ci', '--threads', '8', '--priority', '2'];

interface MpState {
  counters: { put_bytes: number };
  multipart: {
    uploads: { task_id: string; file_size: number; parts: number[] }[];
    objects: { task_id: string; md5: string; size: number }[];
    confirms: { task_id: string; job_name: string; thread_count: string; priority: string }[];
  };
}

describe('datahub upload --protocol multipart (CLI)', function () {
  this.timeout(5 * 60_000); // CLI processes (TypeScript compiled as they load): minutes on a loaded machine
  const emu = useTestEmulator(['multipart'], SMALL_PARTS);
  const dir = useTempDir('mp-cli-files-');

  it('uploads, completes, confirms and prints the JSON summary', async () => {
    const file = writeRandomFile(dir.path, 'master.bin', CHUNK * 5 + 3);
    const result = await cli(['upload', '--protocol', 'multipart', file.path, ...JOB_ARGS, '--endpoint', emu.url, '--chunk-size', String(CHUNK), '--json', '--state-dir', join(dir.path, 'state-1')]).done;
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as { size: number; parts: number; state: string; task_id: string; job_id: string; completed: boolean; confirmed: boolean };
    assert.deepEqual([summary.size, summary.parts, summary.state, summary.completed, summary.confirmed], [file.data.length, 6, 'completed', true, true]);
    const s = await emu.admin<MpState>('GET', '/_emulator/state');
    assert.equal(s.multipart.objects.find((o) => o.task_id === summary.task_id)?.md5, file.md5);
    const confirm = s.multipart.confirms.find((c) => c.task_id === summary.task_id);
    assert.deepEqual([confirm?.job_name, confirm?.thread_count, confirm?.priority], ['cli job', '8', '2']);
  });

  it('exits 2 naming the problem for a missing or malformed job field and an unknown protocol', async () => {
    const file = writeRandomFile(dir.path, 'small.bin', 10);
    const base = ['upload', '--protocol=multipart', file.path, '--endpoint', emu.url, '--state-dir', join(dir.path, 'state-2')];
    const missing = await cli([...base, ...JOB_ARGS.slice(0, -2)]).done;
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--priority is required/);
    const words = await cli([...base, ...JOB_ARGS.slice(0, -4), '--threads', 'eight', '--priority', '2']).done;
    assert.equal(words.code, 2);
    assert.match(words.stderr, /thread_count: must be a whole number/);
    const unknown = await cli(['upload', '--protocol', 'ftp', file.path]).done;
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--protocol: expected datahub or multipart/);
  });

  it('after kill -9, the same command resumes and sends only the parts the server lacks', async () => {
    const parts = 16;
    const file = writeRandomFile(dir.path, 'killed.bin', CHUNK * parts);
    const args = ['upload', '--protocol', 'multipart', file.path, ...JOB_ARGS, '--endpoint', emu.url, '--chunk-size', String(CHUNK), '--concurrency', '2', '--json', '--state-dir', join(dir.path, 'state-3')];
    // Three parts are stored, the next ones are held (never read, never stored) when the CLI is killed without warning.
    await emu.admin('POST', '/_emulator/faults', { route: 'mp_part_put', hold_after: 3 });
    const ours = (u: { file_size: number }): boolean => u.file_size === CHUNK * parts;
    const landed = async (): Promise<boolean> => {
      const s = await emu.admin<MpState & { held_requests: number }>('GET', '/_emulator/state');
      return (s.multipart.uploads.find(ours)?.parts.length ?? 0) === 3 && s.held_requests > 0;
    };
    await cliKilledOnce(args, landed, 100, 100);
    await emu.admin('DELETE', '/_emulator/faults');
    const before = await emu.admin<MpState>('GET', '/_emulator/state');
    const stored = before.multipart.uploads.find(ours)?.parts.length ?? 0;
    assert.equal(stored, 3, `parts stored at the kill: ${stored}`);

    const second = await cli(args).done;
    assert.equal(second.code, 0, second.stderr);
    const summary = JSON.parse(second.stdout) as { task_id: string };
    const after = await emu.admin<MpState>('GET', '/_emulator/state');
    assert.deepEqual(after.multipart.uploads.filter(ours).map((u) => u.task_id), [summary.task_id], 'the same upload continued (no new init)');
    assert.equal(after.counters.put_bytes - before.counters.put_bytes, (parts - stored) * CHUNK);
    assert.equal(after.multipart.objects.find((o) => o.task_id === summary.task_id)?.md5, file.md5);
  });
});
