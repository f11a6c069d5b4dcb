// Emulated ingest backend (api 001): connectors and load tasks on the emulator's one port, `{code: "OK", msg, data}` envelope.
import { join } from 'node:path';
import type { BackendFactory, EmulatorContext } from '../context';
import { HttpError, type RequestContext, type Router } from '../router';
import { bucketExists, listBucket, writeSampleBuckets } from './files';
import { IngestStore, now, type StoredConnector, type StoredFile, type StoredTask, type WireConfig } from './store';

const ok = (c: RequestContext, data?: unknown): void => c.sendJson(200, data === undefined ? { code: 'OK', msg: 'OK' } : { code: 'OK', msg: 'OK', data });
const fail = (status: number, code: string, msg: string): HttpError => new HttpError(status, { code, msg });
const invalid = (msg: string): HttpError => fail(400, 'INVALID_ARGUMENT', msg);

/** JSON text where the `Raw` values are written as bare numbers (the document sends related_task_ids as 19-digit numbers). */
class Raw {
  constructor(readonly digits: string) {}
  toJSON(): string {
    return `\u0000RAW:${this.digits}`;
  }
}
function sendJsonWithRawNumbers(c: RequestContext, value: unknown): void {
  const text = JSON.stringify(value).replace(/"\\u0000RAW:(\d+)"/g, '$1');
  c.send(200, text, { 'Content-Type': 'application/json; charset=utf-8' });
}

/**
 * 001's credential headers: every example sends `user-id` and `uid` (a missing one is refused with 401
 * naming it); `Access-Token` is optional — the connectors/list example omits it, task/retry sends it empty.
 */
function requireAuth(c: RequestContext): string {
  const missing = ['user-id', 'uid'].filter((h) => !String(c.req.headers[h] ?? '').trim());
  if (missing.length) throw fail(401, 'UNAUTHORIZED', `missing credential header(s): ${missing.join(', ')}`);
  // uid looks like "<uuid>-<workspace>:admin:accountadmin": the user name is its second part.
  return String(c.req.headers.uid).split(':')[1] || 'admin';
}

async function body(c: RequestContext): Promise<Record<string, unknown>> {
  const value = await c.json();
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid('request body: must be a JSON object');
  return value as Record<string, unknown>;
}

/** Integers from repeated or comma-separated query values; undefined when absent. */
function intList(url: URL, name: string, min: number, max: number): number[] | undefined {
  const raw = url.searchParams.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (!raw.length) return undefined;
  return raw.map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw invalid(`${name}: "${v}" must be an integer from ${min} to ${max}`);
    return n;
  });
}

function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw invalid(`${name}: "${v}" must be an integer from ${min} to ${max}`);
  return n;
}

function taskIdOf(value: unknown): string {
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return value;
  if (typeof value === 'number') throw invalid('task_id: must be sent as a string (a 19-digit id does not fit a JSON number)');
  throw invalid('task_id: required, a decimal id string');
}

/** Checks `config` for `source_type` (4: config.oss, 5: config.s3 with region) and returns the inner config. */
function parseConfig(sourceType: unknown, config: unknown): WireConfig {
  if (sourceType !== 4 && sourceType !== 5) throw invalid('source_type: must be 4 (OSS) or 5 (S3)');
  const key = sourceType === 4 ? 'oss' : 's3';
  const inner = config && typeof config === 'object' ? (config as Record<string, unknown>)[key] : undefined;
  if (!inner || typeof inner !== 'object') throw invalid(`config.${key}: required for source_type ${sourceType}`);
  const v = inner as Record<string, unknown>;
  const fields = ['endpoint', 'access_key_id', 'access_key_secret', 'bucket_name', ...(sourceType === 5 ? ['region'] : [])];
  for (const f of fields) if (typeof v[f] !== 'string' || !(v[f] as string).trim()) throw invalid(`config.${key}.${f}: required`);
  if (v.path_style !== undefined && typeof v.path_style !== 'boolean') throw invalid(`config.${key}.path_style: must be true or false`);
  const out: WireConfig = {
    endpoint: v.endpoint as string,
    access_key_id: v.access_key_id as string,
    access_key_secret: v.access_key_secret as string,
    bucket_name: v.bucket_name as string,
  };
  if (sourceType === 5) {
    out.region = v.region as string;
    out.path_style = v.path_style === true;
  }
  return out;
}

