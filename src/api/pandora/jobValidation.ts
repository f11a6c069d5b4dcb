// The api 003 rules for offline jobs (POST / PUT /v2/jobs/<name>): sources, SQL, container, scheduler, params,
// the depend mode and table names unique across the job and its upstream jobs.
import { isCrontab } from './crontab';
import { Collector, isBlank, isInt, isJsonObject, NAME_RE, PARAM_NAME_RE, TABLE_NAME_RE, validateJobName, type Issue } from './rules';
import { CONTAINER_TYPES, MAX_CORES, SCHEDULER_TYPES, SOURCE_KINDS } from './types';

const LOOP_RE = /^(0|[1-9][0-9]*[mh])$/;

/** Cores of a container type (`4U8G` → 4). */
export function containerCores(type: string): number {
  const m = /^(\d+)U/.exec(type);
  return m ? Number(m[1]) : 0;
}

export interface JobContext {
  /** Table names used by the upstream job and its own upstreams (note 2 of the document). */
  upstreamTableNames?: readonly string[];
}

function sourceIssues(c: Collector, srcs: unknown[], context: JobContext): number {
  let jobSources = 0;
  const upstream = new Set(context.upstreamTableNames ?? []);
  const seen = new Set<string>();
  srcs.forEach((s, i) => {
    const at = `srcs[${i}]`;
    if (!isJsonObject(s)) return c.add(at, 'object', 'E18207');
    c.oneOf(`${at}.type`, s.type, SOURCE_KINDS, 'E18207');
    // A datasource source follows the DataSourceName rule; a job source is a job name (no rule of its own).
    if (s.type === 'Job') {
      jobSources++;
      c.issues.push(...validateJobName(`${at}.name`, s.name));
    } else {
      const srcName = c.text(`${at}.name`, s.name, 'E18207');
      if (srcName !== undefined && !NAME_RE.test(srcName)) c.add(`${at}.name`, 'name', 'E18207');
    }
    const table = c.text(`${at}.tableName`, s.tableName, 'E18207');
    if (table !== undefined) {
      if (!TABLE_NAME_RE.test(table)) c.add(`${at}.tableName`, 'tableName', 'E18207');
      else if (seen.has(table) || upstream.has(table)) c.add(`${at}.tableName`, 'tableTaken', 'E18207', [table]);
      seen.add(table);
    }
    c.maxLen(`${at}.fileFilter`, s.fileFilter, 64, 'E18008');
  });
  if (jobSources > 1) c.add('srcs', 'atMostOneJob', 'E18108');
  return jobSources;
}

function schedulerIssues(c: Collector, scheduler: Record<string, unknown> | undefined): void {
  if (!scheduler) {
    c.add('scheduler.type', 'required', 'E18207');
    return;
  }
  c.oneOf('scheduler.type', scheduler.type, SCHEDULER_TYPES, 'E18207');
  const spec = scheduler.spec === undefined || scheduler.spec === null ? {} : scheduler.spec;
  if (!isJsonObject(spec)) c.add('scheduler.spec', 'object', 'E18207');
  else if (scheduler.type === 'crontab') {
    const cron = c.text('scheduler.spec.crontab', spec.crontab, 'E18208');
    if (cron !== undefined && !isCrontab(cron)) c.add('scheduler.spec.crontab', 'crontab', 'E18208');
  } else if (scheduler.type === 'loop') {
    const loop = c.text('scheduler.spec.loop', spec.loop, 'E18208');
    if (loop !== undefined && !LOOP_RE.test(loop.trim())) c.add('scheduler.spec.loop', 'loop', 'E18208');
  } else if (scheduler.type === 'depend' && (!isBlank(spec.crontab) || !isBlank(spec.loop))) {
    c.add('scheduler.spec', 'dependNoSpec', 'E18207');
  }
}

function containerIssues(c: Collector, container: unknown): void {
  if (!isJsonObject(container)) {
    c.add('container.type', 'required', 'E18213');
    return;
  }
  c.oneOf('container.type', container.type, CONTAINER_TYPES, 'E18213');
  const count = container.count;
  if (!isInt(count) || count < 1) c.add('container.count', 'containerCount', 'E18214');
  else if (typeof container.type === 'string') {
    const cores = containerCores(container.type) * count;
    if (cores > MAX_CORES) c.add('container.count', 'cores', 'E18214', [container.type, count, cores, MAX_CORES]);
  }
}

function paramIssues(c: Collector, params: unknown[]): void {
  const seen = new Set<string>();
  params.forEach((p, i) => {
    const at = `params[${i}]`;
    if (!isJsonObject(p)) return c.add(at, 'object', 'E18207');
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

/** POST|PUT /v2/jobs/<name>. */
export function validateJob(name: unknown, body: unknown, context: JobContext = {}): Issue[] {
  const c = new Collector();
  c.issues.push(...validateJobName('name', name));
  if (!isJsonObject(body)) {
    c.add('_form', 'object', 'E18207');
    return c.issues;
  }
  const scheduler = isJsonObject(body.scheduler) ? body.scheduler : undefined;
  const depend = scheduler?.type === 'depend';
  let jobSources = 0;
  if (!Array.isArray(body.srcs) || body.srcs.length === 0) c.add('srcs', 'nonEmptyList', 'E18207');
  else jobSources = sourceIssues(c, body.srcs, context);
  if (!isJsonObject(body.computation)) {
    c.add('computation.code', 'required', 'E18209');
  } else {
    if (typeof body.computation.type !== 'string' || body.computation.type.toUpperCase() !== 'SQL') c.add('computation.type', 'sqlOnly', 'E18203');
    const code = c.text('computation.code', body.computation.code, 'E18209');
    if (code !== undefined && code.trim() === '') c.add('computation.code', 'required', 'E18209');
  }
  schedulerIssues(c, scheduler);
  if (depend) {
    if (!isBlank(body.container)) c.add('container.type', 'dependNoContainer', 'E18207');
    if (Array.isArray(body.srcs) && jobSources !== 1) c.add('srcs', 'dependOneJob', 'E18207');
  } else {
    containerIssues(c, body.container);
  }
  if (body.params !== undefined && body.params !== null) {
    if (!Array.isArray(body.params)) c.add('params', 'nonEmptyList', 'E18207');
    else if (depend && body.params.length > 0) c.add('params', 'dependNoParams', 'E18207');
    else paramIssues(c, body.params);
  }
  return c.issues;
}
