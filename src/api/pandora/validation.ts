// Every rule of api 003 in one place, used by the client (refuse before sending), the forms (errors
// next to the field as you type) and the emulator (same rules, same E18xxx codes). No node imports:
// the webview bundles import this file too.
import {
  COMPRESSIONS,
  CONTAINER_TYPES,
  DATASOURCE_TYPES,
  EXPORT_FORMATS,
  EXPORT_TYPES,
  FILE_TYPES,
  HTTP_FORMATS,
  MAX_CORES,
  REGIONS,
  REPORT_SAVE_MODES,
  RUN_STATUSES,
  SAVE_MODES,
  SCHEDULER_TYPES,
  SOURCE_KINDS,
  VAL_TYPES,
  type ExportFormat,
  type SchemaField,
} from './types';

/** The English message templates; `{0}` placeholders are filled from `Issue.args`. Translated by the caller. */
export const MESSAGES = {
  required: 'Required.',
  name: 'Use 1–128 letters, digits or underscores, starting with a letter or underscore.',
  tableName: 'Use 1–128 letters, digits or underscores, starting with a letter.',
  paramName: 'Use 1–64 letters, digits or underscores, starting with a letter or underscore.',
  oneOf: 'Must be one of: {0}.',
  bucket: 'Use 4–63 letters, digits or hyphens.',
  keyPrefix: 'At most 128 characters, without \\ < >.',
  exportKeyPrefix: 'At most 128 characters, without : \\ < >.',
  path: '1–128 characters, without \\ < >.',
  nonEmptyList: 'Add at least one entry.',
  oneDomain: 'Exactly one domain is supported.',
  csvDelimiter: 'A csv file needs a delimiter.',
  csvHeader: 'A csv file needs “contains header” set (true or false).',
  schemaEmpty: 'The schema needs at least one field.',
  duplicate: '“{0}” appears more than once.',
  fieldDropped: 'Field “{0}” cannot be removed by an update.',
  fieldRetyped: 'Field “{0}” cannot change its type ({1} → {2}).',
  atMostOneJob: 'At most one source may be a job.',
  tableTaken: 'Table name “{0}” is already used by this job or an upstream job.',
  maxLength: 'At most {0} characters.',
  sqlOnly: 'Only SQL is supported.',
  containerCount: 'A whole number of at least 1.',
  cores: '{0} × {1} = {2} cores; at most {3} are allowed.',
  crontab: 'Not a crontab expression (for example 0 0 0/1 * * ?).',
  loop: 'Use a number followed by m or h, for example 5m or 1h (0 = run continuously).',
  dependOneJob: 'A depend job needs exactly one job among its sources.',
  dependNoContainer: 'A depend job takes its container from the upstream job: leave it empty.',
  dependNoSpec: 'A depend job has no scheduler spec.',
  dependNoParams: 'A depend job takes its params from the upstream job: leave them empty.',
  fileCount: 'A whole number from 1 to 1000.',
  compression: 'Format {0} allows only: {1}.',
  integer: 'A whole number.',
  minInteger: 'A whole number of at least {0}.',
  boolean: 'true or false.',
  notAColumn: '“{0}” is not a column of the job’s output.',
  uri: 'A path starting with /.',
  host: 'A host name or IP address, optionally with a scheme and a port.',
  mappingEmpty: 'Add at least one mapping.',
  notBoth: 'Give srcDatasource or srcJob, not both.',
  sortBy: 'Use a field name (endTime, startTime, runId), optionally preceded by -.',
  runId: 'A run id (a whole number) or -1 for the latest run.',
  unknownParam: '“{0}” is not a param of this job.',
  object: 'Must be an object.',
  text: 'Must be text.',
} as const;

export type MessageId = keyof typeof MESSAGES;

export interface Issue {
  /** Dotted path of the offending field (`srcs[1].tableName`), or `_form`. */
  field: string;
  message: MessageId;
  args?: (string | number)[];
  /** The E18xxx code the backend answers with for this rule. */
  code: string;
}

