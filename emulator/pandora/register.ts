// The emulated Pandora pipeline API (api 003) on the emulator's one port: /v2/* and /dag/schemaInfer, signed
// requests only, rules and codes read from the document (no client code), plus its admin routes.
import { join } from 'node:path';
import type { BackendFactory, BackendModule, EmulatorContext } from '../context';
import type { Router } from '../router';
import { DEMO_KEYS, keysFromEnv, type PandoraKeys } from './auth';
import { addDatasourceRoutes } from './datasourceRoutes';
import { addExportRoutes } from './exportRoutes';
import { addHistoryRoutes } from './historyRoutes';
import { PandoraService, type PandoraConfig } from './http';
import { addJobRoutes } from './jobRoutes';
import { seedPandora } from './seed';
import { PandoraStore } from './store';

export interface PandoraEmulatorOptions {
  keys?: PandoraKeys;
  /** How long a run stays Running (ms); DATAHUB_EMULATOR_PANDORA_RUN_MS, default 1500. */
  runMs?: number;
  log?: (line: string) => void;
}

function addAdminRoutes(service: PandoraService, initial: () => PandoraConfig): void {
  // Which keys are accepted and how long runs take (tests and demos change them).
  service.admin('POST', '/_emulator/pandora/config', async (c) => {
    const body = (await c.json()) as { keys?: PandoraKeys['keys']; tokens?: string[]; runMs?: number };
    const config = service.config;
    if (Array.isArray(body.keys)) config.keys = { ...config.keys, keys: body.keys };
    if (Array.isArray(body.tokens)) config.keys = { ...config.keys, tokens: body.tokens };
    if (typeof body.runMs === 'number' && body.runMs >= 0) config.runMs = body.runMs;
    c.sendJson(200, { accessKeys: config.keys.keys.map((k) => k.accessKey), tokens: config.keys.tokens.length, runMs: config.runMs });
  });
  // This backend alone back to empty (optionally with its sample data), for suites sharing one emulator.
  service.admin('POST', '/_emulator/pandora/reset', async (c) => {
    const raw = await c.body();
    const seed = raw.length > 0 && (JSON.parse(raw.toString('utf8')) as { seed?: boolean }).seed === true;
    service.store.reset();
    Object.assign(service.config, initial());
    if (seed) {
      seedPandora(service.store, service.clock);
      service.save();
    }
    c.sendJson(200, { ok: true });
  });
}

/** This backend's part of GET /_emulator/state (names as keys: Object.fromEntries makes each an own property). */
function stateOf(service: PandoraService): Record<string, unknown> {
  const jobs = [...service.store.jobs.keys()].map((name) => {
    const job = service.existingJob(name);
    const runs = job.runs.map((r) => ({ ...service.clock.view(r), params: r.params, rerunCount: r.rerunCount }));
    return [name, { ...job.body, schema: job.schema, exports: Object.fromEntries(job.exports), runs }] as const;
  });
  return {
    pandora: {
      accessKeys: service.config.keys.keys.map((k) => k.accessKey),
      datasources: Object.fromEntries(service.store.datasources),
      jobs: Object.fromEntries(jobs),
    },
  };
}

export function createPandoraBackend(options: PandoraEmulatorOptions = {}): BackendFactory {
  return (router: Router, ctx: EmulatorContext): BackendModule => {
    const initial = (): PandoraConfig => ({ keys: options.keys ?? keysFromEnv(), runMs: options.runMs ?? (Number(process.env.DATAHUB_EMULATOR_PANDORA_RUN_MS) || 1500) });
    const service = new PandoraService(router, ctx, new PandoraStore(join(ctx.dataDir, 'pandora')), initial(), options.log);
    addDatasourceRoutes(service);
    addJobRoutes(service);
    addExportRoutes(service);
    addHistoryRoutes(service);
    addAdminRoutes(service, initial);
    return {
      state: () => stateOf(service),
      // A run ends when its time is up, with no request: a long-poll on the state wakes then.
      nextChangeAt: () => {
        let next = Infinity;
        for (const job of service.store.jobs.values()) for (const run of job.runs) if (run.status === 'Running') next = Math.min(next, run.finishAt);
        return Number.isFinite(next) ? next : undefined;
      },
      reset: () => {
        service.store.reset();
        Object.assign(service.config, initial());
      },
      seed: () => {
        seedPandora(service.store, service.clock);
        service.save();
      },
    };
  };
}

/** The factory emulator/backends.ts lists: keys from the environment, or the demo pair. */
export const registerPandora: BackendFactory = createPandoraBackend();
export { DEMO_KEYS };
