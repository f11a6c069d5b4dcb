// /v2/datasources: create, update (spec and schema), get, list, delete (refused while a job reads it), and
// /v2/schemas, which probes a source for its schema.
import { pandoraError } from './errors';
import { checkDatasourceUpdate, checkNewDatasource, checkSchemaProbe } from './datasourceRules';
import { jsonBody, type PandoraService } from './http';
import type { DatasourceRecord } from './model';

export function addDatasourceRoutes(service: PandoraService): void {
  const { store } = service;
  const existing = (name: string): DatasourceRecord => {
    const ds = store.datasources.get(name);
    if (!ds) throw pandoraError('E18102', `datasource ${name} does not exist`);
    return ds;
  };

  service.route('POST', '/v2/datasources/:name', async (c) => {
    const record = checkNewDatasource(c.params.name, await jsonBody(c));
    if (store.datasources.has(c.params.name)) throw pandoraError('E18101', `datasource ${c.params.name} already exists`);
    store.datasources.set(c.params.name, record);
    service.save();
    c.sendJson(200, {});
  });
  service.route('PUT', '/v2/datasources/:name', async (c) => {
    const ds = existing(c.params.name);
    Object.assign(ds, checkDatasourceUpdate(ds, await jsonBody(c)));
    service.save();
    c.sendJson(200, {});
  });
  service.route('GET', '/v2/datasources/:name', (c) => {
    c.sendJson(200, existing(c.params.name));
  });
  service.route('GET', '/v2/datasources', (c) => {
    c.sendJson(200, { datasources: [...store.datasources].map(([name, ds]) => ({ name, ...ds })) });
  });
  service.route('DELETE', '/v2/datasources/:name', (c) => {
    existing(c.params.name);
    service.refuseWhileRead('DataSource', c.params.name);
    store.datasources.delete(c.params.name);
    service.save();
    c.sendJson(200, {});
  });

  service.route('POST', '/v2/schemas', async (c) => {
    const { type, spec } = checkSchemaProbe(await jsonBody(c));
    if (type !== 'fusion' && spec.fileType === 'text') return c.sendJson(200, { schema: [{ key: 'text', valtype: 'string' }] });
    // A source that is already a datasource answers with its schema; anything else gets a log-like sample.
    const where = (s: Record<string, unknown>): string => JSON.stringify(type === 'kodo' ? s.bucket : s.paths);
    const known = [...store.datasources.values()].find((ds) => ds.type === type && type !== 'fusion' && where(ds.spec) === where(spec));
    const sample = type === 'fusion'
      ? [['time', 'date'], ['domain', 'string'], ['url', 'string'], ['status', 'long'], ['bytes', 'long']]
      : [['timestamp', 'date'], ['level', 'string'], ['message', 'string'], ['latency', 'float']];
    const schema = known ? known.schema.map(({ key, valtype }) => ({ key, valtype })) : sample.map(([key, valtype]) => ({ key, valtype }));
    c.sendJson(200, { schema });
  });
}