/** Fills a message template; `translate` maps the English template to the user's language. */
export function formatIssue(issue: Issue, translate: (template: string) => string = (t) => t): string {
  const template = translate(MESSAGES[issue.message]);
  return template.replace(/\{(\d+)\}/g, (_m, i: string) => String(issue.args?.[Number(i)] ?? ''));
}

/** Issues keyed by field, the first per field (what a form shows). */
export function issuesByField(issues: readonly Issue[], translate?: (template: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) if (!(issue.field in out)) out[issue.field] = formatIssue(issue, translate);
  return out;
}

export const NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/;
export const TABLE_NAME_RE = /^[a-zA-Z][a-zA-Z0-9_]{0,127}$/;
export const PARAM_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/;
const BUCKET_RE = /^[a-zA-Z0-9-]{4,63}$/;
const LOOP_RE = /^(0|[1-9][0-9]*[mh])$/;
const CRON_FIELD_RE = /^[0-9A-Za-z*?/,\-#LW]+$/;
const HOST_RE = /^(https?:\/\/)?[a-zA-Z0-9.-]+(:[0-9]{1,5})?\/?$/;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

class Collector {
  readonly issues: Issue[] = [];
  add(field: string, message: MessageId, code: string, args?: (string | number)[]): void {
    this.issues.push({ field, message, code, ...(args ? { args } : {}) });
  }
  /** Required text; returns it when present. */
  text(field: string, v: unknown, code: string): string | undefined {
    if (isBlank(v)) this.add(field, 'required', code);
    else if (typeof v !== 'string') this.add(field, 'text', code);
    else return v;
    return undefined;
  }
  oneOf(field: string, v: unknown, values: readonly string[], code: string, required = true): void {
    if (isBlank(v)) {
      if (required) this.add(field, 'required', code);
    } else if (typeof v !== 'string' || !values.includes(v)) {
      this.add(field, 'oneOf', code, [values.join(', ')]);
    }
  }
  bool(field: string, v: unknown, code: string): void {
    if (v !== undefined && typeof v !== 'boolean') this.add(field, 'boolean', code);
  }
  maxLen(field: string, v: unknown, max: number, code: string): void {
    if (v === undefined) return;
    if (typeof v !== 'string') this.add(field, 'text', code);
    else if (v.length > max) this.add(field, 'maxLength', code, [max]);
  }
}

/** A Pandora resource name (datasource, job, export). */
export function validateName(field: string, value: unknown, code = 'E18103'): Issue[] {
  const c = new Collector();
  const v = c.text(field, value, code);
  if (v !== undefined && !NAME_RE.test(v)) c.add(field, 'name', code);
  return c.issues;
}

function schemaIssues(c: Collector, schema: unknown): void {
  if (!Array.isArray(schema) || schema.length === 0) {
    c.add('schema', 'schemaEmpty', 'E18105');
    return;
  }
  const seen = new Set<string>();
  schema.forEach((f, i) => {
    const at = `schema[${i}]`;
    if (!isObj(f)) return c.add(at, 'object', 'E18110');
    const key = c.text(`${at}.key`, f.key, 'E18106');
    if (key !== undefined) {
      if (!NAME_RE.test(key)) c.add(`${at}.key`, 'name', 'E18106');
      else if (seen.has(key)) c.add(`${at}.key`, 'duplicate', 'E18106', [key]);
      seen.add(key);
    }
    c.oneOf(`${at}.valtype`, f.valtype, VAL_TYPES, 'E18107');
    c.bool(`${at}.required`, f.required, 'E18110');
  });
}

function fileTypeIssues(c: Collector, spec: Obj, fileTypes: readonly string[] = FILE_TYPES): void {
  c.oneOf('spec.fileType', spec.fileType, fileTypes, 'E18007');
  if (spec.fileType === 'csv') {
    if (isBlank(spec.delimiter)) c.add('spec.delimiter', 'csvDelimiter', 'E18007');
    else if (typeof spec.delimiter !== 'string') c.add('spec.delimiter', 'text', 'E18007');
    if (typeof spec.containsHeader !== 'boolean') c.add('spec.containsHeader', 'csvHeader', 'E18007');
  }
}

function stringList(c: Collector, field: string, v: unknown, each: (field: string, item: string) => void, required: boolean): void {
  if (v === undefined && !required) return;
  if (!Array.isArray(v) || (required && v.length === 0)) {
    c.add(field, 'nonEmptyList', 'E18007');
    return;
  }
  v.forEach((item, i) => {
    if (typeof item !== 'string') c.add(`${field}[${i}]`, 'text', 'E18007');
    else each(`${field}[${i}]`, item);
  });
}

function sourceSpecIssues(c: Collector, type: unknown, spec: unknown): void {
  if (!isObj(spec)) {
    c.add('spec', 'object', 'E18007');
    return;
  }
  if (type === 'kodo') {
    const bucket = c.text('spec.bucket', spec.bucket, 'E18007');
    if (bucket !== undefined && !BUCKET_RE.test(bucket)) c.add('spec.bucket', 'bucket', 'E18007');
    stringList(c, 'spec.keyPrefixes', spec.keyPrefixes, (f, p) => {
      if (p.length > 128 || /[\\<>]/.test(p)) c.add(f, 'keyPrefix', 'E18007');
    }, false);
    fileTypeIssues(c, spec);
  } else if (type === 'hdfs') {
    stringList(c, 'spec.paths', spec.paths, (f, p) => {
      if (p === '') c.add(f, 'required', 'E18007');
    }, true);
    fileTypeIssues(c, spec);
  } else if (type === 'fusion') {
    stringList(c, 'spec.domains', spec.domains, (f, d) => {
      if (d === '') c.add(f, 'required', 'E18007');
    }, true);
    if (Array.isArray(spec.domains) && spec.domains.length > 1) c.add('spec.domains', 'oneDomain', 'E18007');
  }
}

/** POST /v2/datasources/<name>. */
export function validateDatasource(name: unknown, body: unknown): Issue[] {
  const c = new Collector();
  c.issues.push(...validateName('name', name, 'E18103'));
  if (!isObj(body)) {
    c.add('_form', 'object', 'E18007');
    return c.issues;
  }
  c.oneOf('region', body.region, REGIONS, 'E18212');
  c.oneOf('type', body.type, DATASOURCE_TYPES, 'E18109');
  sourceSpecIssues(c, body.type, body.spec);
  schemaIssues(c, body.schema);
  return c.issues;
}

/** PUT /v2/datasources/<name>: the same spec rules, and no field dropped or retyped. */
export function validateDatasourceUpdate(existing: { type: string; schema: SchemaField[] }, body: unknown): Issue[] {
  const c = new Collector();
  if (!isObj(body)) {
    c.add('_form', 'object', 'E18007');
    return c.issues;
  }
  sourceSpecIssues(c, existing.type, body.spec);
  schemaIssues(c, body.schema);
  if (Array.isArray(body.schema)) {
    const next = new Map<string, unknown>();
    for (const f of body.schema) if (isObj(f) && typeof f.key === 'string') next.set(f.key, f.valtype);
    for (const old of existing.schema) {
      if (!next.has(old.key)) c.add('schema', 'fieldDropped', 'E18110', [old.key]);
      else if (next.get(old.key) !== old.valtype) c.add('schema', 'fieldRetyped', 'E18110', [old.key, old.valtype, String(next.get(old.key))]);
    }
  }
  return c.issues;
}

/** Cores of a container type (`4U8G` → 4). */
export function containerCores(type: string): number {
  const m = /^(\d+)U/.exec(type);
  return m ? Number(m[1]) : 0;
}

/** A Quartz-style crontab: 5 to 7 fields of digits, names and * ? / , - L W #. */
export function isCrontab(spec: string): boolean {
  const fields = spec.trim().split(/\s+/);
  return fields.length >= 5 && fields.length <= 7 && fields.every((f) => CRON_FIELD_RE.test(f));
}

export interface JobContext {
  /** Table names used by the upstream job and its own upstreams (note 2 of the document). */
  upstreamTableNames?: readonly string[];
}

/** POST|PUT /v2/jobs/<name>. */
export function validateJob(name: unknown, body: unknown, context: JobContext = {}): Issue[] {
  const c = new Collector();
  c.issues.push(...validateName('name', name, 'E18207'));
  if (!isObj(body)) {
    c.add('_form', 'object', 'E18207');
    return c.issues;
  }
  const scheduler = isObj(body.scheduler) ? body.scheduler : undefined;
  const depend = scheduler?.type === 'depend';
  // srcs
  let jobSources = 0;
  if (!Array.isArray(body.srcs) || body.srcs.length === 0) {
    c.add('srcs', 'nonEmptyList', 'E18207');
  } else {
    const upstream = new Set(context.upstreamTableNames ?? []);
    const seen = new Set<string>();
    body.srcs.forEach((s, i) => {
      const at = `srcs[${i}]`;
      if (!isObj(s)) return c.add(at, 'object', 'E18207');
      const srcName = c.text(`${at}.name`, s.name, 'E18207');
      if (srcName !== undefined && !NAME_RE.test(srcName)) c.add(`${at}.name`, 'name', 'E18207');
      c.oneOf(`${at}.type`, s.type, SOURCE_KINDS, 'E18207');
      if (s.type === 'Job') jobSources++;
      const table = c.text(`${at}.tableName`, s.tableName, 'E18207');
      if (table !== undefined) {
        if (!TABLE_NAME_RE.test(table)) c.add(`${at}.tableName`, 'tableName', 'E18207');
        else if (seen.has(table) || upstream.has(table)) c.add(`${at}.tableName`, 'tableTaken', 'E18207', [table]);
        seen.add(table);
      }
      c.maxLen(`${at}.fileFilter`, s.fileFilter, 64, 'E18008');
    });
    if (jobSources > 1) c.add('srcs', 'atMostOneJob', 'E18108');
  }
  // computation
  if (!isObj(body.computation)) {
    c.add('computation.code', 'required', 'E18209');
  } else {
    if (typeof body.computation.type !== 'string' || body.computation.type.toUpperCase() !== 'SQL') c.add('computation.type', 'sqlOnly', 'E18203');
    const code = c.text('computation.code', body.computation.code, 'E18209');
    if (code !== undefined && code.trim() === '') c.add('computation.code', 'required', 'E18209');
  }
  // scheduler
  if (!scheduler) {
    c.add('scheduler.type', 'required', 'E18207');
  } else {
    c.oneOf('scheduler.type', scheduler.type, SCHEDULER_TYPES, 'E18207');
    const spec = scheduler.spec === undefined || scheduler.spec === null ? {} : scheduler.spec;
    if (!isObj(spec)) c.add('scheduler.spec', 'object', 'E18207');
    else if (scheduler.type === 'crontab') {
      const cron = c.text('scheduler.spec.crontab', spec.crontab, 'E18208');
      if (cron !== undefined && !isCrontab(cron)) c.add('scheduler.spec.crontab', 'crontab', 'E18208');
    } else if (scheduler.type === 'loop') {
      const loop = c.text('scheduler.spec.loop', spec.loop, 'E18208');
      if (loop !== undefined && !LOOP_RE.test(loop.trim())) c.add('scheduler.spec.loop', 'loop', 'E18208');
    } else if (depend && (!isBlank(spec.crontab) || !isBlank(spec.loop))) {
      c.add('scheduler.spec', 'dependNoSpec', 'E18207');
    }
  }
  // container
  if (depend) {
    if (!isBlank(body.container)) c.add('container.type', 'dependNoContainer', 'E18207');
    if (Array.isArray(body.srcs) && jobSources !== 1) c.add('srcs', 'dependOneJob', 'E18207');
  } else if (!isObj(body.container)) {
    c.add('container.type', 'required', 'E18213');
  } else {
    c.oneOf('container.type', body.container.type, CONTAINER_TYPES, 'E18213');
    const count = body.container.count;
    if (!isInt(count) || count < 1) c.add('container.count', 'containerCount', 'E18214');
    else if (typeof body.container.type === 'string') {
      const cores = containerCores(body.container.type) * count;
      if (cores > MAX_CORES) c.add('container.count', 'cores', 'E18214', [body.container.type, count, cores, MAX_CORES]);
    }
  }
  // params
  if (body.params !== undefined && body.params !== null) {
    if (!Array.isArray(body.params)) c.add('params', 'nonEmptyList', 'E18207');
    else if (depend && body.params.length > 0) c.add('params', 'dependNoParams', 'E18207');
    else {
      const seen = new Set<string>();
      body.params.forEach((p, i) => {
        const at = `params[${i}]`;
        if (!isObj(p)) return c.add(at, 'object', 'E18207');
        const pn = c.text(`${at}.name`, p.name, 'E18207');
        if (pn !== undefined) {
          if (!PARAM_NAME_RE.test(pn)) c.add(`${at}.name`, 'paramName', 'E18207');
          else if (seen.has(pn)) c.add(`${at}.name`, 'duplicate', 'E18207', [pn]);
          seen.add(pn);
        }
        if (typeof p.default !== 'string') c.add(`${at}.default`, 'text', 'E18207');
        else c.maxLen(`${at}.default`, p.default, 64, 'E18008');
      });
    }
  }
  return c.issues;
}

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
    if (!isObj(p)) return c.add(at, 'object', 'E18007');
    const pn = c.text(`${at}.name`, p.name, 'E18007');
    if (pn !== undefined && !PARAM_NAME_RE.test(pn)) c.add(`${at}.name`, 'paramName', 'E18007');
    else if (pn !== undefined && declared && !declared.includes(pn)) c.add(`${at}.name`, 'unknownParam', 'E18007', [pn]);
    if (typeof p.value !== 'string') c.add(`${at}.value`, 'text', 'E18007');
  });
  return c.issues;
}

