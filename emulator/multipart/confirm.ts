// Multipart backend confirm route (api 004): submits the simulation job for a completed master file.
import { randomBytes } from 'node:crypto';
import type { EmulatorContext } from '../context';
import type { RequestContext, Router } from '../router';
import { noteAuth } from '../store/auth';
import { Fields } from '../store/fields';
import { badField, detail } from './errors';
import type { MpConfirm, MultipartStore } from './model';

export function registerConfirmRoute(router: Router, _ctx: EmulatorContext, store: MultipartStore): void {
  router.add('POST', '/tasks/upload/confirm', 'mp_confirm', (c) => confirm(c, store));
}

const TEXT_FIELDS = ['profile_name', 'version', 'job_name', 'submitter'] as const;

function answer(job: MpConfirm): Record<string, unknown> {
  return { task_id: job.task_id, job_id: job.job_id, status: job.status, job_name: job.job_name, master_object_key: job.master_object_key };
}

async function confirm(c: RequestContext, store: MultipartStore): Promise<void> {
  noteAuth(store.data.auth, c.req);
  const f = Fields.of(await c.json(), badField);
  const taskId = f.string('task_id');
  const masterKey = f.string('master_object_key');
  const text = Object.fromEntries(TEXT_FIELDS.map((name) => [name, f.string(name)])) as Record<(typeof TEXT_FIELDS)[number], string>;
  // The document insists: thread_count and priority are strings ("8", "2"), not numbers.
  const threadCount = f.digitString('thread_count');
  const priority = f.digitString('priority');

  if (!Object.values(store.data.uploads).some((u) => u.task_id === taskId)) throw detail(404, `task_id: no such task "${taskId}"`);
  const object = store.data.objects.find((o) => o.task_id === taskId && o.object_key === masterKey);
  if (!object) throw detail(400, `master_object_key: "${masterKey}" is not a completed upload of task ${taskId}`);

  const job: MpConfirm = {
    task_id: taskId,
    job_id: `job-${randomBytes(8).toString('hex')}`,
    master_object_key: masterKey,
    ...text,
    thread_count: threadCount,
    priority,
    status: 'submitted',
    at: new Date().toISOString(),
  };
  const previous = store.data.confirms.find((j) => j.task_id === taskId);
  if (previous) {
    // A retried confirm (its answer was lost) is answered the same; a different second submission is a conflict.
    const same = previous.master_object_key === masterKey && previous.thread_count === threadCount && previous.priority === priority && TEXT_FIELDS.every((k) => previous[k] === text[k]);
    if (!same) throw detail(409, `task_id: task ${taskId} is already submitted (job ${previous.job_id})`);
    c.sendJson(200, answer(previous));
    return;
  }
  store.data.confirms.push(job);
  await store.save();
  c.sendJson(200, answer(job));
}
