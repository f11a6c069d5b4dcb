// Emulated ingest backend (api 001): connectors and load tasks on the emulator's one port, `{code: "OK", msg, data}` envelope.
// The routes are in connectorRoutes.ts and taskRoutes.ts; here the store, the ticking clock, the admin knobs and the state.
import { join } from 'node:path';
import type { BackendFactory, EmulatorContext } from '../context';
import type { Router } from '../router';
import { registerConnectorRoutes } from './connectorRoutes';
import { body, emptyAccessTokenSeen, noteAccessToken, parseSettings, requireAuth } from './requests';
import type { IngestRoute } from './route';
import { seed } from './seed';
import { IngestStore } from './store';
import { registerTaskRoutes } from './taskRoutes';

export const registerIngest: BackendFactory = (router: Router, ctx: EmulatorContext) => {
  const store = new IngestStore(join(ctx.dataDir, 'ingest'));
  let accessToken = emptyAccessTokenSeen();
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (timer) clearInterval(timer);
    timer = setInterval(() => {
      if (!store.tick()) return;
      store.save();
      ctx.changes.bump();
    }, store.settings.tick_ms);
    timer.unref();
  };
  schedule();

  const route: IngestRoute = (method, path, group, handler) => {
    router.add(method, path, group, async (c) => {
      const user = requireAuth(c);
      noteAccessToken(accessToken, c);
      ctx.count(`ingest_${group.replace(/^ingest_/, '')}`);
      await handler(c, user);
    });
  };

  registerConnectorRoutes(route, store);
  registerTaskRoutes(route, store);

  // ---- admin: simulation knobs (no auth, no faults)
  router.add('GET', '/_emulator/ingest', 'admin', (c) => c.sendJson(200, store.settings));
  // Resets (and optionally seeds) this backend alone, so that a suite does not disturb the other backends.
  router.add('POST', '/_emulator/ingest/reset', 'admin', async (c) => {
    const raw = await c.body();
    const wantSeed = raw.length > 0 && (await body(c)).seed === true;
    store.reset();
    accessToken = emptyAccessTokenSeen();
    schedule();
    if (wantSeed) seed(store);
    c.sendJson(200, { ok: true, seeded: wantSeed });
  });
  router.add('POST', '/_emulator/ingest', 'admin', async (c) => {
    store.settings = parseSettings(await body(c), store.settings);
    schedule();
    c.sendJson(200, store.settings);
  });

  return {
    state: () => ({
      ingest: {
        connectors: store.connectors.map((x) => ({ id: x.id, name: x.name, source_type: x.source_type, bucket: x.config.bucket_name })),
        tasks: store.tasks.map((t) => ({ id: t.id, status: t.status, files: t.files.map((f) => ({ id: f.id, uri: f.uri, status: f.status })) })),
        settings: store.settings,
        access_token: accessToken,
      },
    }),
    reset: () => {
      store.reset();
      accessToken = emptyAccessTokenSeen();
    },
    seed: () => seed(store),
    close: () => {
      if (timer) clearInterval(timer);
      store.save();
    },
  };
};