function columnRef(c: Collector, field: string, v: unknown, columns: readonly string[] | undefined, required: boolean): void {
  if (isBlank(v)) {
    if (required) c.add(field, 'required', 'E18303');
    return;
  }
  if (typeof v !== 'string') c.add(field, 'text', 'E18303');
  else if (columns && !columns.includes(v)) c.add(field, 'notAColumn', 'E18111', [v]);
}

function mapping(c: Collector, field: string, v: unknown, columns: readonly string[] | undefined, required: boolean): void {
  if (v === undefined && !required) return;
  if (!isObj(v) || (required && Object.keys(v).length === 0)) {
    c.add(field, 'mappingEmpty', 'E18303');
    return;
  }
  for (const [target, source] of Object.entries(v)) {
    if (target.trim() === '') c.add(field, 'required', 'E18303');
    else columnRef(c, `${field}.${target}`, source, columns, true);
  }
}

function formatAndCompression(c: Collector, spec: Obj, withHeader: boolean): void {
  c.oneOf('spec.format', spec.format, EXPORT_FORMATS, 'E18303', false);
  if (spec.format === 'csv') {
    if (isBlank(spec.delimiter)) c.add('spec.delimiter', 'csvDelimiter', 'E18303');
    if (withHeader && typeof spec.containsHeader !== 'boolean') c.add('spec.containsHeader', 'csvHeader', 'E18303');
  }
  if (!isBlank(spec.compression)) {
    // Without a format the text-like formats' list applies (json is the backend's default).
    const format = (typeof spec.format === 'string' && (EXPORT_FORMATS as readonly string[]).includes(spec.format) ? spec.format : 'json') as ExportFormat;
    const allowed = COMPRESSIONS[format];
    if (typeof spec.compression !== 'string' || !allowed.includes(spec.compression)) c.add('spec.compression', 'compression', 'E18303', [format, allowed.join(', ')]);
  }
}

