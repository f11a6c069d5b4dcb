// The emulated Pandora pipeline API (api 003) on the emulator's one port: /v2/* and /dag/schemaInfer,
// signed requests only, the client's validation rules with the document's E18xxx codes and statuses.
import { join } from 'node:path';
import type { BackendFactory, BackendModule, EmulatorContext } from '../context';
import { HttpError, type RequestContext, type Router } from '../router';
import { BAD_TOKEN, PANDORA_CODES } from '../../src/api/pandora/codes';
import { afterAction, allows, type RunAction } from '../../src/api/pandora/runs';
import {
  MAGIC_VARIABLES,
  type DatasourceBody,
  type ExportBody,
  type JobBody,
  type RunParam,
  type RunStatus,
  type SchemaField,
} from '../../src/api/pandora/types';
import {
  formatIssue,
  validateBatchAction,
  validateDatasource,
  validateDatasourceUpdate,
  validateExport,
  validateExportSpec,
  validateHistoryQuery,
  validateJob,
  validateName,
  validateRunParams,
  validateSchemaInfer,
  validateSchemaProbe,
  type Issue,
} from '../../src/api/pandora/validation';
import { DEMO_KEYS, keysFromEnv, verifyRequest, type PandoraKeys } from './auth';
import { inferSchema } from './sql';
import { PandoraStore, type JobRecord } from './store';
import { seedPandora } from './seed';

export interface PandoraEmulatorOptions {
  keys?: PandoraKeys;
  /** How long a run stays Running (ms); DATAHUB_EMULATOR_PANDORA_RUN_MS, default 1500. */
  runMs?: number;
  log?: (line: string) => void;
}

/** `{"error": "E18xxx: detail"}` with the status the document's table gives the code. */
export function pandoraError(code: string, detail: string): HttpError {
  const entry = PANDORA_CODES[code];
  return new HttpError(entry?.status ?? 400, { error: `${code}: ${detail}` });
}

function refuse(issues: Issue[]): void {
  if (issues.length === 0) return;
  const first = issues[0];
  throw pandoraError(first.code, `${first.field}: ${formatIssue(first)}`);
}

async function readJson(c: RequestContext, optional = false): Promise<unknown> {
  const raw = await c.body();
  if (raw.length === 0) {
    if (optional) return undefined;
    throw pandoraError('E18006', 'the request body is empty');
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw pandoraError('E18007', 'the request body is not JSON');
  }
}

function intParam(url: URL, name: string): number | string | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  return /^-?\d+$/.test(v) ? Number(v) : v;
}

