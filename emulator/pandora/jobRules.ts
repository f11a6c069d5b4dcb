// The document's rules for offline jobs (创建 / 更新离线计算任务): srcs, computation, container, scheduler, params,
// the depend mode (注1) and table names unique across the job and its upstream jobs (注2).
import { absent, integer, list, matches, member, object, optionalText, refuse, text, within, type Json } from './check';
import { crontabProblem } from './crontab';
import type { DatasourceRecord, JobDefinition, JobRecord, SourceRef } from './model';

const CONTAINERS = ['1U2G', '1U4G', '2U4G', '4U8G', '4U16G', '8U16G', '8U32G', '16U32G', '16U64G'] as const;
const SCHEDULERS = ['crontab', 'loop', 'manual', 'depend'] as const;
/** srcs.tableName: 1–128 letters, digits, underscores, starting with a letter. */
const TABLE_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,127}$/;
/** params.name: 1–64 letters, digits, underscores, starting with a letter or underscore. */
export const PARAM_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/;
/** 规格 * 数量 <= 100U */
const MAX_UNITS = 100;

export interface JobLookup {
  datasource(name: string): DatasourceRecord | undefined;
  job(name: string): JobRecord | undefined;
}

/** Every tableName of `jobName`'s sources and of its upstream jobs' sources, transitively. */
export function tablesUpstreamOf(jobName: string, lookup: JobLookup, seen = new Set<string>()): Set<string> {
  const tables = new Set<string>();
  const record = lookup.job(jobName);
  if (!record || seen.has(jobName)) return tables;
  seen.add(jobName);
  for (const src of record.body.srcs) {
    tables.add(src.tableName);
    if (src.type === 'Job') for (const t of tablesUpstreamOf(src.name, lookup, seen)) tables.add(t);
  }
  return tables;
}

function checkSources(value: unknown, jobName: string, lookup: JobLookup): SourceRef[] {
  const seen = new Set<string>();
  const srcs = list(value, 'E18207', 'srcs', true).map((entry, i): SourceRef => {
    const at = `srcs[${i}]`;
    const src = object(entry, 'E18207', at);
    const name = text(src.name, 'E18207', `${at}.name`);
    const type = member(src.type, ['DataSource', 'Job'], 'E18207', `${at}.type`) as SourceRef['type'];
    const tableName = matches(text(src.tableName, 'E18207', `${at}.tableName`), TABLE_NAME, 'E18207', `${at}.tableName`, '^[a-zA-Z][a-zA-Z0-9_]{0,127}$');
    if (seen.has(tableName)) refuse('E18207', `${at}.tableName`, `"${tableName}" is used twice`);
    seen.add(tableName);
    const fileFilter = optionalText(src.fileFilter, 'E18008', `${at}.fileFilter`);
    if (fileFilter !== undefined) within(fileFilter, 64, 'E18008', `${at}.fileFilter`);
    if (type === 'DataSource' && !lookup.datasource(name)) refuse('E18102', `${at}.name`, `datasource ${name} does not exist`);
    if (type === 'Job') {
      if (name === jobName) refuse('E18204', `${at}.name`, 'a job cannot read its own output');
      if (!lookup.job(name)) refuse('E18202', `${at}.name`, `upstream job ${name} does not exist`);
    }
    return { name, type, tableName, ...(fileFilter !== undefined && fileFilter !== '' ? { fileFilter } : {}) };
  });
  // 所有数据来源中最多包含一个离线任务
  if (srcs.filter((s) => s.type === 'Job').length > 1) refuse('E18108', 'srcs', 'at most one source may be a job');
  const upstream = srcs.find((s) => s.type === 'Job');
  if (upstream) {
    const taken = tablesUpstreamOf(upstream.name, lookup);
    const clash = srcs.find((s) => taken.has(s.tableName));
    if (clash) refuse('E18207', 'srcs.tableName', `"${clash.tableName}" is already a table of an upstream job`);
  }
  return srcs;
}

