// Datahub status routes: update_status, heartbeat and result, validated and recorded per subtask.
import type { EmulatorContext } from '../context';
import type { RequestContext, Router } from '../router';
import { own } from '../store/dict';
import { Fields } from '../store/fields';
import { apiError, badField, noteAuth, ok } from './envelope';
import type { DatahubStore, SubtaskRecord } from './model';

/** 1 Running, 2 Paused, 4 Cancelled, 5 Failed (the document lists no 3). */
export const STATUSES: Record<number, string> = { 1: 'Running', 2: 'Paused', 4: 'Cancelled', 5: 'Failed' };

/** Anything above this is a millisecond timestamp sent by mistake (1e11 s is the year 5138). */
const MAX_UNIX_SECONDS = 1e11;

export function registerStatusRoutes(router: Router, _ctx: EmulatorContext, store: DatahubStore): void {
  router.add('POST', '/api/task/update_status', 'status', (c) => updateStatus(c, store));
  router.add('POST', '/api/task/heartbeat', 'heartbeat', (c) => heartbeat(c, store));
  router.add('POST', '/api/task/result', 'result', (c) => result(c, store));
}

function subtaskOf(store: DatahubStore, id: string): SubtaskRecord {
  const subtask = own(store.data.subtasks, id);
  if (!subtask) throw apiError(404, `subtask_id: no such subtask "${id}"`);
  return subtask;
}

async function updateStatus(c: RequestContext, store: DatahubStore): Promise<void> {
  noteAuth(store.data.auth, c.req);
  const f = Fields.of(await c.json(), badField);
  const subtaskId = f.string('subtask_id');
  const status = f.int('status');
  if (!(status in STATUSES)) {
    const allowed = Object.entries(STATUSES).map(([n, name]) => `${n} (${name})`).join(', ');
    throw apiError(400, `status: must be one of ${allowed}, got ${status}`);
  }
  const subtask = subtaskOf(store, subtaskId);
  subtask.status_history.push({ status, at: new Date().toISOString() });
  await store.save();
  ok(c, { subtask_id: subtaskId, status });
}

async function heartbeat(c: RequestContext, store: DatahubStore): Promise<void> {
  noteAuth(store.data.auth, c.req);
  const f = Fields.of(await c.json(), badField);
  const subtaskId = f.string('subtask_id');
  const timestamp = f.int('timestamp', { min: 0 });
  if (timestamp >= MAX_UNIX_SECONDS) throw apiError(400, `timestamp: must be unix seconds, ${timestamp} looks like milliseconds`);
  const process = f.int('process', { min: 0, max: 100 });
  const subtask = subtaskOf(store, subtaskId);
  subtask.heartbeats += 1;
  subtask.last_process = process;
  subtask.last_heartbeat = { timestamp, process, at: new Date().toISOString() };
  await store.save();
  ok(c, { subtask_id: subtaskId });
}

async function result(c: RequestContext, store: DatahubStore): Promise<void> {
  noteAuth(store.data.auth, c.req);
  const f = Fields.of(await c.json(), badField);
  const subtaskId = f.string('subtask_id');
  const r = f.object('result');
  const total = r.int('total_counts', { min: 0 });
  const success = r.int('success_counts', { min: 0 });
  if (success > total) throw apiError(400, `result.success_counts: ${success} is more than result.total_counts (${total})`);
  const subtask = subtaskOf(store, subtaskId);
  subtask.result = { total_counts: total, success_counts: success };
  subtask.result_count += 1;
  await store.save();
  ok(c, { subtask_id: subtaskId });
}
