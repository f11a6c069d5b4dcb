// The ingest client (api 001) on lists: pages smaller than asked for, multi-value filters as repeated keys,
// and task-file times under either of the document's two names.
import { strict as assert } from 'node:assert';
import { ApiError, ValidationError } from '../../../src/api/errors';
import { IngestClient, type MultiValueQuery } from '../../../src/api/ingest/client';
import { collectPages } from '../../../src/api/ingest/requests';
import { FileStatus, TaskStatus } from '../../../src/api/ingest/types';
import { silentLogger } from '../../../src/api/logger';
import { useTestEmulator } from '../helpers/emulator';
import { until } from '../helpers/until';

const HEADERS = { 'user-id': 'u', uid: 'ws:admin:accountadmin' };

describe('ingest client (api 001): paging and list filters', function () {
  this.timeout(60_000);
  const emu = useTestEmulator(['ingest']);
  let multiValue: MultiValueQuery = 'repeat';
  const client = (): IngestClient =>
    new IngestClient({ baseUrl: () => emu.url, credentials: async () => ({ userId: 'u', uid: 'ws:admin:accountadmin' }), logger: silentLogger, multiValueQuery: () => multiValue });
  let connectorId = 0;

  beforeEach(async () => {
    multiValue = 'repeat';
    await emu.admin('POST', '/_emulator/ingest/reset', { seed: true });
    await emu.admin('POST', '/_emulator/ingest', { tick_ms: 20, bytes_per_second: 1024 * 1024 * 1024 });
    const oss = (await client().listConnectors()).connectors.find((c) => c.name === 'oss-sample');
    assert.ok(oss);
    connectorId = oss.id;
  });

  /** A finished task whose `n` files all failed (their uris are not in the bucket). */
  async function taskWithFailures(n: number): Promise<string> {
    const uris = Array.from({ length: n }, (_, i) => `missing/file-${String(i).padStart(2, '0')}.csv`);
    await client().createTask({ connectorId, volumeId: '555', uris, intervalType: 4 });
    const [task] = (await client().listTasks({ orderBy: 'created_at', isDesc: true, pageSize: 1 })).tasks;
    await until('the task to finish', async () => ((await client().getTask(task.id)).status === TaskStatus.Finished ? true : undefined));
    return task.id;
  }

  it('Retry Failed Files retries every failed file when the server answers pages smaller than asked for', async () => {
    const id = await taskWithFailures(7);
    await emu.admin('POST', '/_emulator/ingest', { max_page_size: 2 });
    const firstPage = await client().listTaskFiles(id, { status: [FileStatus.Failed], page: 1, pageSize: 100 });
    assert.deepEqual([firstPage.files.length, firstPage.total], [2, 7], 'the server cuts the page to 2');
    const ids = await client().failedFileIds(id);
    assert.equal(ids.length, 7);
    assert.equal(new Set(ids).size, 7);
    // The simulation stands still, so that the retried files stay "retrying" while they are looked at.
    await emu.admin('POST', '/_emulator/ingest', { tick_ms: 600_000 });
    await client().retryTask(id, ids);
    const state = await emu.admin<{ ingest: { tasks: { id: string; files: { status: number }[] }[] } }>('GET', '/_emulator/state');
    const files = state.ingest.tasks.find((t) => t.id === id)?.files ?? [];
    assert.deepEqual(files.map((f) => f.status), Array<number>(7).fill(FileStatus.Retrying), 'every failed file was sent to retry');
  });

  it('reads every task through pages of one, and asks for any page size (the server cuts it)', async () => {
    for (const volumeId of ['1', '2', '3']) await client().createTask({ connectorId, volumeId, uris: ['notes.md'], intervalType: 4 });
    await emu.admin('POST', '/_emulator/ingest', { max_page_size: 1 });
    const all = await client().listAllTasks({ orderBy: 'id', isDesc: false });
    assert.equal(all.length, 5);
    assert.equal(new Set(all.map((t) => t.id)).size, 5);
    const big = await client().listTasks({ pageSize: 500 });
    assert.deepEqual([big.tasks.length, big.total], [1, 5]);
  });

  it('collectPages stops at total, on an empty page, and on a page that repeats itself', async () => {
    const pages = [['a', 'b'], ['c'], ['d']];
    const asked: number[] = [];
    const got = await collectPages(async (page) => {
      asked.push(page);
      return { items: pages[page - 1] ?? [], total: 3 };
    }, (x) => x);
    assert.deepEqual([got, asked], [['a', 'b', 'c'], [1, 2]]);
    // A server that ignores `page` answers page 1 again: the reading ends instead of looping.
    const same = await collectPages(async () => ({ items: ['x', 'y'], total: 10 }), (x) => x);
    assert.deepEqual(same, ['x', 'y']);
    // A `total` that counts more than the filter matches: the empty page ends it.
    const short = await collectPages(async (page) => ({ items: page === 1 ? ['p'] : [], total: 50 }), (x) => x);
    assert.deepEqual(short, ['p']);
  });

  it('sends several filter values as repeated keys, the encoding the document implies; the emulator refuses "1,4"', async () => {
    const both = await client().listTasks({ status: [TaskStatus.Running, TaskStatus.Finished] });
    assert.equal(both.total, 2);
    assert.deepEqual(both.tasks.map((t) => t.status).sort(), [1, 4]);
    const hourlyOrOnce = await client().listTasks({ loadIntervalTypes: [2, 4] });
    assert.equal(hourlyOrOnce.total, 2);
    const csvAndSql = await client().listConnectorFiles(connectorId, [7, 9]);
    assert.ok(csvAndSql.length >= 3 && csvAndSql.every((f) => f.type === 7 || f.type === 9));
    const finished = (await client().listTasks({ status: [TaskStatus.Finished] })).tasks[0];
    const files = await client().listTaskFiles(finished.id, { status: [FileStatus.Failed, FileStatus.Succeeded] });
    assert.equal(files.total, 3);

    const raw = await fetch(`${emu.url}/task/list?status=1,4`, { headers: HEADERS });
    assert.equal(raw.status, 400);
    assert.match(((await raw.json()) as { msg: string }).msg, /status: "1,4".*repeated keys/);
    // The setting's other choice is sent as the emulator does not read it.
    multiValue = 'comma';
    await assert.rejects(client().listTasks({ status: [1, 4] }), (e: unknown) => e instanceof ApiError && e.httpStatus === 400 && /repeated keys/.test(e.message));
    await assert.rejects(client().listConnectorFiles(connectorId, [7, 9]), (e: unknown) => e instanceof ApiError && /file_types/.test(e.message));
    // One value is the same in both encodings.
    assert.equal((await client().listTasks({ status: [4] })).total, 1);
  });

  it('reads a task file\'s times as start_time/end_time (the example) and as start_at/end_at (the output table)', async () => {
    const finished = (await client().listTasks({ status: [TaskStatus.Finished] })).tasks[0];
    const example = (await client().listTaskFiles(finished.id)).files;
    assert.ok(example.every((f) => f.start_time > 0 && f.end_time >= f.start_time), JSON.stringify(example));
    await emu.admin('POST', '/_emulator/ingest', { file_times: 'start_at' });
    const raw = (await (await fetch(`${emu.url}/task/files?task_id=${finished.id}`, { headers: HEADERS })).json()) as { data: { files: Record<string, unknown>[] } };
    assert.ok('start_at' in raw.data.files[0] && !('start_time' in raw.data.files[0]), 'the emulator answers the table\'s names');
    const table = (await client().listTaskFiles(finished.id)).files;
    assert.deepEqual(
      table.map((f) => [f.id, f.start_time, f.end_time]),
      example.map((f) => [f.id, f.start_time, f.end_time]),
    );
    await assert.rejects(emu.admin('POST', '/_emulator/ingest', { file_times: 'started' }), /file_times/);
  });

  it('refuses a page or page size below 1 before sending', async () => {
    await assert.rejects(client().listTasks({ page: 0 }), (e: unknown) => e instanceof ValidationError && e.field === 'page');
    await assert.rejects(client().listTasks({ pageSize: 0 }), (e: unknown) => e instanceof ValidationError && e.field === 'page_size');
  });
});