function fileSpecCommon(c: Collector, spec: Obj, columns: readonly string[] | undefined): void {
  if (spec.partitionBy !== undefined) {
    if (!Array.isArray(spec.partitionBy)) c.add('spec.partitionBy', 'nonEmptyList', 'E18303');
    else spec.partitionBy.forEach((p, i) => columnRef(c, `spec.partitionBy[${i}]`, p, columns, true));
  }
  if (isBlank(spec.fileCount)) c.add('spec.fileCount', 'required', 'E18303');
  else if (!isInt(spec.fileCount) || spec.fileCount < 1 || spec.fileCount > 1000) c.add('spec.fileCount', 'fileCount', 'E18303');
  c.oneOf('spec.saveMode', spec.saveMode, SAVE_MODES, 'E18303', false);
}

/** The spec of an export of `type`; `columns` = the job's output columns when known. */
export function validateExportSpec(type: unknown, spec: unknown, columns?: readonly string[]): Issue[] {
  const c = new Collector();
  if (!isObj(spec)) {
    c.add('spec', 'object', 'E18303');
    return c.issues;
  }
  switch (type) {
    case 'kodo': {
      const bucket = c.text('spec.bucket', spec.bucket, 'E18303');
      if (bucket !== undefined && !BUCKET_RE.test(bucket)) c.add('spec.bucket', 'bucket', 'E18303');
      if (spec.keyPrefix !== undefined && (typeof spec.keyPrefix !== 'string' || spec.keyPrefix.length > 128 || /[:\\<>]/.test(spec.keyPrefix))) {
        c.add('spec.keyPrefix', 'exportKeyPrefix', 'E18303');
      }
      formatAndCompression(c, spec, true);
      if (spec.retention !== undefined && !isInt(spec.retention)) c.add('spec.retention', 'integer', 'E18303');
      fileSpecCommon(c, spec, columns);
      break;
    }
    case 'hdfs': {
      const path = c.text('spec.path', spec.path, 'E18303');
      if (path !== undefined && (path.length > 128 || /[\\<>]/.test(path))) c.add('spec.path', 'path', 'E18303');
      formatAndCompression(c, spec, false);
      fileSpecCommon(c, spec, columns);
      break;
    }
    case 'http': {
      const host = c.text('spec.host', spec.host, 'E18303');
      if (host !== undefined && !HOST_RE.test(host)) c.add('spec.host', 'host', 'E18303');
      const uri = c.text('spec.uri', spec.uri, 'E18303');
      if (uri !== undefined && !uri.startsWith('/')) c.add('spec.uri', 'uri', 'E18303');
      c.oneOf('spec.format', spec.format, HTTP_FORMATS, 'E18303', false);
      break;
    }
    case 'logdb': {
      c.text('spec.destRepoName', spec.destRepoName, 'E18303');
      c.bool('spec.omitInvalid', spec.omitInvalid, 'E18303');
      mapping(c, 'spec.doc', spec.doc, columns, true);
      break;
    }
    case 'tsdb': {
      c.text('spec.destRepoName', spec.destRepoName, 'E18303');
      c.bool('spec.omitInvalid', spec.omitInvalid, 'E18303');
      c.text('spec.series', spec.series, 'E18303');
      mapping(c, 'spec.tags', spec.tags, columns, true);
      mapping(c, 'spec.fields', spec.fields, columns, true);
      columnRef(c, 'spec.timestamp', spec.timestamp, columns, false);
      break;
    }
    case 'report': {
      c.text('spec.database', spec.database, 'E18303');
      c.text('spec.table', spec.table, 'E18303');
      c.bool('spec.autoCreation', spec.autoCreation, 'E18303');
      mapping(c, 'spec.columns', spec.columns, columns, true);
      c.oneOf('spec.saveMode', spec.saveMode, REPORT_SAVE_MODES, 'E18303', false);
      break;
    }
    default:
      break;
  }
  return c.issues;
}

