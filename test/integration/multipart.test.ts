// Integration (real VS Code): "Upload for Simulation Job…" against the emulated 004 backend — the object
// stored with the file's md5, the job confirmed with string numbers, the remembered job prefilled.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { admin, api, emulatorUrl, ready, run, transferItems, transferNode, waitFor, workspace, writeFile } from './helpers';

const JOB = { profile_name: 'Standard', version: 'v252', job_name: '集成测试', submitter: 'integration', thread_count: '8', priority: '2' };

/** Upload for Simulation Job… from the Explorer on `uri`, the six job fields typed in their steps; the transfer's id. */
function uploadForJob(uri: vscode.Uri, job = JOB): Promise<string> {
  const steps = [job.profile_name, job.version, job.job_name, job.submitter, job.thread_count, job.priority];
  return run<string>(steps.map((value) => ({ type: value })), 'datahub.uploadSimulation', uri, [uri]);
}

interface MpState {
  multipart: {
    uploads: { task_id: string; upload_id: string; state: string; chunk_size: number; total_chunks: number }[];
    objects: { task_id: string; object_key: string; size: number; md5: string }[];
    confirms: (typeof JOB & { task_id: string; master_object_key: string })[];
  };
}

interface Checkpoint {
  taskId?: string;
  uploadId?: string;
  completed?: boolean;
  confirmed?: boolean;
}

describe('Multipart: Upload for Simulation Job in a real VS Code', function () {
  this.timeout(90_000);

  before(async () => {
    await ready();
    assert.equal(vscode.workspace.getConfiguration('datahub').get('endpoints.multipart'), emulatorUrl);
  });
  afterEach(async () => admin('DELETE', '/_emulator/faults'));

  it('uploads a file in parts, completes it and confirms the job: the emulator has the object and the job', async () => {
    const file = writeFile('simulation-master.zip', 11 * 1024 * 1024 + 5);
    const extension = await api();
    const id = await uploadForJob(file.uri);
    assert.equal(typeof id, 'string');
    const done = await waitFor('the upload to complete', () => extension.transfers().find((t) => t.id === id && t.state === 'completed'), 60_000);
    assert.equal(done.protocol, 'multipart-upload');
    const cp = done.checkpoint as Checkpoint;
    assert.equal(cp.completed, true);
    assert.equal(cp.confirmed, true);
    const state = await admin<MpState>('GET', '/_emulator/state');
    const object = state.multipart.objects.find((o) => o.task_id === cp.taskId);
    assert.equal(object?.md5, file.md5);
    assert.equal(object?.size, 11 * 1024 * 1024 + 5);
    const confirm = state.multipart.confirms.find((c) => c.task_id === cp.taskId);
    assert.equal(confirm?.master_object_key, object?.object_key);
    assert.deepEqual(
      [confirm?.profile_name, confirm?.version, confirm?.job_name, confirm?.submitter, confirm?.thread_count, confirm?.priority],
      [JOB.profile_name, JOB.version, JOB.job_name, JOB.submitter, '8', '2'],
    );
    const item = (await transferItems()).find((i) => i.id === id);
    assert.match(item?.contextValue ?? '', /^transfer:completed:upload/);
  });

  it('asks for 004\'s own part size (datahub.multipart.partSize, 5 MB = 5242880 bytes), not the Datahub chunk size', async () => {
    const config = vscode.workspace.getConfiguration('datahub');
    await config.update('transfer.chunkSize', 1024 * 1024, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(config.get('multipart.partSize'), 5_242_880);
      const file = writeFile('simulation-part-size.zip', 11 * 1024 * 1024 + 5);
      const extension = await api();
      const id = await uploadForJob(file.uri);
      const done = await waitFor('the upload to complete', () => extension.transfers().find((t) => t.id === id && t.state === 'completed'), 60_000);
      const state = await admin<MpState>('GET', '/_emulator/state');
      const upload = state.multipart.uploads.find((u) => u.upload_id === (done.checkpoint as Checkpoint).uploadId);
      assert.deepEqual([upload?.chunk_size, upload?.total_chunks], [5_242_880, 3]);
      assert.equal(state.multipart.objects.find((o) => o.task_id === (done.checkpoint as Checkpoint).taskId)?.md5, file.md5);
    } finally {
      await config.update('transfer.chunkSize', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('cancel from the Transfers command aborts the upload on the server', async () => {
    // Every part is held: only the cancel can end the run, so its settling proves it does not wait for the parts.
    await admin('POST', '/_emulator/faults', { route: 'mp_part_put', hold_after: 0 });
    const file = writeFile('simulation-cancel.zip', 12 * 1024 * 1024);
    const extension = await api();
    const id = await uploadForJob(file.uri);
    const running = await waitFor('parts being sent', () => extension.transfers().find((t) => t.id === id && t.state === 'running' && t.progress.phase === 'uploading'));
    await vscode.commands.executeCommand('datahub.transfers.cancel', await transferNode(id));
    await waitFor('cancelled', () => extension.transfers().find((t) => t.id === id && t.state === 'cancelled'));
    const uploadId = (running.checkpoint as Checkpoint).uploadId ?? (extension.transfers().find((t) => t.id === id)?.checkpoint as Checkpoint).uploadId;
    await waitFor('the upload aborted at the emulator', async () => {
      const s = await admin<MpState>('GET', '/_emulator/state');
      return s.multipart.uploads.some((u) => u.upload_id === uploadId && u.state === 'aborted') || undefined;
    });
  });

  it('refuses a folder with a clear error and starts nothing', async () => {
    const folder = join(workspace, 'simulation-folder');
    mkdirSync(folder, { recursive: true });
    const extension = await api();
    const before = extension.transfers().length;
    // The error goes to a notification that does not hold the command open: it returns at once, with nothing started.
    const outcome = await run([], 'datahub.uploadSimulation', vscode.Uri.file(folder), [vscode.Uri.file(folder)]);
    assert.equal(outcome, undefined);
    assert.equal(extension.transfers().length, before, 'no transfer was started');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('asks the six job fields in steps, prefilled with the last job', async () => {
    const extension = await api();
    // The last job is this test's own: a first upload given the job remembers it.
    const seed = writeFile('simulation-seed.zip', 1024);
    const seeded = await uploadForJob(seed.uri);
    await waitFor('the seeding upload to finish', () => extension.transfers().find((t) => t.id === seeded && t.state !== 'running' && t.state !== 'queued'), 60_000);
    const file = writeFile('simulation-asked.zip', 4096);
    // Each step opens prefilled with the last job; Enter accepts it (an empty step would be refused).
    const id = await run<string>(Array.from({ length: 6 }, () => ({ accept: true as const })), 'datahub.uploadSimulation', file.uri, [file.uri]);
    assert.equal(typeof id, 'string', 'the command started a transfer after six steps');
    const done = await waitFor('completed', () => extension.transfers().find((t) => t.id === id && t.state === 'completed'), 60_000);
    const state = await admin<MpState>('GET', '/_emulator/state');
    const confirm = state.multipart.confirms.find((c) => c.task_id === (done.checkpoint as Checkpoint).taskId);
    assert.equal(confirm?.job_name, JOB.job_name);
    assert.equal(confirm?.thread_count, '8');
  });
});
