// The api 003 rules for the smaller requests: start params, the job list filter, the history query, batch
// stop / rerun, the schema probe and /dag/schemaInfer.
import { BUCKET_RE, stringList } from './datasourceValidation';
import { Collector, isBlank, isInt, isJsonObject, PARAM_NAME_RE, TABLE_NAME_RE, validateJobName, type Issue } from './rules';
import { DATASOURCE_TYPES, RUN_STATUSES } from './types';

/** POST /v2/jobs/<name>/actions/start: run-time values for declared params or magic variables. */
export function validateRunParams(params: unknown, declared?: readonly string[]): Issue[] {
  const c = new Collector();
  if (params === undefined) return c.issues;
  if (!Array.isArray(params)) {
    c.add('params', 'nonEmptyList', 'E18007');
    return c.issues;
  }
  params.forEach((p, i) => {
    const at = `params[${i}]`;
    if (!isJsonObject(p)) return c.add(at, 'object', 'E18007');
    const pn = c.text(`${at}.name`, p.name, 'E18007');
    if (pn !== undefined && !PARAM_NAME_RE.test(pn)) c.add(`${at}.name`, 'paramName', 'E18007');
    else if (pn !== undefined && declared && !declared.includes(pn)) c.add(`${at}.name`, 'unknownParam', 'E18007', [pn]);
    if (typeof p.value !== 'string') c.add(`${at}.value`, 'text', 'E18007');
  });
  return c.issues;
}

/** GET /v2/jobs?srcDatasource=&srcJob= (not both). */
export function validateJobListQuery(query: { srcDatasource?: string; srcJob?: string }): Issue[] {
  const c = new Collector();
  if (!isBlank(query.srcDatasource) && !isBlank(query.srcJob)) c.add('srcJob', 'notBoth', 'E18007');
  return c.issues;
}

/** GET /v2/jobs/<job>/history query. */
export function validateHistoryQuery(query: { page?: unknown; size?: unknown; sortBy?: unknown; status?: unknown; runId?: unknown }): Issue[] {
  const c = new Collector();
  if (query.page !== undefined && (!isInt(query.page) || query.page < 1)) c.add('page', 'minInteger', 'E18007', [1]);
  if (query.size !== undefined && (!isInt(query.size) || query.size < 1)) c.add('size', 'minInteger', 'E18007', [1]);
  // The document's two sort keys: endTime (ascending) and -endTime (descending).
  if (query.sortBy !== undefined && query.sortBy !== 'endTime' && query.sortBy !== '-endTime') c.add('sortBy', 'sortBy', 'E18007');
  c.oneOf('status', query.status, RUN_STATUSES, 'E18007', false);
  if (query.runId !== undefined && (!isInt(query.runId) || query.runId < -1)) c.add('runId', 'runId', 'E18007');
  return c.issues;
}

/** POST /v2/batch/actions/stop|rerun. */
export function validateBatchAction(body: unknown): Issue[] {
  const c = new Collector();
  if (!isJsonObject(body)) {
    c.add('_form', 'object', 'E18007');
    return c.issues;
  }
  c.issues.push(...validateJobName('jobName', body.jobName, 'E18007'));
  const runId = typeof body.runId === 'string' && /^-?\d+$/.test(body.runId) ? Number(body.runId) : body.runId;
  if (isBlank(runId)) c.add('runId', 'required', 'E18007');
  else if (!isInt(runId) || runId < 0) c.add('runId', 'runId', 'E18007');
  return c.issues;
}

/** POST /v2/schemas: the spec of a source to probe (csv cannot be probed). */
export function validateSchemaProbe(body: unknown): Issue[] {
  const c = new Collector();
  if (!isJsonObject(body)) {
    c.add('_form', 'object', 'E18007');
    return c.issues;
  }
  const type = typeof body.type === 'string' ? body.type.toLowerCase() : body.type;
  c.oneOf('type', type, DATASOURCE_TYPES, 'E18007');
  if (type === 'fusion') return c.issues;
  if (!isJsonObject(body.spec)) {
    c.add('spec', 'object', 'E18007');
    return c.issues;
  }
  if (type === 'kodo') {
    const bucket = c.text('spec.bucket', body.spec.bucket, 'E18007');
    if (bucket !== undefined && !BUCKET_RE.test(bucket)) c.add('spec.bucket', 'bucket', 'E18007');
  } else if (type === 'hdfs') {
    stringList(c, 'spec.paths', body.spec.paths, () => undefined, true);
  }
  c.oneOf('spec.fileType', body.spec.fileType, ['json', 'parquet', 'text'], 'E18007');
  return c.issues;
}

/** POST /dag/schemaInfer. */
export function validateSchemaInfer(body: unknown): Issue[] {
  const c = new Collector();
  if (!isJsonObject(body)) {
    c.add('_form', 'object', 'E18007');
    return c.issues;
  }
  c.text('appId', body.appId, 'E18007');
  if (!isJsonObject(body.computation)) c.add('computation.code', 'required', 'E18209');
  else {
    if (typeof body.computation.type !== 'string' || body.computation.type.toLowerCase() !== 'sql') c.add('computation.type', 'sqlOnly', 'E18203');
    const code = c.text('computation.code', body.computation.code, 'E18209');
    if (code !== undefined && code.trim() === '') c.add('computation.code', 'required', 'E18209');
  }
  if (!Array.isArray(body.sourceSchemas)) c.add('sourceSchemas', 'nonEmptyList', 'E18007');
  else
    body.sourceSchemas.forEach((s, i) => {
      const at = `sourceSchemas[${i}]`;
      if (!isJsonObject(s)) return c.add(at, 'object', 'E18007');
      c.oneOf(`${at}.type`, s.type, ['batch', 'streaming'], 'E18007');
      const t = c.text(`${at}.tableName`, s.tableName, 'E18007');
      if (t !== undefined && !TABLE_NAME_RE.test(t)) c.add(`${at}.tableName`, 'tableName', 'E18007');
      c.text(`${at}.schema`, s.schema, 'E18007');
    });
  return c.issues;
}
