// The export editor's form state (text per field, flags, mapping rows) and the export body the API takes, both ways.
import type { ExportBody, ExportFormat, ExportType } from '../../api/pandora/types';
import type { ExportDraft, ExportEditorInit } from '../exportEditorProtocol';

export type MappingKey = 'doc' | 'tags' | 'fields' | 'columns';
export interface Mapping {
  target: string;
  source: string;
}

export interface State {
  mode: 'create' | 'edit';
  jobName: string;
  name: string;
  type: ExportType;
  v: Record<string, string>;
  flags: { containsHeader: boolean; omitInvalid: boolean; autoCreation: boolean };
  partitionBy: string[];
  mappings: Record<MappingKey, Mapping[]>;
}

function num(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return /^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

function opt(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

/** Target field → job column; fromEntries makes every target an own property, whatever its name. */
function toMap(rows: Mapping[]): Record<string, string> {
  return Object.fromEntries(rows.map((r) => [r.target.trim(), r.source]));
}

export function exportBody(s: State): ExportBody {
  const v = s.v;
  const format = opt(v.format) as ExportFormat | undefined;
  const csv = format === 'csv';
  const common = { format, compression: opt(v.compression), partitionBy: s.partitionBy.length ? s.partitionBy : undefined, fileCount: num(v.fileCount) as number, saveMode: opt(v.saveMode) as never };
  const strip = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
  switch (s.type) {
    case 'kodo':
      return { type: 'kodo', spec: strip({ bucket: v.bucket ?? '', keyPrefix: opt(v.keyPrefix), ...common, delimiter: csv ? v.delimiter ?? '' : undefined, containsHeader: csv ? s.flags.containsHeader : undefined, retention: num(v.retention) }) };
    case 'hdfs':
      return { type: 'hdfs', spec: strip({ path: v.path ?? '', ...common, delimiter: csv ? v.delimiter ?? '' : undefined }) };
    case 'http':
      return { type: 'http', spec: strip({ host: v.host ?? '', uri: v.uri ?? '', format: opt(v.httpFormat) as never }) };
    case 'logdb':
      return { type: 'logdb', spec: { destRepoName: v.destRepoName ?? '', omitInvalid: s.flags.omitInvalid, doc: toMap(s.mappings.doc) } };
    case 'tsdb':
      return { type: 'tsdb', spec: strip({ destRepoName: v.destRepoName ?? '', omitInvalid: s.flags.omitInvalid, series: opt(v.series), tags: toMap(s.mappings.tags), fields: toMap(s.mappings.fields), timestamp: opt(v.timestamp) }) };
    case 'report':
      return { type: 'report', spec: strip({ database: v.database ?? '', table: v.table ?? '', autoCreation: s.flags.autoCreation, columns: toMap(s.mappings.columns), saveMode: opt(v.reportSaveMode) as never }) };
  }
}

export function draftOf(s: State): ExportDraft {
  return { name: s.name.trim(), body: exportBody(s) };
}

export function stateOf(init: ExportEditorInit, draft: ExportDraft): State {
  const spec: Record<string, unknown> = draft.body.spec;
  const str = (k: string): string => (spec[k] === undefined || spec[k] === null ? '' : String(spec[k]));
  const rows = (k: string): Mapping[] => Object.entries((spec[k] as Record<string, string> | undefined) ?? {}).map(([target, source]) => ({ target, source: String(source) }));
  const type = draft.body.type;
  return {
    mode: init.mode,
    jobName: init.jobName,
    name: draft.name,
    type,
    v: {
      bucket: str('bucket'), keyPrefix: str('keyPrefix'), path: str('path'), format: type === 'http' ? '' : str('format'), delimiter: str('delimiter'),
      compression: str('compression'), retention: str('retention'), fileCount: str('fileCount') || '1', saveMode: type === 'report' ? '' : str('saveMode'),
      host: str('host'), uri: str('uri'), httpFormat: type === 'http' ? str('format') : '', destRepoName: str('destRepoName'), series: str('series'),
      timestamp: str('timestamp'), database: str('database'), table: str('table'), reportSaveMode: type === 'report' ? str('saveMode') : '',
    },
    flags: { containsHeader: spec.containsHeader === true, omitInvalid: spec.omitInvalid === true, autoCreation: spec.autoCreation !== false },
    partitionBy: Array.isArray(spec.partitionBy) ? spec.partitionBy.map(String) : [],
    mappings: { doc: rows('doc'), tags: rows('tags'), fields: rows('fields'), columns: rows('columns') },
  };
}
