// The api 003 rules for exports (kodo, hdfs, http, logdb, tsdb, report): each type's spec, format ×
// compression (注1), fileCount, save modes, and mapped values that must be columns of the job's output.
import { Collector, isBlank, isInt, isJsonObject, validateExportName, type Issue, type JsonObject } from './rules';
import { COMPRESSIONS, EXPORT_FORMATS, EXPORT_TYPES, HTTP_FORMATS, REPORT_SAVE_MODES, SAVE_MODES, type ExportFormat } from './types';

const HOST_RE = /^(https?:\/\/)?[a-zA-Z0-9.-]+(:[0-9]{1,5})?\/?$/;

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
  if (!isJsonObject(v) || (required && Object.keys(v).length === 0)) {
    c.add(field, 'mappingEmpty', 'E18303');
    return;
  }
  for (const [target, source] of Object.entries(v)) {
    if (target.trim() === '') c.add(field, 'required', 'E18303');
    else columnRef(c, `${field}.${target}`, source, columns, true);
  }
}

function formatAndCompression(c: Collector, spec: JsonObject, withHeader: boolean): void {
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

function fileSpecCommon(c: Collector, spec: JsonObject, columns: readonly string[] | undefined): void {
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
  if (!isJsonObject(spec)) {
    c.add('spec', 'object', 'E18303');
    return c.issues;
  }
  switch (type) {
    case 'kodo': {
      // An export's bucket has no naming rule in the document (the 4–63 rule is the datasource's).
      c.text('spec.bucket', spec.bucket, 'E18303');
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
      // The request syntax shows `series` but the table does not list it: optional, text when given.
      if (!isBlank(spec.series) && typeof spec.series !== 'string') c.add('spec.series', 'text', 'E18303');
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
  c.issues.push(...validateExportName('name', exportName));
  if (!isJsonObject(body)) {
    c.add('_form', 'object', 'E18303');
    return c.issues;
  }
  c.oneOf('type', body.type, EXPORT_TYPES, 'E18303');
  c.issues.push(...validateExportSpec(body.type, body.spec, columns));
  return c.issues;
}
