// The document's rules for offline datasources (创建 / 更新离线数据源): name, region, type, spec per type, schema.
import { isJson, list, matches, member, object, optionalBoolean, refuse, text, within, type Json } from './check';
import { FIELD_TYPES, type DatasourceRecord, type Field } from './model';

/** DataSourceName and schema.key: 1–128 characters, letters, digits, underscore, not starting with a digit. */
export const DATASOURCE_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/;
const NAME_RULE = '^[a-zA-Z_][a-zA-Z0-9_]{0,127}$';
const SOURCE_FILE_TYPES = ['json', 'csv', 'text', 'parquet'] as const;

export function checkDatasourceName(name: string): void {
  matches(name, DATASOURCE_NAME, 'E18103', 'DataSourceName', NAME_RULE);
}

function fileSettings(spec: Json): void {
  const fileType = member(spec.fileType, SOURCE_FILE_TYPES, 'E18007', 'spec.fileType');
  if (fileType !== 'csv') return;
  // 当文件类型为csv时，delimiter / containsHeader 为必填项
  text(spec.delimiter, 'E18007', 'spec.delimiter');
  if (optionalBoolean(spec.containsHeader, 'E18007', 'spec.containsHeader') === undefined) refuse('E18007', 'spec.containsHeader', 'is required for csv');
}

function stringItems(value: unknown, field: string, nonEmpty: boolean, each: (item: string, at: string) => void): void {
  list(value, 'E18007', field, nonEmpty).forEach((item, i) => {
    if (typeof item !== 'string') refuse('E18007', `${field}[${i}]`, 'must be a string');
    each(item, `${field}[${i}]`);
  });
}

/** The spec of a datasource of `type` (kodo, hdfs or fusion). */
export function checkSourceSpec(type: string, value: unknown): Json {
  const spec = object(value, 'E18007', 'spec');
  if (type === 'kodo') {
    matches(text(spec.bucket, 'E18007', 'spec.bucket'), /^[a-zA-Z0-9-]{4,63}$/, 'E18007', 'spec.bucket', '4–63 letters, digits or hyphens');
    if (spec.keyPrefixes !== undefined) {
      stringItems(spec.keyPrefixes, 'spec.keyPrefixes', false, (prefix, at) => {
        within(prefix, 128, 'E18007', at);
        if (/[\\<>]/.test(prefix)) refuse('E18007', at, 'may not contain \\ < or >');
      });
    }
    fileSettings(spec);
  } else if (type === 'hdfs') {
    stringItems(spec.paths, 'spec.paths', true, (path, at) => text(path, 'E18007', at));
    fileSettings(spec);
  } else {
    stringItems(spec.domains, 'spec.domains', true, (domain, at) => text(domain, 'E18007', at));
    // 融合cdn的域名(目前仅支持单域名)
    if ((spec.domains as unknown[]).length > 1) refuse('E18007', 'spec.domains', 'only one domain is supported');
  }
  return spec;
}

export function checkSchema(value: unknown): Field[] {
  if (!Array.isArray(value) || value.length === 0) refuse('E18105', 'schema', 'needs at least one field');
  const keys = new Set<string>();
  return value.map((entry, i) => {
    const at = `schema[${i}]`;
    if (!isJson(entry)) refuse('E18110', at, 'must be an object');
    const key = matches(text(entry.key, 'E18106', `${at}.key`), DATASOURCE_NAME, 'E18106', `${at}.key`, NAME_RULE);
    if (keys.has(key)) refuse('E18106', `${at}.key`, `"${key}" appears twice`);
    keys.add(key);
    const valtype = member(entry.valtype, FIELD_TYPES, 'E18107', `${at}.valtype`);
    // schema.required is 必填 (required) in the table.
    if (typeof entry.required !== 'boolean') refuse('E18110', `${at}.required`, 'is required (true or false)');
    return { key, valtype, required: entry.required };
  });
}

/** POST /v2/datasources/<name>. */
export function checkNewDatasource(name: string, raw: unknown): DatasourceRecord {
  checkDatasourceName(name);
  const body = object(raw, 'E18007', 'body');
  // 目前仅支持"nb"(华东区域)
  const region = member(body.region, ['nb'], 'E18212', 'region');
  const type = member(body.type, ['kodo', 'hdfs', 'fusion'], 'E18109', 'type');
  return { region, type, spec: checkSourceSpec(type, body.spec), schema: checkSchema(body.schema) };
}

/** PUT /v2/datasources/<name>: spec and schema; 不允许减少字段，也不允许更改字段的类型. */
export function checkDatasourceUpdate(existing: DatasourceRecord, raw: unknown): Pick<DatasourceRecord, 'spec' | 'schema'> {
  const body = object(raw, 'E18007', 'body');
  const spec = checkSourceSpec(existing.type, body.spec);
  const schema = checkSchema(body.schema);
  const next = new Map(schema.map((f) => [f.key, f.valtype]));
  for (const old of existing.schema) {
    const now = next.get(old.key);
    if (now === undefined) refuse('E18110', 'schema', `field "${old.key}" cannot be removed`);
    if (now !== old.valtype) refuse('E18110', 'schema', `field "${old.key}" cannot change its type (${old.valtype} → ${now})`);
  }
  return { spec, schema };
}

/** POST /v2/schemas: `{type: Kodo|HDFS|Fusion, spec}`; fileType json, parquet or text. */
export function checkSchemaProbe(raw: unknown): { type: string; spec: Json } {
  const body = object(raw, 'E18007', 'body');
  const type = member(typeof body.type === 'string' ? body.type.toLowerCase() : body.type, ['kodo', 'hdfs', 'fusion'], 'E18007', 'type');
  if (type === 'fusion') return { type, spec: isJson(body.spec) ? body.spec : {} };
  const spec = object(body.spec, 'E18007', 'spec');
  if (type === 'kodo') text(spec.bucket, 'E18007', 'spec.bucket');
  else stringItems(spec.paths, 'spec.paths', true, (p, at) => text(p, 'E18007', at));
  member(spec.fileType, ['json', 'parquet', 'text'], 'E18007', 'spec.fileType');
  return { type, spec };
}