function connectorJson(store: IngestStore, c: StoredConnector): Record<string, unknown> {
  const related = store.relatedTaskIds(c.id);
  const { region, path_style, ...base } = c.config;
  return {
    id: c.id,
    source_type: c.source_type,
    name: c.name,
    status: c.status,
    created_at: c.created_at,
    updated_at: c.updated_at,
    username: c.username,
    related_task_ids: related.length ? related.map((id) => new Raw(id)) : null,
    // As the document shows, the list returns the whole configuration (the client must mask the secret).
    config: c.source_type === 5 ? { s3: { ...base, region, path_style } } : { oss: base },
  };
}

function taskJson(t: StoredTask): Record<string, unknown> {
  return {
    id: t.id,
    source_connector_id: t.connector_id,
    source_connector_type: t.connector_type,
    volume_id: t.volume_id,
    volume_name: t.volume_name,
    name: '',
    status: t.status,
    creator: t.creator,
    source_config: { common_file_task_config: { uris: t.uris, load_mode_config: { load_interval_type: t.interval_type, interval: t.interval } } },
    start_at: t.start_at,
    end_at: t.end_at,
    created_at: t.created_at,
    updated_at: t.updated_at,
  };
}

function fileJson(t: StoredTask, f: StoredFile): Record<string, unknown> {
  return {
    id: f.id, name: f.name, type: f.type, status: f.status, size: f.size, update_time: f.update_time, other_metadata: '',
    reason: f.reason, user: t.creator, start_time: f.start_time, end_time: f.end_time, path: `/${t.volume_name}/${f.uri}`,
  };
}

function loadMode(value: unknown): { type: number; interval: number } {
  if (!value || typeof value !== 'object') throw invalid('load_mode_config: required');
  const v = value as Record<string, unknown>;
  const type = v.load_interval_type;
  if (typeof type !== 'number' || ![1, 2, 3, 4].includes(type)) throw invalid('load_mode_config.load_interval_type: must be 1, 2, 3 or 4');
  const interval = v.interval === undefined ? (type === 4 ? 0 : 1) : v.interval;
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 0 || (type !== 4 && interval < 1)) {
    throw invalid('load_mode_config.interval: must be a positive integer for interval types 1–3');
  }
  return { type, interval: type === 4 ? 0 : interval };
}

function uris(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((u) => typeof u !== 'string' || !u.trim())) throw invalid('uris: required, a non-empty list of file uris');
  return [...new Set(value as string[])];
}

function volumeName(volumeId: string): string {
  const known: Record<string, string> = { '1889223879880048640': 'b-vol1', '1889578498228068352': 'b-vol2' };
  return known[volumeId] ?? `vol-${volumeId.slice(-4)}`;
}

function createTask(store: IngestStore, connector: StoredConnector, volumeId: string, list: string[], type: number, interval: number, creator: string): StoredTask {
  const t = now();
  const task: StoredTask = {
    id: store.newId(), connector_id: connector.id, connector_type: connector.source_type, volume_id: volumeId, volume_name: volumeName(volumeId),
    creator, status: 1, uris: list, interval_type: type, interval, start_at: t, end_at: 0, created_at: t, updated_at: t, next_run_at: 0,
    files: store.filesFor(connector, list),
  };
  store.tasks.push(task);
  return task;
}

const ORDER_FIELDS = ['created_at', 'updated_at', 'start_at', 'end_at', 'id'] as const;

