// The document's rules for the smaller requests: start params, the history query, stop / rerun of a batch,
// and /dag/schemaInfer.
import { absent, isJson, list, matches, member, object, refuse, text, type Json } from './check';
import { PARAM_NAME } from './jobRules';
import { BUILT_IN_VARIABLES, RUN_STATES, type Field, type JobDefinition, type RunState } from './model';

/** POST …/actions/start `{params: [{name, value}]}`: names of the job's params or of the built-in variables. */
export function checkStartParams(raw: unknown, job: JobDefinition): { name: string; value: string }[] {
  if (raw === undefined) return [];
  const body = object(raw, 'E18007', 'body');
  if (absent(body.params)) return [];
  const known = new Set<string>([...(job.params ?? []).map((p) => p.name), ...BUILT_IN_VARIABLES]);
  return list(body.params, 'E18007', 'params', false).map((entry, i) => {
    const at = `params[${i}]`;
    const param = object(entry, 'E18007', at);
    const name = matches(text(param.name, 'E18007', `${at}.name`), PARAM_NAME, 'E18007', `${at}.name`, '^[a-zA-Z_][a-zA-Z0-9_]{0,63}$');
    if (!known.has(name)) refuse('E18007', `${at}.name`, `"${name}" is neither a param of this job nor a built-in variable`);
    if (typeof param.value !== 'string') refuse('E18007', `${at}.value`, 'is required (a string)');
    return { name, value: param.value };
  });
}

export interface HistoryQuery {
  page: number;
  size: number;
  /** Descending when the document's `-` prefix was given. */
  newestFirst: boolean | undefined;
  status?: RunState;
  runId?: number;
}

function wholeNumber(params: URLSearchParams, name: string, min: number): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min) refuse('E18007', name, `must be a whole number of at least ${min}`);
  return Number(raw);
}

/** GET …/history?page&size&sortBy&status&runId. sortBy is `endTime` (ascending) or `-endTime` (descending). */
export function checkHistoryQuery(params: URLSearchParams): HistoryQuery {
  const sortBy = params.get('sortBy');
  if (sortBy !== null && sortBy !== '' && sortBy !== 'endTime' && sortBy !== '-endTime') refuse('E18007', 'sortBy', `"${sortBy}" is not a documented sort key (endTime or -endTime)`);
  const status = params.get('status');
  return {
    page: wholeNumber(params, 'page', 1) ?? 1,
    size: wholeNumber(params, 'size', 1) ?? 20,
    newestFirst: sortBy ? sortBy === '-endTime' : undefined,
    status: status ? (member(status, RUN_STATES, 'E18007', 'status') as RunState) : undefined,
    runId: wholeNumber(params, 'runId', -1),
  };
}

/** POST /v2/batch/actions/stop|rerun `{jobName, runId}` (runId a string in the document; a number passes too). */
export function checkBatchBody(raw: unknown): { jobName: string; runId: number } {
  const body = object(raw, 'E18007', 'body');
  const jobName = text(body.jobName, 'E18007', 'jobName');
  const runId = typeof body.runId === 'number' ? String(body.runId) : text(body.runId, 'E18007', 'runId');
  if (!/^\d+$/.test(runId)) refuse('E18007', 'runId', 'must be a run id');
  return { jobName, runId: Number(runId) };
}

/** A streaming source's schema decodes to `{"schema": "<avro record JSON>"}`; its fields become string columns. */
function streamingFields(decoded: unknown): unknown {
  if (!isJson(decoded) || typeof decoded.schema !== 'string') return undefined;
  try {
    const record = JSON.parse(decoded.schema) as unknown;
    if (!isJson(record) || !Array.isArray(record.fields)) return undefined;
    return record.fields.map((f) => ({ key: isJson(f) ? f.name : undefined, valtype: 'string' }));
  } catch {
    return undefined;
  }
}

/** POST /dag/schemaInfer: appId, computation {type sql, code}, sourceSchemas with base64 batch schemas. */
export function checkSchemaInfer(raw: unknown): { code: string; tables: Map<string, Field[]> } {
  const body = object(raw, 'E18007', 'body');
  text(body.appId, 'E18007', 'appId');
  const computation = object(body.computation, 'E18209', 'computation');
  if (typeof computation.type !== 'string' || computation.type.toLowerCase() !== 'sql') refuse('E18203', 'computation.type', 'only sql is supported');
  const code = text(computation.code, 'E18209', 'computation.code');
  const tables = new Map<string, Field[]>();
  list(body.sourceSchemas, 'E18007', 'sourceSchemas', false).forEach((entry, i) => {
    const at = `sourceSchemas[${i}]`;
    const source: Json = object(entry, 'E18007', at);
    member(source.type, ['streaming', 'batch'], 'E18007', `${at}.type`);
    const tableName = matches(text(source.tableName, 'E18007', `${at}.tableName`), /^[a-zA-Z][a-zA-Z0-9_]{0,127}$/, 'E18007', `${at}.tableName`, '^[a-zA-Z][a-zA-Z0-9_]{0,127}$');
    const encoded = text(source.schema, 'E18007', `${at}.schema`);
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    } catch {
      refuse('E18007', `${at}.schema`, 'is not base64 of a JSON field list');
    }
    const fields = source.type === 'batch' ? decoded : streamingFields(decoded);
    if (!Array.isArray(fields) || !fields.every((f) => isJson(f) && typeof f.key === 'string' && typeof f.valtype === 'string')) refuse('E18007', `${at}.schema`, `is not base64 of the document's ${String(source.type)} schema`);
    tables.set(tableName, fields as Field[]);
  });
  return { code, tables };
}
