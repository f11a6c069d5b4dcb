// The document's rules for exports (创建离线计算导出任务 — kodo, HDFS, HTTP, logdb, tsdb, report): each type's
// spec table, the format × compression note (注1), and mapped fields that must be columns of the job's output.
import { absent, entriesOf, integer, list, member, object, optionalBoolean, optionalMember, optionalText, refuse, text, within, type Json } from './check';
import type { ExportRecord } from './model';

const EXPORT_KINDS = ['kodo', 'hdfs', 'http', 'logdb', 'tsdb', 'report'] as const;
const FORMATS = ['json', 'csv', 'text', 'orc', 'parquet'] as const;
const SAVE_MODES = ['overwrite', 'append', 'errorIfExists', 'ignore'] as const;
const TEXTUAL = ['none', 'bzip2', 'gzip', 'lz4', 'snappy', 'deflate'];
/** 注1: which compressions each format takes. */
const COMPRESSION_BY_FORMAT = new Map<string, readonly string[]>([
  ['json', TEXTUAL],
  ['csv', TEXTUAL],
  ['text', TEXTUAL],
  ['orc', ['none', 'snappy', 'zlib', 'lzo']],
  ['parquet', ['none', 'snappy', 'gzip', 'lzo']],
]);

/** A name of the job's output (JobField); E18111 (字段不存在) when the job has no such column. */
function column(value: unknown, field: string, columns: ReadonlySet<string>): string {
  const name = text(value, 'E18303', field);
  if (!columns.has(name)) refuse('E18111', field, `"${name}" is not a column of the job's output`);
  return name;
}

/** A `{target: JobField}` map that must have at least one entry. */
function mapping(value: unknown, field: string, columns: ReadonlySet<string>): void {
  const map = object(value, 'E18303', field);
  const entries = entriesOf(map);
  if (entries.length === 0) refuse('E18303', field, 'needs at least one entry');
  for (const [target, source] of entries) {
    if (target.trim() === '') refuse('E18303', field, 'a target field name is empty');
    column(source, `${field}.${target}`, columns);
  }
}

function fileOutput(spec: Json, columns: ReadonlySet<string>, withHeader: boolean): void {
  const format = optionalMember(spec.format, FORMATS, 'E18303', 'spec.format');
  if (format === 'csv') {
    text(spec.delimiter, 'E18303', 'spec.delimiter');
    if (withHeader && optionalBoolean(spec.containsHeader, 'E18303', 'spec.containsHeader') === undefined) refuse('E18303', 'spec.containsHeader', 'is required for csv');
  }
  if (!absent(spec.compression)) {
    // Without a format the note names no list: any compression of any format passes.
    const allowed = format ? COMPRESSION_BY_FORMAT.get(format) ?? [] : [...new Set([...COMPRESSION_BY_FORMAT.values()].flat())];
    member(spec.compression, allowed, 'E18303', 'spec.compression');
  }
  if (spec.partitionBy !== undefined) list(spec.partitionBy, 'E18303', 'spec.partitionBy', false).forEach((p, i) => column(p, `spec.partitionBy[${i}]`, columns));
  const fileCount = integer(spec.fileCount, 'E18303', 'spec.fileCount');
  if (fileCount < 1 || fileCount > 1000) refuse('E18303', 'spec.fileCount', 'must be greater than 0 and at most 1000');
  optionalMember(spec.saveMode, SAVE_MODES, 'E18303', 'spec.saveMode');
}

/** The spec of an export of `type`; `columns` are the job's output columns. */
export function checkExportSpec(type: string, value: unknown, columns: ReadonlySet<string>): Json {
  const spec = object(value, 'E18303', 'spec');
  switch (type) {
    case 'kodo': {
      text(spec.bucket, 'E18303', 'spec.bucket');
      const prefix = optionalText(spec.keyPrefix, 'E18303', 'spec.keyPrefix');
      if (prefix !== undefined && (/[:\\<>]/.test(prefix) || [...prefix].length > 128)) refuse('E18303', 'spec.keyPrefix', '0–128 characters without : \\ < >');
      if (spec.retention !== undefined && spec.retention !== null) integer(spec.retention, 'E18303', 'spec.retention');
      fileOutput(spec, columns, true);
      break;
    }
    case 'hdfs': {
      const path = within(text(spec.path, 'E18303', 'spec.path'), 128, 'E18303', 'spec.path');
      if (/[\\<>]/.test(path)) refuse('E18303', 'spec.path', 'may not contain \\ < or >');
      fileOutput(spec, columns, false);
      break;
    }
    case 'http':
      text(spec.host, 'E18303', 'spec.host');
      text(spec.uri, 'E18303', 'spec.uri');
      optionalMember(spec.format, ['text', 'json'], 'E18303', 'spec.format');
      break;
    case 'logdb':
      text(spec.destRepoName, 'E18303', 'spec.destRepoName');
      optionalBoolean(spec.omitInvalid, 'E18303', 'spec.omitInvalid');
      mapping(spec.doc, 'spec.doc', columns);
      break;
    case 'tsdb':
      // The request syntax shows `series`, the table does not list it: optional, a string when given.
      text(spec.destRepoName, 'E18303', 'spec.destRepoName');
      optionalBoolean(spec.omitInvalid, 'E18303', 'spec.omitInvalid');
      optionalText(spec.series, 'E18303', 'spec.series');
      mapping(spec.tags, 'spec.tags', columns);
      mapping(spec.fields, 'spec.fields', columns);
      if (!absent(spec.timestamp)) column(spec.timestamp, 'spec.timestamp', columns);
      break;
    default:
      text(spec.database, 'E18303', 'spec.database');
      // The table types `table` as bool; it is the table's name: a string.
      text(spec.table, 'E18303', 'spec.table');
      optionalBoolean(spec.autoCreation, 'E18303', 'spec.autoCreation');
      mapping(spec.columns, 'spec.columns', columns);
      optionalMember(spec.saveMode, ['overwrite', 'append'], 'E18303', 'spec.saveMode');
  }
  return spec;
}

/** POST /v2/jobs/<job>/exports/<name>: `{type, spec}`. The export name has no rule in the document. */
export function checkNewExport(raw: unknown, columns: ReadonlySet<string>): ExportRecord {
  const body = object(raw, 'E18303', 'body');
  const type = member(body.type, EXPORT_KINDS, 'E18303', 'type');
  return { type, spec: checkExportSpec(type, body.spec, columns) };
}

/** PUT …/exports/<name>: `{spec}` for the export's own type. */
export function checkExportUpdate(existing: ExportRecord, raw: unknown, columns: ReadonlySet<string>): Json {
  const body = object(raw, 'E18303', 'body');
  return checkExportSpec(existing.type, body.spec, columns);
}