export const registerIngest: BackendFactory = (router: Router, ctx: EmulatorContext) => {
  const store = new IngestStore(join(ctx.dataDir, 'ingest'));
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (timer) clearInterval(timer);
    timer = setInterval(() => {
      if (store.tick()) store.save();
    }, store.settings.tick_ms);
    timer.unref();
  };
  schedule();

  const route = (method: string, path: string, group: string, handler: (c: RequestContext, user: string) => Promise<void> | void): void => {
    router.add(method, path, group, async (c) => {
      const user = requireAuth(c);
      ctx.count(`ingest_${group.replace(/^ingest_/, '')}`);
      await handler(c, user);
    });
  };
  const findTask = (id: string): StoredTask => {
    const task = store.task(id);
    if (!task) throw fail(404, 'NOT_FOUND', `task ${id} does not exist`);
    return task;
  };

  // ---- connectors
  route('POST', '/connectors', 'ingest_connectors', async (c, user) => {
    const b = await body(c);
    if (typeof b.name !== 'string' || !b.name.trim()) throw invalid('name: required');
    const config = parseConfig(b.source_type, b.config);
    if (store.connectors.some((x) => x.name === b.name)) throw fail(409, 'ALREADY_EXISTS', `a connector named "${b.name}" already exists`);
    const t = now();
    store.connectors.push({ id: store.newConnectorId(), source_type: b.source_type as number, name: b.name, status: 'active', created_at: t, updated_at: t, username: user, config });
    store.save();
    ok(c);
  });
  route('POST', '/connectors/validate', 'ingest_connectors', async (c) => {
    const b = await body(c);
    let config: WireConfig;
    if (b.connector_id !== undefined && b.connector_id !== null && b.config === undefined) {
      const connector = store.connector(Number(b.connector_id));
      if (!connector) throw fail(404, 'NOT_FOUND', `connector ${String(b.connector_id)} does not exist`);
      if (b.source_type !== connector.source_type) throw invalid(`source_type: connector ${connector.id} has source_type ${connector.source_type}`);
      config = connector.config;
    } else {
      if (b.config === undefined) throw invalid('connector_id or config: one is required');
      config = parseConfig(b.source_type, b.config);
    }
    // The emulated store can be reached when the bucket folder exists.
    ok(c, { valid: bucketExists(store.root, config.bucket_name) });
  });
  route('GET', '/connectors/list', 'ingest_connectors', (c) => {
    sendJsonWithRawNumbers(c, { code: 'OK', msg: 'OK', data: { connectors: store.connectors.map((x) => connectorJson(store, x)), total: store.connectors.length } });
  });
  route('PUT', '/connectors/:id', 'ingest_connectors', async (c) => {
    const connector = store.connector(Number(c.params.id));
    if (!connector) throw fail(404, 'NOT_FOUND', `connector ${c.params.id} does not exist`);
    const b = await body(c);
    if (typeof b.name !== 'string' || !b.name.trim()) throw invalid('name: required');
    const config = parseConfig(connector.source_type, b.config);
    if (store.connectors.some((x) => x.name === b.name && x.id !== connector.id)) throw fail(409, 'ALREADY_EXISTS', `a connector named "${b.name}" already exists`);
    Object.assign(connector, { name: b.name, config, updated_at: now() });
    store.save();
    ok(c);
  });
  route('GET', '/connectors/files/list', 'ingest_connectors', (c) => {
    const raw = c.url.searchParams.get('connector_id');
    if (!raw) throw invalid('connector_id: required');
    const connector = store.connector(Number(raw));
    if (!connector) throw fail(404, 'NOT_FOUND', `connector ${raw} does not exist`);
    const types = intList(c.url, 'file_types', 0, 10);
    const files = listBucket(store.root, connector.config.bucket_name).filter((f) => !types || types.includes(f.type));
    ok(c, { files });
  });

  // ---- load tasks
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
    const pageSize = intParam(c.url, 'page_size', 10, 1, 100);
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
    const pageSize = intParam(c.url, 'page_size', 20, 1, 100);
    const matching = task.files.filter((f) => !statuses || statuses.includes(f.status));
    ok(c, {
      total: matching.length,
      total_success: task.files.filter((f) => f.status === 5).length,
      total_failed: task.files.filter((f) => f.status === 4).length,
      files: matching.slice((page - 1) * pageSize, page * pageSize).map((f) => fileJson(task, f)),
    });
  });

  // ---- admin: simulation knobs (no auth, no faults)
  router.add('GET', '/_emulator/ingest', 'admin', (c) => c.sendJson(200, store.settings));
  // Resets (and optionally seeds) this backend alone, so that a suite does not disturb the other backends.
  router.add('POST', '/_emulator/ingest/reset', 'admin', async (c) => {
    const raw = await c.body();
    const wantSeed = raw.length > 0 && (await body(c)).seed === true;
    store.reset();
    schedule();
    if (wantSeed) seed(store);
    c.sendJson(200, { ok: true, seeded: wantSeed });
  });
  router.add('POST', '/_emulator/ingest', 'admin', async (c) => {
    const b = await body(c);
    const next = { ...store.settings };
    for (const key of Object.keys(next) as (keyof typeof next)[]) {
      if (b[key] === undefined) continue;
      const n = Number(b[key]);
      const okValue = key === 'fail_rate' ? n >= 0 && n <= 1 : Number.isFinite(n) && n > 0;
      if (!okValue) throw new HttpError(400, { error: `${key}: out of range` });
      next[key] = n;
    }
    store.settings = next;
    schedule();
    c.sendJson(200, store.settings);
  });

  return {
    state: () => ({
      ingest: {
        connectors: store.connectors.map((x) => ({ id: x.id, name: x.name, source_type: x.source_type, bucket: x.config.bucket_name })),
        tasks: store.tasks.map((t) => ({ id: t.id, status: t.status, files: t.files.map((f) => ({ id: f.id, uri: f.uri, status: f.status })) })),
        settings: store.settings,
      },
    }),
    reset: () => store.reset(),
    seed: () => seed(store),
    close: () => {
      if (timer) clearInterval(timer);
      store.save();
    },
  };
};