/** POST /v2/jobs/<job>/exports/<name>. */
export function validateExport(exportName: unknown, body: unknown, columns?: readonly string[]): Issue[] {
  const c = new Collector();
  c.issues.push(...validateName('name', exportName, 'E18303'));
  if (!isObj(body)) {
    c.add('_form', 'object', 'E18303');
    return c.issues;
  }
  c.oneOf('type', body.type, EXPORT_TYPES, 'E18303');
  c.issues.push(...validateExportSpec(body.type, body.spec, columns));
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
  if (query.sortBy !== undefined && (typeof query.sortBy !== 'string' || !/^-?(endTime|startTime|runId)$/.test(query.sortBy))) c.add('sortBy', 'sortBy', 'E18007');
  c.oneOf('status', query.status, RUN_STATUSES, 'E18007', false);
  if (query.runId !== undefined && (!isInt(query.runId) || query.runId < -1)) c.add('runId', 'runId', 'E18007');
  return c.issues;
}

/** POST /v2/batch/actions/stop|rerun. */
export function validateBatchAction(body: unknown): Issue[] {
  const c = new Collector();
  if (!isObj(body)) {
    c.add('_form', 'object', 'E18007');
    return c.issues;
  }
  c.issues.push(...validateName('jobName', body.jobName, 'E18007'));
  const runId = typeof body.runId === 'string' && /^-?\d+$/.test(body.runId) ? Number(body.runId) : body.runId;
  if (isBlank(runId)) c.add('runId', 'required', 'E18007');
  else if (!isInt(runId) || runId < 0) c.add('runId', 'runId', 'E18007');
  return c.issues;
}