function checkScheduler(value: unknown): JobDefinition['scheduler'] {
  const scheduler = object(value, 'E18207', 'scheduler');
  const type = member(scheduler.type, SCHEDULERS, 'E18207', 'scheduler.type');
  const spec: Json = absent(scheduler.spec) ? {} : object(scheduler.spec, 'E18207', 'scheduler.spec');
  if (type === 'crontab') {
    const crontab = text(spec.crontab, 'E18208', 'scheduler.spec.crontab');
    const problem = crontabProblem(crontab);
    if (problem) refuse('E18208', 'scheduler.spec.crontab', problem);
    return { type, spec: { crontab } };
  }
  if (type === 'loop') {
    // The table asks for spec.loop, the note says a missing or 0 loop runs the job continuously: both pass.
    const loop = optionalText(spec.loop, 'E18208', 'scheduler.spec.loop') ?? '';
    if (loop !== '' && loop !== '0' && !/^\d+[mh]$/.test(loop)) refuse('E18208', 'scheduler.spec.loop', 'is a number followed by m or h, e.g. 5m');
    return { type, ...(loop !== '' ? { spec: { loop } } : {}) };
  }
  if (type === 'depend' && (!absent(spec.crontab) || !absent(spec.loop))) refuse('E18207', 'scheduler.spec', 'a depend job has no schedule of its own');
  return { type };
}

function checkContainer(value: unknown): NonNullable<JobDefinition['container']> {
  const container = object(value, 'E18213', 'container');
  const type = member(container.type, CONTAINERS, 'E18213', 'container.type');
  const count = integer(container.count, 'E18214', 'container.count');
  const units = Number(/^\d+/.exec(type)?.[0]) * count;
  if (count < 1 || units > MAX_UNITS) refuse('E18214', 'container.count', `${type} × ${count} = ${units}U; 1 to ${MAX_UNITS}U are allowed`);
  return { type, count };
}

function checkParams(value: unknown): NonNullable<JobDefinition['params']> {
  const names = new Set<string>();
  return list(value, 'E18207', 'params', false).map((entry, i) => {
    const at = `params[${i}]`;
    const param = object(entry, 'E18207', at);
    const name = matches(text(param.name, 'E18207', `${at}.name`), PARAM_NAME, 'E18207', `${at}.name`, '^[a-zA-Z_][a-zA-Z0-9_]{0,63}$');
    if (names.has(name)) refuse('E18207', `${at}.name`, `"${name}" appears twice`);
    names.add(name);
    if (typeof param.default !== 'string') refuse('E18207', `${at}.default`, 'is required (a string)');
    return { name, default: within(param.default, 64, 'E18008', `${at}.default`) };
  });
}

/** POST and PUT /v2/jobs/<name> (更新时候…校验逻辑和创建的时候相同). The job name itself has no rule in the document. */
export function checkJob(jobName: string, raw: unknown, lookup: JobLookup): JobDefinition {
  const body = object(raw, 'E18207', 'body');
  const srcs = checkSources(body.srcs, jobName, lookup);
  const computation = object(body.computation, 'E18209', 'computation');
  const code = text(computation.code, 'E18209', 'computation.code');
  if (code.trim() === '') refuse('E18209', 'computation.code', 'is required');
  if (typeof computation.type !== 'string' || computation.type.toUpperCase() !== 'SQL') refuse('E18203', 'computation.type', 'only SQL is supported');
  const scheduler = checkScheduler(body.scheduler);
  if (scheduler.type === 'depend') {
    // 注1: exactly one job among the sources; no container, schedule or params of its own.
    if (srcs.filter((s) => s.type === 'Job').length !== 1) refuse('E18207', 'srcs', 'a depend job reads exactly one upstream job');
    if (!absent(body.container)) refuse('E18207', 'container', 'a depend job uses its upstream job\'s container');
    if (Array.isArray(body.params) ? body.params.length > 0 : !absent(body.params)) refuse('E18207', 'params', 'a depend job uses its upstream job\'s params');
    return { srcs, computation: { code, type: computation.type }, scheduler };
  }
  const params = absent(body.params) ? undefined : checkParams(body.params);
  return { srcs, computation: { code, type: computation.type }, container: checkContainer(body.container), scheduler, ...(params ? { params } : {}) };
}