/** Two connectors over two sample buckets, a finished task (one file failed) and a running hourly task. */
function seed(store: IngestStore): void {
  writeSampleBuckets(store.root);
  const t = now();
  const config = (bucket: string): WireConfig => ({ endpoint: 'oss-cn-hangzhou.aliyuncs.com', access_key_id: 'LTAI5tSampleKeyId', access_key_secret: 'sample-secret-do-not-show', bucket_name: bucket });
  const add = (name: string, sourceType: number, cfg: WireConfig): StoredConnector => {
    const existing = store.connectors.find((c) => c.name === name);
    if (existing) return existing;
    const c: StoredConnector = { id: store.newConnectorId(), source_type: sourceType, name, status: 'active', created_at: t - 86_400, updated_at: t - 86_400, username: 'admin', config: cfg };
    store.connectors.push(c);
    return c;
  };
  const oss = add('oss-sample', 4, config('sample-bucket'));
  const s3 = add('s3-sample', 5, { ...config('s3-bucket'), endpoint: 'https://s3.us-east-1.amazonaws.com', region: 'us-east-1', path_style: true });
  if (!store.tasks.some((x) => x.connector_id === oss.id)) {
    const done = createTask(store, oss, '1889223879880048640', ['红楼梦(通行本)简体横排.pdf', 'notes.md', 'data/broken-fail.csv'], 4, 0, 'admin');
    for (const f of done.files) {
      const failed = /fail/i.test(f.name);
      Object.assign(f, { status: failed ? 4 : 5, attempts: 1, done: f.size, start_time: t - 3_500, end_time: t - 3_400, reason: failed ? 'simulated failure: the object could not be parsed (names containing "fail" fail their first attempt)' : '' });
    }
    Object.assign(done, { status: 4, start_at: t - 3_600, end_at: t - 3_400, created_at: t - 3_600, updated_at: t - 3_400 });
  }
  if (!store.tasks.some((x) => x.connector_id === s3.id)) createTask(store, s3, '1889578498228068352', ['logs', 'big/archive.parquet', 'slides/q3.pptx'], 2, 1, 'admin');
  store.save();
}