export function createPandoraBackend(options: PandoraEmulatorOptions = {}): BackendFactory {
  return (router: Router, ctx: EmulatorContext): BackendModule => {
    const config = { keys: options.keys ?? keysFromEnv(), runMs: options.runMs ?? (Number(process.env.DATAHUB_EMULATOR_PANDORA_RUN_MS) || 1500) };
    const store = new PandoraStore(join(ctx.dataDir, 'pandora'), () => config.runMs);
    const group = 'pandora';

    const route = (method: string, pattern: string, handler: (c: RequestContext) => Promise<void> | void, authOptional = false): void => {
      router.add(method, pattern, group, async (c) => {
        const hasAuth = c.req.headers.authorization !== undefined;
        if (!authOptional || hasAuth) {
          const why = verifyRequest(c.req, c.url.pathname, config.keys);
          if (why) {
            options.log?.(`pandora: 401 ${c.req.method} ${c.url.pathname}: ${why}`);
            ctx.count('pandora_bad_token');
            throw new HttpError(401, { error: BAD_TOKEN });
          }
        }
        ctx.count('pandora_requests');
        await handler(c);
      });
    };

    const job = (name: string): JobRecord => {
      const record = store.state.jobs[name];
      if (!record) throw pandoraError('E18202', `job ${name} does not exist`);
      store.settle(record);
      return record;
    };

    /** Table name → schema for every source of a job body; unknown sources answer 404 with their code. */
    const sourceTables = (body: JobBody): Record<string, SchemaField[]> => {
      const tables: Record<string, SchemaField[]> = {};
      for (const src of body.srcs) {
        if (src.type === 'DataSource') {
          const ds = store.state.datasources[src.name];
          if (!ds) throw pandoraError('E18102', `datasource ${src.name} does not exist`);
          tables[src.tableName] = ds.schema;
        } else {
          const upstream = store.state.jobs[src.name];
          if (!upstream) throw pandoraError('E18202', `upstream job ${src.name} does not exist`);
          tables[src.tableName] = upstream.schema;
        }
      }
      return tables;
    };

    const upstreamTables = (jobName: string, seen = new Set<string>()): string[] => {
      const record = store.state.jobs[jobName];
      if (!record || seen.has(jobName)) return [];
      seen.add(jobName);
      const names = record.body.srcs.map((s) => s.tableName);
      for (const s of record.body.srcs) if (s.type === 'Job') names.push(...upstreamTables(s.name, seen));
      return names;
    };

    const checkJob = (name: string, body: unknown): { body: JobBody; schema: SchemaField[] } => {
      refuse(validateJob(name, body));
      const jobBody = body as JobBody;
      const upstream = jobBody.srcs.find((s) => s.type === 'Job');
      if (upstream) {
        if (upstream.name === name) throw pandoraError('E18204', 'a job cannot read its own output');
        refuse(validateJob(name, body, { upstreamTableNames: upstreamTables(upstream.name) }));
      }
      const inferred = inferSchema(jobBody.computation.code, sourceTables(jobBody));
      if ('error' in inferred) throw pandoraError('E18209', inferred.error);
      return { body: jobBody, schema: inferred.schema };
    };

    const dependents = (kind: 'DataSource' | 'Job', name: string): string[] =>
      Object.entries(store.state.jobs).filter(([, j]) => j.body.srcs.some((s) => s.type === kind && s.name === name)).map(([n]) => n);

    // Datasources
    route('POST', '/v2/datasources/:name', async (c) => {
      const body = await readJson(c);
      refuse(validateDatasource(c.params.name, body));
      if (store.state.datasources[c.params.name]) throw pandoraError('E18101', `datasource ${c.params.name} already exists`);
      const b = body as DatasourceBody;
      store.state.datasources[c.params.name] = { region: b.region, type: b.type, spec: b.spec, schema: b.schema };
      store.save();
      c.sendJson(200, {});
    });
    route('PUT', '/v2/datasources/:name', async (c) => {
      const existing = store.state.datasources[c.params.name];
      if (!existing) throw pandoraError('E18102', `datasource ${c.params.name} does not exist`);
      const body = await readJson(c);
      refuse(validateDatasourceUpdate(existing, body));
      const b = body as DatasourceBody;
      existing.spec = b.spec;
      existing.schema = b.schema;
      store.save();
      c.sendJson(200, {});
    });
    route('GET', '/v2/datasources/:name', (c) => {
      const ds = store.state.datasources[c.params.name];
      if (!ds) throw pandoraError('E18102', `datasource ${c.params.name} does not exist`);
      c.sendJson(200, ds);
    });
    route('GET', '/v2/datasources', (c) => {
      c.sendJson(200, { datasources: Object.entries(store.state.datasources).map(([name, ds]) => ({ name, ...ds })) });
    });
    route('DELETE', '/v2/datasources/:name', (c) => {
      if (!store.state.datasources[c.params.name]) throw pandoraError('E18102', `datasource ${c.params.name} does not exist`);
      const users = dependents('DataSource', c.params.name);
      if (users.length) throw pandoraError('E18112', `datasource ${c.params.name} is read by job(s) ${users.join(', ')}`);
      delete store.state.datasources[c.params.name];
      store.save();
      c.sendJson(200, {});
    });

    // Jobs
    const jobView = (name: string, record: JobRecord): Record<string, unknown> => ({ name, ...record.body, schema: record.schema.map(({ key, valtype }) => ({ key, valtype })) });
    route('POST', '/v2/jobs/:name', async (c) => {
      const body = await readJson(c);
      if (store.state.jobs[c.params.name]) {
        refuse(validateName('name', c.params.name, 'E18207'));
        throw pandoraError('E18201', `job ${c.params.name} already exists`);
      }
      const checked = checkJob(c.params.name, body);
      store.state.jobs[c.params.name] = { ...checked, exports: {}, runs: [], nextRunId: 1 };
      store.save();
      c.sendJson(200, {});
    });
    route('PUT', '/v2/jobs/:name', async (c) => {
      const record = job(c.params.name);
      const checked = checkJob(c.params.name, await readJson(c));
      record.body = checked.body;
      record.schema = checked.schema;
      store.save();
      c.sendJson(200, {});
    });
    route('GET', '/v2/jobs/:name', (c) => {
      const { name: _name, ...view } = jobView(c.params.name, job(c.params.name));
      c.sendJson(200, view);
    });
    route('GET', '/v2/jobs', (c) => {
      const srcDatasource = c.url.searchParams.get('srcDatasource') ?? '';
      const srcJob = c.url.searchParams.get('srcJob') ?? '';
      if (srcDatasource && srcJob) throw pandoraError('E18007', 'srcDatasource and srcJob cannot be given together');
      const jobs = Object.entries(store.state.jobs)
        .filter(([, j]) => (!srcDatasource || j.body.srcs.some((s) => s.type === 'DataSource' && s.name === srcDatasource)) && (!srcJob || j.body.srcs.some((s) => s.type === 'Job' && s.name === srcJob)))
        .map(([name, j]) => jobView(name, j));
      c.sendJson(200, { jobs });
    });
    route('DELETE', '/v2/jobs/:name', (c) => {
      job(c.params.name);
      const users = dependents('Job', c.params.name);
      if (users.length) throw pandoraError('E18112', `job ${c.params.name} is read by job(s) ${users.join(', ')}`);
      delete store.state.jobs[c.params.name];
      store.save();
      c.sendJson(200, {});
    });
    route('POST', '/v2/jobs/:name/actions/start', async (c) => {
      const record = job(c.params.name);
      const body = await readJson(c, true);
      const given = body && typeof body === 'object' && 'params' in body ? (body as { params: unknown }).params : undefined;
      const declared = [...(record.body.params ?? []).map((p) => p.name), ...MAGIC_VARIABLES];
      refuse(validateRunParams(given, declared));
      const values = new Map((record.body.params ?? []).map((p) => [p.name, p.default]));
      for (const p of (given as RunParam[] | undefined) ?? []) values.set(p.name, p.value);
      const run = store.startRun(record, [...values].map(([name, value]) => ({ name, value })));
      store.save();
      c.sendJson(200, { runId: run.runId });
    });
    route('POST', '/v2/jobs/:name/actions/stop', (c) => {
      const record = job(c.params.name);
      for (const run of record.runs) if (run.status === 'Running') store.cancel(run);
      store.save();
      c.sendJson(200, {});
    });

    // Exports
    route('POST', '/v2/jobs/:job/exports/:name', async (c) => {
      const record = job(c.params.job);
      const body = await readJson(c);
      refuse(validateExport(c.params.name, body, record.schema.map((f) => f.key)));
      if (record.exports[c.params.name]) throw pandoraError('E18301', `export ${c.params.name} already exists`);
      const b = body as ExportBody;
      record.exports[c.params.name] = { type: b.type, spec: b.spec } as ExportBody;
      store.save();
      c.sendJson(200, {});
    });
    route('PUT', '/v2/jobs/:job/exports/:name', async (c) => {
      const record = job(c.params.job);
      const existing = record.exports[c.params.name];
      if (!existing) throw pandoraError('E18302', `export ${c.params.name} does not exist`);
      const body = await readJson(c);
      const spec = body && typeof body === 'object' ? (body as { spec?: unknown }).spec : undefined;
      refuse(validateExportSpec(existing.type, spec, record.schema.map((f) => f.key)));
      existing.spec = spec as ExportBody['spec'];
      store.save();
      c.sendJson(200, {});
    });
    route('GET', '/v2/jobs/:job/exports/:name', (c) => {
      const existing = job(c.params.job).exports[c.params.name];
      if (!existing) throw pandoraError('E18302', `export ${c.params.name} does not exist`);
      c.sendJson(200, existing);
    });
    route('GET', '/v2/jobs/:job/exports', (c) => {
      c.sendJson(200, { exports: Object.entries(job(c.params.job).exports).map(([name, e]) => ({ name, ...e })) });
    });
    route('DELETE', '/v2/jobs/:job/exports/:name', (c) => {
      const record = job(c.params.job);
      if (!record.exports[c.params.name]) throw pandoraError('E18302', `export ${c.params.name} does not exist`);
      delete record.exports[c.params.name];
      store.save();
      c.sendJson(200, {});
    });

    // History and batches
    route('GET', '/v2/jobs/:job/history', (c) => {
      const record = job(c.params.job);
      const query = { page: intParam(c.url, 'page'), size: intParam(c.url, 'size'), sortBy: c.url.searchParams.get('sortBy') || undefined, status: c.url.searchParams.get('status') || undefined, runId: intParam(c.url, 'runId') };
      refuse(validateHistoryQuery(query));
      let runs = record.runs.map((r) => store.view(r));
      if (query.status) runs = runs.filter((r) => r.status === query.status);
      if (query.runId !== undefined) {
        const latest = Math.max(0, ...record.runs.map((r) => r.runId));
        const wanted = query.runId === -1 ? latest : query.runId;
        runs = runs.filter((r) => r.runId === wanted);
      }
      const sortBy = query.sortBy ?? '-runId';
      const field = sortBy.replace(/^-/, '');
      const dir = sortBy.startsWith('-') ? -1 : 1;
      runs.sort((a, b) => {
        const x = a[field] as string | number;
        const y = b[field] as string | number;
        return (x < y ? -1 : x > y ? 1 : (a.runId as number) - (b.runId as number)) * dir;
      });
      const page = (query.page as number | undefined) ?? 1;
      const size = (query.size as number | undefined) ?? 20;
      c.sendJson(200, { total: runs.length, history: runs.slice((page - 1) * size, page * size) });
    });
    const batch = (action: RunAction) => async (c: RequestContext) => {
      const body = await readJson(c);
      refuse(validateBatchAction(body));
      const { jobName, runId } = body as { jobName: string; runId: string | number };
      const record = job(jobName);
      const run = record.runs.find((r) => r.runId === Number(runId));
      if (!run) throw new HttpError(404, { error: `run ${runId} of job ${jobName} does not exist` });
      const pre: RunStatus = run.status;
      if (!allows(pre, action)) throw new HttpError(400, { error: `run ${runId} is ${pre}: ${action === 'stop' ? 'only a Running run can be stopped' : 'only a Successful, Failed or Canceled run can be rerun'}` });
      if (action === 'stop') store.cancel(run);
      else store.rerun(record, run);
      store.save();
      const post = afterAction(pre, action);
      c.sendJson(200, action === 'stop' ? { preStatus: pre, postStatus: post } : { preStatus: pre, postStatus: post, rerunCount: run.rerunCount });
    };
    route('POST', '/v2/batch/actions/stop', batch('stop'));
    route('POST', '/v2/batch/actions/rerun', batch('rerun'));

    // Schemas
    route('POST', '/v2/schemas', async (c) => {
      const body = await readJson(c);
      refuse(validateSchemaProbe(body));
      const b = body as { type: string; spec: { bucket?: string; paths?: string[]; fileType?: string } };
      const type = b.type.toLowerCase();
      if (type !== 'fusion' && b.spec.fileType === 'text') return c.sendJson(200, { schema: [{ key: 'text', valtype: 'string' }] });
      // A source that is already known answers with its schema; anything else gets a log-like sample.
      const known = Object.values(store.state.datasources).find((ds) => ds.type === type && JSON.stringify(type === 'kodo' ? (ds.spec as { bucket?: string }).bucket : (ds.spec as { paths?: string[] }).paths) === JSON.stringify(type === 'kodo' ? b.spec.bucket : b.spec.paths));
      const schema = known?.schema.map(({ key, valtype }) => ({ key, valtype })) ?? (type === 'fusion'
        ? [{ key: 'time', valtype: 'date' }, { key: 'domain', valtype: 'string' }, { key: 'url', valtype: 'string' }, { key: 'status', valtype: 'long' }, { key: 'bytes', valtype: 'long' }]
        : [{ key: 'timestamp', valtype: 'date' }, { key: 'level', valtype: 'string' }, { key: 'message', valtype: 'string' }, { key: 'latency', valtype: 'float' }]);
      c.sendJson(200, { schema });
    });
    // The document shows no Authorization for schemaInfer; a signature that is sent is still checked.
    route('POST', '/dag/schemaInfer', async (c) => {
      const body = await readJson(c);
      refuse(validateSchemaInfer(body));
      const b = body as { computation: { code: string }; sourceSchemas: { tableName: string; schema: string; type: string }[] };
      const tables: Record<string, SchemaField[]> = {};
      for (const s of b.sourceSchemas) {
        try {
          const decoded = JSON.parse(Buffer.from(s.schema, 'base64').toString('utf8')) as unknown;
          if (!Array.isArray(decoded)) throw new Error('not a list');
          tables[s.tableName] = decoded as SchemaField[];
        } catch {
          throw pandoraError('E18007', `sourceSchemas ${s.tableName}: schema is not base64 of a JSON field list`);
        }
      }
      const inferred = inferSchema(b.computation.code, tables);
      if ('error' in inferred) throw pandoraError('E18209', inferred.error);
      c.sendJson(200, { schema: inferred.schema });
    }, true);

    // Admin: which keys are accepted and how long runs take (tests and demos change them).
    router.add('POST', '/_emulator/pandora/config', 'admin', async (c) => {
      const body = (await c.json()) as { keys?: { accessKey: string; secretKey: string }[]; tokens?: string[]; runMs?: number };
      if (Array.isArray(body.keys)) config.keys = { ...config.keys, keys: body.keys };
      if (Array.isArray(body.tokens)) config.keys = { ...config.keys, tokens: body.tokens };
      if (typeof body.runMs === 'number' && body.runMs >= 0) config.runMs = body.runMs;
      c.sendJson(200, { accessKeys: config.keys.keys.map((k) => k.accessKey), tokens: config.keys.tokens.length, runMs: config.runMs });
    });

    // Admin: this backend alone back to empty (optionally with its sample data), for suites sharing one emulator.
    router.add('POST', '/_emulator/pandora/reset', 'admin', async (c) => {
      const raw = await c.body();
      const seed = raw.length > 0 && (JSON.parse(raw.toString('utf8')) as { seed?: boolean }).seed === true;
      store.reset();
      if (seed) {
        seedPandora(store);
        store.save();
      }
      c.sendJson(200, { ok: true });
    });

    return {
      state: () => {
        for (const record of Object.values(store.state.jobs)) store.settle(record);
        return {
          pandora: {
            accessKeys: config.keys.keys.map((k) => k.accessKey),
            datasources: store.state.datasources,
            jobs: Object.fromEntries(
              Object.entries(store.state.jobs).map(([name, j]) => [name, { ...j.body, schema: j.schema, exports: j.exports, runs: j.runs.map((r) => ({ ...store.view(r), params: r.params, rerunCount: r.rerunCount })) }]),
            ),
          },
        };
      },
      reset: () => {
        store.reset();
        config.runMs = options.runMs ?? (Number(process.env.DATAHUB_EMULATOR_PANDORA_RUN_MS) || 1500);
        config.keys = options.keys ?? keysFromEnv();
      },
      seed: () => {
        seedPandora(store);
        store.save();
      },
    };
  };
}

/** The factory emulator/backends.ts lists: keys from the environment, or the demo pair. */
export const registerPandora: BackendFactory = createPandoraBackend();
export { DEMO_KEYS };