/** POST /v2/schemas: the spec of a source to probe (csv cannot be probed). */
export function validateSchemaProbe(body: unknown): Issue[] {
  const c = new Collector();
  if (!isObj(body)) {
    c.add('_form', 'object', 'E18007');
    return c.issues;
  }
  const type = typeof body.type === 'string' ? body.type.toLowerCase() : body.type;
  c.oneOf('type', type, DATASOURCE_TYPES, 'E18007');
  if (type === 'fusion') return c.issues;
  if (!isObj(body.spec)) {
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
  if (!isObj(body)) {
    c.add('_form', 'object', 'E18007');
    return c.issues;
  }
  c.text('appId', body.appId, 'E18007');
  if (!isObj(body.computation)) c.add('computation.code', 'required', 'E18209');
  else {
    if (typeof body.computation.type !== 'string' || body.computation.type.toLowerCase() !== 'sql') c.add('computation.type', 'sqlOnly', 'E18203');
    const code = c.text('computation.code', body.computation.code, 'E18209');
    if (code !== undefined && code.trim() === '') c.add('computation.code', 'required', 'E18209');
  }
  if (!Array.isArray(body.sourceSchemas)) c.add('sourceSchemas', 'nonEmptyList', 'E18007');
  else
    body.sourceSchemas.forEach((s, i) => {
      const at = `sourceSchemas[${i}]`;
      if (!isObj(s)) return c.add(at, 'object', 'E18007');
      c.oneOf(`${at}.type`, s.type, ['batch', 'streaming'], 'E18007');
      const t = c.text(`${at}.tableName`, s.tableName, 'E18007');
      if (t !== undefined && !TABLE_NAME_RE.test(t)) c.add(`${at}.tableName`, 'tableName', 'E18007');
      c.text(`${at}.schema`, s.schema, 'E18007');
    });
  return c.issues;
}
