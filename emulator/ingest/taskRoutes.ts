// Emulated ingest (api 001) load task routes: create, list (filtered, ordered, paged), update, delete, pause, resume,
// retry failed files, get, and a task's files.
import type { RequestContext } from '../router';
import type { IngestRoute } from './route';
import { body, fail, intList, intParam, invalid, loadMode, ok, pageSizeParam, taskIdOf, uris } from './requests';
import { createTask } from './seed';
import { now, type IngestStore, type StoredTask } from './store';
import { fileJson, taskJson } from './wire';

const ORDER_FIELDS = ['created_at', 'updated_at', 'start_at', 'end_at', 'id'] as const;

export function registerTaskRoutes(route: IngestRoute, store: IngestStore): void {
  const findTask = (id: string): StoredTask => {
    const task = store.task(id);
    if (!task) throw fail(404, 'NOT_FOUND', `task ${id} does not exist`);
    return task;
  };
  route('POST', '/task', 'ingest_tasks', async (c, user) => {
    const b = await body(c);
    if (b.source_connector_id === undefined) throw invalid('source_connector_id: required');
    const connector = store.connector(Number(b.source_connector_id));
    if (!connector) throw fail(404, 'NOT_FOUND', `connector ${String(b.source_connector_id)} does not exist`);
    if (typeof b.volume_id !== 'string' || !/^\d{1,20}$/.test(b.volume_id)) throw invalid('volume_id: required, a decimal id string');
    if (b.config_type !== undefined && b.config_type !== 1) throw invalid('config_type: must be 1');
    const common = (b.source_config as { common_file_task_config?: Record<string, unknown> } | undefined)?.common_file_task_config;
    if (!common) throw invalid('source_config.common_file_task_config: required');
    const mode = loadMode(common.load_mode_config);
    createTask(store, connector, b.volume_id, uris(common.uris), mode.type, mode.interval, user);
    store.save();
    ok(c);
  });
  route('GET', '/task/list', 'ingest_tasks', (c) => {
    const page = intParam(c.url, 'page', 1, 1, 1_000_000);
    const pageSize = pageSizeParam(c.url, 10, store.settings.max_page_size);
    const statuses = intList(c.url, 'status', 0, 4);
    const intervals = intList(c.url, 'load_interval_types', 0, 4);
    const orderBy = c.url.searchParams.get('order_by') || 'created_at';
    if (!(ORDER_FIELDS as readonly string[]).includes(orderBy)) throw invalid(`order_by: must be one of ${ORDER_FIELDS.join(', ')}`);
    const desc = !['false', '0'].includes(c.url.searchParams.get('is_desc') ?? 'true');
    const key = orderBy as (typeof ORDER_FIELDS)[number];
    const value = (t: StoredTask): bigint => BigInt(key === 'id' ? t.id : t[key]);
    const matching = store.tasks
      .filter((t) => (!statuses || statuses.includes(t.status)) && (!intervals || intervals.includes(t.interval_type)))
      .sort((a, b) => {
        const d = value(a) === value(b) ? (BigInt(a.id) < BigInt(b.id) ? -1 : 1) : value(a) < value(b) ? -1 : 1;
        return desc ? -d : d;
      });
    ok(c, { tasks: matching.slice((page - 1) * pageSize, page * pageSize).map(taskJson), total: matching.length });
  });
  route('POST', '/task/update', 'ingest_tasks', async (c) => {
    const b = await body(c);
    const task = findTask(taskIdOf(b.task_id));
    const t = now();
    if (b.load_mode_config !== undefined) {
      const mode = loadMode(b.load_mode_config);
      Object.assign(task, { interval_type: mode.type, interval: mode.interval });
      if (task.status === 4) task.next_run_at = 0;
    }
    if (b.uris !== undefined) {
      const list = uris(b.uris);
      const connector = store.connector(task.connector_id);
      if (!connector) throw fail(404, 'NOT_FOUND', `connector ${task.connector_id} of task ${task.id} no longer exists`);
      const kept = task.files.filter((f) => list.some((u) => f.uri === u || f.uri.startsWith(u + '/')));
      const added = store.filesFor(connector, list).filter((f) => !kept.some((k) => k.uri === f.uri));
      task.uris = list;
      task.files = [...kept, ...added];
      if (added.length && task.status === 4) Object.assign(task, { status: 1, start_at: t, end_at: 0 });
    }
    task.updated_at = t;
    store.save();
    ok(c);
  });
  const deleteTask = async (c: RequestContext): Promise<void> => {
    const id = taskIdOf((await body(c)).task_id);
    findTask(id);
    store.tasks = store.tasks.filter((t) => t.id !== id);
    store.save();
    ok(c);
  };
  route('POST', '/task/delete', 'ingest_tasks', deleteTask);
  // The document's own example posts to "/task/delete/" (trailing slash): accepted too.
  route('POST', '/task/delete/', 'ingest_tasks', deleteTask);
  route('POST', '/task/pause', 'ingest_tasks', async (c) => {
    const task = findTask(taskIdOf((await body(c)).task_id));
    if (task.status !== 1) throw fail(400, 'INVALID_STATE', `task ${task.id} is not running (status ${task.status})`);
    Object.assign(task, { status: 2, updated_at: now() });
    store.save();
    ok(c);
  });
  route('POST', '/task/resume', 'ingest_tasks', async (c) => {
    const task = findTask(taskIdOf((await body(c)).task_id));
    if (task.status !== 2 && task.status !== 3) throw fail(400, 'INVALID_STATE', `task ${task.id} is not paused (status ${task.status})`);
    for (const f of task.files) if (f.status === 3) f.status = 1;
    Object.assign(task, { status: 1, updated_at: now() });
    store.save();
    ok(c);
  });
  route('POST', '/task/retry', 'ingest_tasks', async (c) => {
    const b = await body(c);
    const task = findTask(taskIdOf(b.task_id));
    if (!Array.isArray(b.ids) || b.ids.length === 0) throw invalid('ids: required, a non-empty list of failed file ids');
    const files = b.ids.map((id: unknown) => {
      if (typeof id !== 'string') throw invalid('ids: file ids must be sent as strings');
      const f = task.files.find((x) => x.id === id);
      if (!f) throw fail(404, 'NOT_FOUND', `file ${id} is not part of task ${task.id}`);
      if (f.status !== 4) throw fail(400, 'INVALID_STATE', `file ${id} has not failed (status ${f.status})`);
      return f;
    });
    const t = now();
    for (const f of files) Object.assign(f, { status: 6, reason: '', done: 0, update_time: t });
    if (task.status === 4) Object.assign(task, { status: 1, end_at: 0, next_run_at: 0 });
    task.updated_at = t;
    store.save();
    ok(c);
  });
  route('GET', '/task/get', 'ingest_tasks', (c) => {
    ok(c, { task: taskJson(findTask(taskIdOf(c.url.searchParams.get('task_id') ?? undefined))) });
  });
  route('GET', '/task/files', 'ingest_tasks', (c) => {
    const task = findTask(taskIdOf(c.url.searchParams.get('task_id') ?? undefined));
    const statuses = intList(c.url, 'status', 0, 6);
    const page = intParam(c.url, 'page', 1, 1, 1_000_000);
    const pageSize = pageSizeParam(c.url, 20, store.settings.max_page_size);
    const matching = task.files.filter((f) => !statuses || statuses.includes(f.status));
    ok(c, {
      total: matching.length,
      total_success: task.files.filter((f) => f.status === 5).length,
      total_failed: task.files.filter((f) => f.status === 4).length,
      files: matching.slice((page - 1) * pageSize, page * pageSize).map((f) => fileJson(task, f, store.settings.file_times)),
    });
  });
}
