// The media backend's admin routes: the rights holder authorises downloads; tests set tokens, delays
// and passing failures of the status PATCHes.
import { HttpError, type Router } from '../router';
import type { MediaStore } from './model';

interface ConfigBody {
  authorize_delay_ms?: number | null;
  tokens?: string[] | null;
  /** The next `count` status PATCHes (upload, private, download) answer `status` (503 by default). */
  fail_status_patches?: { count?: number; status?: number };
}

export function registerMediaAdmin(router: Router, store: MediaStore): void {
  // The rights holder authorises a download (by task or by source), now or after a delay.
  router.add('POST', '/_emulator/media/authorize', 'admin', async (c) => {
    const body = await c.json<{ task_id?: number; source_id?: number; delay_ms?: number }>();
    const delay = Math.max(0, Number(body.delay_ms ?? 0));
    if (body.task_id !== undefined) {
      const task = store.downloads.get(Number(body.task_id));
      if (!task) throw new HttpError(404, { error: `no download task ${String(body.task_id)}` });
      task.authorized_at = Date.now() + delay;
    } else if (body.source_id !== undefined) {
      store.authorizedSources.add(Number(body.source_id));
    } else throw new HttpError(400, { error: 'task_id or source_id is required' });
    await store.save();
    c.sendJson(200, { ok: true });
  });

  router.add('POST', '/_emulator/media/config', 'admin', async (c) => {
    const body = await c.json<ConfigBody>();
    if (body.authorize_delay_ms !== undefined) store.authorizeDelayMs = body.authorize_delay_ms === null ? null : Math.max(0, Number(body.authorize_delay_ms));
    if (body.tokens !== undefined) store.tokens = body.tokens;
    if (body.fail_status_patches !== undefined) {
      const count = Number(body.fail_status_patches.count ?? 1);
      const status = Number(body.fail_status_patches.status ?? 503);
      if (!Number.isInteger(count) || count < 0) throw new HttpError(400, { error: 'fail_status_patches.count: a non-negative integer' });
      if (!Number.isInteger(status) || status < 400 || status > 599) throw new HttpError(400, { error: 'fail_status_patches.status: an HTTP error status (400–599)' });
      store.statusFailures = { remaining: count, status, refused: 0 };
    }
    await store.save();
    c.sendJson(200, { authorize_delay_ms: store.authorizeDelayMs, tokens: store.tokens, status_failures: store.statusFailures });
  });
}
