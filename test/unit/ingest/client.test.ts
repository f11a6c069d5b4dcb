// The ingest client against the in-process emulator: every endpoint of api 001 and its error paths.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, ValidationError } from '../../../src/api/errors';
import { IngestClient, type IngestCredentials } from '../../../src/api/ingest/client';
import { FileStatus, SourceType, TaskStatus, type ConnectorInput, type LoadTask } from '../../../src/api/ingest/types';
import { silentLogger } from '../../../src/api/logger';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import { until } from '../helpers/until';

const CREDS: IngestCredentials = { userId: 'u1', accessToken: 't0k', uid: 'abc-ws:alice:accountadmin' };

async function rejects(promise: Promise<unknown>, check: (err: unknown) => boolean): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    assert.ok(check(err), `unexpected error: ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

const apiCode = (code: string, status?: number) => (err: unknown) => err instanceof ApiError && err.code === code && (status === undefined || err.httpStatus === status);
const field = (name: string) => (err: unknown) => err instanceof ValidationError && err.field === name;

describe('ingest client (api 001) against the emulator', function () {
  let emulator: RunningEmulator;
  let dir: string;
  let creds: IngestCredentials;
  let client: IngestClient;

  const oss = (over: Partial<ConnectorInput> = {}): ConnectorInput => ({
    name: 'my-oss', sourceType: SourceType.OSS, endpoint: 'oss-cn-hangzhou.aliyuncs.com', accessKeyId: 'AK1', accessKeySecret: 'S3CRET', bucketName: 'sample-bucket', ...over,
  });
  const admin = async (path: string, body: unknown): Promise<void> => {
    const res = await fetch(emulator.url + path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    assert.equal(res.status, 200, await res.text());
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ingest-'));
    emulator = await startEmulator({ dataDir: dir });
  });
  after(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await admin('/_emulator/reset', {});
    await admin('/_emulator/seed', {});
    await admin('/_emulator/ingest', { tick_ms: 40, bytes_per_second: 1024 * 1024 * 1024 });
    creds = { ...CREDS };
    client = new IngestClient({ baseUrl: () => emulator.url, credentials: async () => creds, logger: silentLogger });
  });

  describe('connectors', () => {
    it('lists the seeded connectors with the secret dropped and the related task count kept', async () => {
      const { connectors, total } = await client.listConnectors();
      assert.equal(total, 2);
      const byName = new Map(connectors.map((c) => [c.name, c]));
      const o = byName.get('oss-sample');
      const s = byName.get('s3-sample');
      assert.ok(o && s);
      assert.equal(o.sourceType, 4);
      assert.equal(o.bucketName, 'sample-bucket');
      assert.equal(o.secretSet, true);
      assert.equal(o.relatedTaskCount, 1);
      assert.equal(s.sourceType, 5);
      assert.equal(s.region, 'us-east-1');
      assert.equal(s.pathStyle, true);
      assert.ok(!JSON.stringify(connectors).includes('sample-secret-do-not-show'), 'the secret must not survive the client');
    });

    it('receives related_task_ids as bare 19-digit JSON numbers, as the document shows', async () => {
      const res = await fetch(emulator.url + '/connectors/list', { headers: { 'user-id': 'u', 'Access-Token': 't', uid: 'x:admin:y' } });
      const text = await res.text();
      const wire = /"related_task_ids":\[(\d{19})\]/.exec(text);
      assert.ok(wire, text);
      // ...and the client keeps every digit of them.
      const { connectors } = await client.listConnectors();
      assert.ok(connectors.some((c) => c.relatedTaskIds.includes(wire[1])), `${wire[1]} kept exactly`);
    });

    it('creates OSS and S3 connectors and refuses a duplicate name', async () => {
      await client.createConnector(oss());
      await client.createConnector(oss({ name: 'my-s3', sourceType: SourceType.S3, region: 'eu-west-1', pathStyle: false, bucketName: 's3-bucket' }));
      const { connectors } = await client.listConnectors();
      const created = connectors.find((c) => c.name === 'my-s3');
      assert.equal(created?.region, 'eu-west-1');
      assert.equal(created?.pathStyle, false);
      assert.equal(connectors.find((c) => c.name === 'my-oss')?.username, 'alice');
      await rejects(client.createConnector(oss()), apiCode('ALREADY_EXISTS', 409));
    });

    it('refuses missing and malformed fields before sending, naming the field', async () => {
      await rejects(client.createConnector(oss({ endpoint: '' })), field('endpoint'));
      await rejects(client.createConnector(oss({ accessKeySecret: '' })), field('accessKeySecret'));
      await rejects(client.createConnector(oss({ bucketName: 'Bad_Bucket' })), field('bucketName'));
      await rejects(client.createConnector(oss({ sourceType: SourceType.S3 })), field('region'));
      await rejects(client.createConnector(oss({ name: '  ' })), field('name'));
      assert.equal((await client.listConnectors()).total, 2, 'nothing was created');
    });

    it('the emulator itself refuses a config missing a required field (envelope error)', async () => {
      const res = await fetch(emulator.url + '/connectors', {
        method: 'POST',
        headers: { 'user-id': 'u', 'Access-Token': 't', uid: 'x', 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'x', source_type: 5, config: { s3: { endpoint: 'e', access_key_id: 'a', access_key_secret: 's', bucket_name: 'b' } } }),
      });
      assert.equal(res.status, 400);
      const body = (await res.json()) as { code: string; msg: string };
      assert.equal(body.code, 'INVALID_ARGUMENT');
      assert.match(body.msg, /config\.s3\.region/);
    });

    it('validates by id and by config: valid when the bucket exists', async () => {
      const { connectors } = await client.listConnectors();
      const o = connectors.find((c) => c.name === 'oss-sample');
      assert.ok(o);
      assert.equal(await client.validateConnector({ connectorId: o.id, sourceType: 4 }), true);
      assert.equal(await client.validateConnector({ input: oss() }), true);
      assert.equal(await client.validateConnector({ input: oss({ bucketName: 'no-such-bucket' }) }), false);
      await rejects(client.validateConnector({ connectorId: 999, sourceType: 4 }), apiCode('NOT_FOUND', 404));
      await rejects(client.validateConnector({ connectorId: o.id, sourceType: 5 }), apiCode('INVALID_ARGUMENT', 400));
    });

    it('updates a connector, keeping the stored secret when none is given', async () => {
      const o = (await client.listConnectors()).connectors.find((c) => c.name === 'oss-sample');
      assert.ok(o);
      await client.updateConnector(o.id, oss({ name: 'oss-renamed', accessKeySecret: '', bucketName: 's3-bucket' }));
      const state = (await (await fetch(emulator.url + '/_emulator/state')).json()) as { ingest: { connectors: { id: number; name: string; bucket: string }[] } };
      const stored = state.ingest.connectors.find((c) => c.id === o.id);
      assert.deepEqual([stored?.name, stored?.bucket], ['oss-renamed', 's3-bucket']);
      // The kept secret is still the seeded one: validate by id answers with the stored configuration.
      const raw = await fetch(emulator.url + '/connectors/list', { headers: { 'user-id': 'u', 'Access-Token': 't', uid: 'x' } });
      assert.match(await raw.text(), /"access_key_secret":"sample-secret-do-not-show","bucket_name":"s3-bucket"/);
      await rejects(client.updateConnector(424242, oss()), apiCode('NOT_FOUND', 404));
    });

    it('lists a connector’s files recursively, typed by extension, filtered by file type', async () => {
      const o = (await client.listConnectors()).connectors.find((c) => c.name === 'oss-sample');
      assert.ok(o);
      const files = await client.listConnectorFiles(o.id);
      const byUri = new Map(files.map((f) => [f.uri, f]));
      assert.equal(byUri.get('红楼梦(通行本)简体横排.pdf')?.size, 6787457);
      assert.equal(byUri.get('红楼梦(通行本)简体横排.pdf')?.type, 2);
      assert.equal(byUri.get('data')?.type, 10);
      assert.equal(byUri.get('data/sales-2024.csv')?.type, 7);
      assert.equal(byUri.get('data/sales-2024.csv')?.filename, 'sales-2024.csv');
      const csvAndSql = await client.listConnectorFiles(o.id, [7, 9]);
      assert.ok(csvAndSql.length >= 3);
      assert.ok(csvAndSql.every((f) => f.type === 7 || f.type === 9));
      await rejects(client.listConnectorFiles(31337), apiCode('NOT_FOUND', 404));
      await rejects(client.listConnectorFiles(o.id, [11]), field('file_types'));
    });
  });

  describe('load tasks', () => {
    let connectorId: number;
    beforeEach(async () => {
      const o = (await client.listConnectors()).connectors.find((c) => c.name === 'oss-sample');
      assert.ok(o);
      connectorId = o.id;
    });
    const newestTask = async (): Promise<LoadTask> => {
      const { tasks } = await client.listTasks({ orderBy: 'created_at', isDesc: true, pageSize: 1 });
      assert.ok(tasks[0]);
      return tasks[0];
    };

    it('lists, gets and pages tasks with ids kept as 19-digit strings', async () => {
      const { tasks, total } = await client.listTasks();
      assert.equal(total, 2);
      for (const t of tasks) {
        assert.equal(typeof t.id, 'string');
        assert.match(t.id, /^\d{19}$/);
        assert.match(t.volume_id, /^\d{19}$/);
      }
      const finished = tasks.find((t) => t.status === TaskStatus.Finished);
      assert.ok(finished);
      const got = await client.getTask(finished.id);
      assert.equal(got.id, finished.id);
      assert.equal(got.volume_name, 'b-vol1');
      assert.deepEqual(got.source_config.common_file_task_config.load_mode_config, { load_interval_type: 4, interval: 0 });
      const page1 = await client.listTasks({ page: 1, pageSize: 1, orderBy: 'id', isDesc: false });
      const page2 = await client.listTasks({ page: 2, pageSize: 1, orderBy: 'id', isDesc: false });
      assert.equal(page1.total, 2);
      assert.ok(BigInt(page1.tasks[0].id) < BigInt(page2.tasks[0].id));
      const hourly = await client.listTasks({ loadIntervalTypes: [2] });
      assert.ok(hourly.tasks.length === 1 && hourly.tasks[0].source_config.common_file_task_config.load_mode_config.load_interval_type === 2);
      const onlyFinished = await client.listTasks({ status: [4] });
      assert.ok(onlyFinished.tasks.every((t) => t.status === 4));
    });

    it('refuses bad pages before sending and the emulator refuses them too', async () => {
      await rejects(client.listTasks({ page: 0 }), field('page'));
      await rejects(client.listTasks({ pageSize: 0 }), field('page_size'));
      const res = await fetch(emulator.url + '/task/list?page=abc', { headers: { 'user-id': 'u', 'Access-Token': 't', uid: 'x' } });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { code: string }).code, 'INVALID_ARGUMENT');
      await rejects(client.listTasks({ orderBy: 'name' }), apiCode('INVALID_ARGUMENT', 400));
    });

    it('creates a task that runs 1 → 4, files waiting → uploading → succeeded, a "fail" file failing with a reason; retry fixes it', async () => {
      // Ticks slower than the polling below, so that the uploading state is seen.
      await admin('/_emulator/ingest', { tick_ms: 200 });
      await client.createTask({ connectorId, volumeId: '1889578498228068352', uris: ['notes.md', 'data/broken-fail.csv'], intervalType: 4 });
      const task = await newestTask();
      assert.equal(task.status, TaskStatus.Running);
      assert.deepEqual(task.source_config.common_file_task_config.uris, ['notes.md', 'data/broken-fail.csv']);
      const seen = new Set<number>();
      const files = await until('the task to finish', async () => {
        // The task first: files read after it finished are final (read before, they may be a tick older).
        const finished = (await client.getTask(task.id)).status === TaskStatus.Finished;
        const page = await client.listTaskFiles(task.id);
        for (const f of page.files) seen.add(f.status);
        return finished ? page : undefined;
      });
      assert.ok(seen.has(FileStatus.Uploading), 'files pass through uploading');
      assert.equal(files.total_success, 1);
      assert.equal(files.total_failed, 1);
      const failed = files.files.find((f) => f.status === FileStatus.Failed);
      assert.ok(failed);
      assert.match(failed.id, /^\d{19}$/);
      assert.match(failed.reason, /fail/);
      assert.equal(failed.path, '/b-vol2/data/broken-fail.csv');
      assert.deepEqual(await client.failedFileIds(task.id), [failed.id]);
      await client.retryTask(task.id, [failed.id]);
      assert.equal((await client.getTask(task.id)).status, TaskStatus.Running);
      await until('the retry to succeed', async () => ((await client.listTaskFiles(task.id)).total_success === 2 ? true : undefined));
      await until('the task to finish again', async () => ((await client.getTask(task.id)).status === TaskStatus.Finished ? true : undefined));
      await rejects(client.retryTask(task.id, [failed.id]), apiCode('INVALID_STATE', 400));
      await rejects(client.retryTask(task.id, ['1234567890123456789']), apiCode('NOT_FOUND', 404));
    });

    it('expands a directory uri and pages /task/files with a status filter', async () => {
      await client.createTask({ connectorId, volumeId: '1', uris: ['data'], intervalType: 4 });
      const task = await newestTask();
      const all = await client.listTaskFiles(task.id);
      assert.equal(all.total, 3);
      const p1 = await client.listTaskFiles(task.id, { page: 1, pageSize: 2 });
      const p2 = await client.listTaskFiles(task.id, { page: 2, pageSize: 2 });
      assert.deepEqual([p1.files.length, p2.files.length, p1.total], [2, 1, 3]);
      assert.notEqual(p1.files[0].id, p2.files[0].id);
      await until('finish', async () => ((await client.getTask(task.id)).status === 4 ? true : undefined));
      const ok = await client.listTaskFiles(task.id, { status: [FileStatus.Succeeded] });
      assert.equal(ok.total, 2);
      assert.ok(ok.files.every((f) => f.status === 5));
      await rejects(client.listTaskFiles(task.id, { page: -1 }), field('page'));
    });

    it('pauses (1 → 2 → 3) and resumes a running task', async () => {
      await admin('/_emulator/ingest', { bytes_per_second: 1024 });
      await client.createTask({ connectorId, volumeId: '7', uris: ['data/events.parquet', 'data/sales-2024.csv'], intervalType: 4 });
      const task = await newestTask();
      await client.pauseTask(task.id);
      const status = (await client.getTask(task.id)).status;
      assert.ok(status === TaskStatus.Pausing || status === TaskStatus.Paused);
      await until('paused', async () => ((await client.getTask(task.id)).status === TaskStatus.Paused ? true : undefined));
      const files = await client.listTaskFiles(task.id);
      assert.ok(files.files.every((f) => f.status === FileStatus.Paused));
      await rejects(client.pauseTask(task.id), apiCode('INVALID_STATE', 400));
      await client.resumeTask(task.id);
      assert.equal((await client.getTask(task.id)).status, TaskStatus.Running);
      await rejects(client.resumeTask(task.id), apiCode('INVALID_STATE', 400));
    });

    it('updates uris and interval, then deletes', async () => {
      await client.createTask({ connectorId, volumeId: '42', uris: ['notes.md'], intervalType: 4 });
      const task = await newestTask();
      await client.updateTask(task.id, { intervalType: 2, interval: 3, uris: ['notes.md', 'readme.txt'] });
      const got = await client.getTask(task.id);
      assert.deepEqual(got.source_config.common_file_task_config, { uris: ['notes.md', 'readme.txt'], load_mode_config: { load_interval_type: 2, interval: 3 } });
      assert.equal((await client.listTaskFiles(task.id)).total, 2);
      await client.deleteTask(task.id);
      await rejects(client.getTask(task.id), apiCode('NOT_FOUND', 404));
      await rejects(client.deleteTask(task.id), apiCode('NOT_FOUND', 404));
    });

    it('re-runs an interval task on its schedule', async () => {
      await admin('/_emulator/ingest', { time_scale: 60 });
      await client.createTask({ connectorId, volumeId: '9', uris: ['readme.txt'], intervalType: 3, interval: 1 });
      const task = await newestTask();
      const first = await until('first run to finish', async () => {
        const t = await client.getTask(task.id);
        return t.status === 4 ? t : undefined;
      });
      await until('a second run', async () => {
        const t = await client.getTask(task.id);
        return t.start_at > first.start_at || t.end_at > first.end_at ? true : undefined;
      }, 8000);
    });

    it('refuses bad task input before sending, naming the field', async () => {
      await rejects(client.createTask({ connectorId, volumeId: 'abc', uris: ['x'], intervalType: 4 }), field('volume_id'));
      await rejects(client.createTask({ connectorId, volumeId: '1', uris: [], intervalType: 4 }), field('uris'));
      await rejects(client.createTask({ connectorId, volumeId: '1', uris: ['x'], intervalType: 7 }), field('load_interval_type'));
      await rejects(client.createTask({ connectorId, volumeId: '1', uris: ['x'], intervalType: 2, interval: 0 }), field('interval'));
      await rejects(client.getTask('12ab'), field('task_id'));
      await rejects(client.retryTask('1', []), field('ids'));
      await rejects(client.createTask({ connectorId: 5555, volumeId: '1', uris: ['x'], intervalType: 4 }), apiCode('NOT_FOUND', 404));
      await rejects(client.getTask('1889223922712281088'), apiCode('NOT_FOUND', 404));
    });

    it('the emulator also accepts the document\'s "/task/delete/" (trailing slash)', async () => {
      await client.createTask({ connectorId, volumeId: '8', uris: ['notes.md'], intervalType: 4 });
      const task = await newestTask();
      const res = await fetch(emulator.url + '/task/delete/', { method: 'POST', headers: { 'user-id': 'u', 'Access-Token': 't', uid: 'x' }, body: JSON.stringify({ task_id: task.id }) });
      assert.equal(res.status, 200);
      await rejects(client.getTask(task.id), apiCode('NOT_FOUND', 404));
    });

    it('the emulator refuses a task id sent as a JSON number', async () => {
      const res = await fetch(emulator.url + '/task/pause', {
        method: 'POST',
        headers: { 'user-id': 'u', 'Access-Token': 't', uid: 'x' },
        body: '{"task_id": 1889223922712281088}',
      });
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { msg: string }).msg, /string/);
    });
  });

  describe('errors', () => {
    it('works without an Access-Token (optional in 001), sending none; a missing uid is a 401 naming the header', async () => {
      type Seen = { ingest: { access_token: { last: string | null } } };
      const lastAccessToken = async (): Promise<string | null> => ((await (await fetch(emulator.url + '/_emulator/state')).json()) as Seen).ingest.access_token.last;
      await client.listConnectors();
      assert.equal(await lastAccessToken(), 'sent');
      creds = { userId: 'u1', uid: 'ws:carol:accountadmin' };
      assert.equal((await client.listConnectors()).total, 2);
      assert.equal(await lastAccessToken(), 'absent', 'no header at all, as in the connectors/list example');
      await client.createConnector(oss({ name: 'no-token' }));
      assert.equal((await client.listConnectors()).connectors.find((c) => c.name === 'no-token')?.username, 'carol');
      creds = { userId: 'u1', accessToken: '', uid: 'x' };
      assert.equal((await client.listTasks()).total, 2);
      creds = { userId: 'u1', accessToken: 't' };
      const err = await rejects(client.listConnectors(), apiCode('UNAUTHORIZED', 401));
      assert.match((err as ApiError).message, /uid/);
    });

    it('an injected fault becomes an ApiError with the status', async () => {
      await admin('/_emulator/faults', { route: 'ingest_tasks', error_rate: 1, status: 503 });
      const err = await rejects(client.listTasks(), (e) => e instanceof ApiError && e.httpStatus === 503);
      assert.equal((err as ApiError).retryable, true);
      await client.listConnectors();
    });

    it('no base URL is named', async () => {
      const c = new IngestClient({ baseUrl: () => '', credentials: async () => CREDS, logger: silentLogger });
      await rejects(c.listConnectors(), apiCode('NO_BASE_URL'));
    });
  });
});
