// /v2/jobs: create (the output schema inferred from the SQL), full-replacement update, get, list by source,
// delete (refused while another job reads it), start with run-time params, stop; and /dag/schemaInfer.
import { refuse } from './check';
import { pandoraError } from './errors';
import { jsonBody, type PandoraService } from './http';
import { checkJob } from './jobRules';
import type { Field, JobDefinition, JobRecord } from './model';
import { checkSchemaInfer, checkStartParams } from './requestRules';
import { inferSchema } from './sql';

function outputSchema(service: PandoraService, body: JobDefinition): Field[] {
  const tables = new Map<string, Field[]>();
  for (const src of body.srcs) tables.set(src.tableName, (src.type === 'DataSource' ? service.datasource(src.name)?.schema : service.job(src.name)?.schema) ?? []);
  const inferred = inferSchema(body.computation.code, tables);
  if ('error' in inferred) refuse('E18209', 'computation.code', inferred.error);
  return inferred.schema;
}

/** GET job / list entry: the body as sent, plus the output schema (key and valtype). */
function jobView(record: JobRecord): Record<string, unknown> {
  return { ...record.body, schema: record.schema.map(({ key, valtype }) => ({ key, valtype })) };
}

export function addJobRoutes(service: PandoraService): void {
  const { store } = service;

  service.route('POST', '/v2/jobs/:name', async (c) => {
    const name = c.params.name;
    const raw = await jsonBody(c);
    if (store.jobs.has(name)) throw pandoraError('E18201', `job ${name} already exists`);
    const body = checkJob(name, raw, service);
    store.jobs.set(name, { body, schema: outputSchema(service, body), exports: new Map(), runs: [], nextRunId: 1 });
    service.save();
    c.sendJson(200, {});
  });
  service.route('PUT', '/v2/jobs/:name', async (c) => {
    const record = service.existingJob(c.params.name);
    const body = checkJob(c.params.name, await jsonBody(c), service);
    record.schema = outputSchema(service, body);
    record.body = body;
    service.save();
    c.sendJson(200, {});
  });
  service.route('GET', '/v2/jobs/:name', (c) => {
    c.sendJson(200, jobView(service.existingJob(c.params.name)));
  });
  service.route('GET', '/v2/jobs', (c) => {
    const srcDatasource = c.url.searchParams.get('srcDatasource') ?? '';
    const srcJob = c.url.searchParams.get('srcJob') ?? '';
    // srcDataSource和srcJob不能同时存在
    if (srcDatasource && srcJob) throw pandoraError('E18007', 'srcDatasource and srcJob cannot be given together');
    const names = srcDatasource ? store.readersOf('DataSource', srcDatasource) : srcJob ? store.readersOf('Job', srcJob) : [...store.jobs.keys()];
    c.sendJson(200, { jobs: names.map((name) => ({ name, ...jobView(service.existingJob(name)) })) });
  });
  service.route('DELETE', '/v2/jobs/:name', (c) => {
    service.existingJob(c.params.name);
    service.refuseWhileRead('Job', c.params.name);
    store.jobs.delete(c.params.name);
    service.save();
    c.sendJson(200, {});
  });

  service.route('POST', '/v2/jobs/:name/actions/start', async (c) => {
    const record = service.existingJob(c.params.name);
    const given = checkStartParams(await jsonBody(c, true), record.body);
    // Declared params start from their defaults; the request's values (params or built-ins) override them.
    const values = new Map((record.body.params ?? []).map((p) => [p.name, p.default]));
    for (const p of given) values.set(p.name, p.value);
    const run = service.clock.start(record, [...values].map(([name, value]) => ({ name, value })));
    service.save();
    c.sendJson(200, { runId: run.runId });
  });
  service.route('POST', '/v2/jobs/:name/actions/stop', (c) => {
    const record = service.existingJob(c.params.name);
    for (const run of record.runs) if (run.status === 'Running') service.clock.cancel(run);
    service.save();
    c.sendJson(200, {});
  });

  // The document shows no Authorization for schemaInfer; a signature that is sent is still checked.
  service.route('POST', '/dag/schemaInfer', async (c) => {
    const { code, tables } = checkSchemaInfer(await jsonBody(c));
    const inferred = inferSchema(code, tables);
    if ('error' in inferred) refuse('E18209', 'computation.code', inferred.error);
    c.sendJson(200, { schema: inferred.schema });
  }, true);
}
