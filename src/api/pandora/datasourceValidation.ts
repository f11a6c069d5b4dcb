// The api 003 rules for offline datasources: POST (name, region, type, spec per type, schema) and PUT (spec
// and schema; fields may be added, never dropped or retyped), and the source spec /v2/schemas probes.
import { Collector, isJsonObject, NAME_RE, validateName, type Issue } from './rules';
import { DATASOURCE_TYPES, FILE_TYPES, REGIONS, VAL_TYPES, type SchemaField } from './types';

export const BUCKET_RE = /^[a-zA-Z0-9-]{4,63}$/;

function schemaIssues(c: Collector, schema: unknown): void {
  if (!Array.isArray(schema) || schema.length === 0) {
    c.add('schema', 'schemaEmpty', 'E18105');
    return;
  }
  const seen = new Set<string>();
  schema.forEach((f, i) => {
    const at = `schema[${i}]`;
    if (!isJsonObject(f)) return c.add(at, 'object', 'E18110');
    const key = c.text(`${at}.key`, f.key, 'E18106');
    if (key !== undefined) {
      if (!NAME_RE.test(key)) c.add(`${at}.key`, 'name', 'E18106');
      else if (seen.has(key)) c.add(`${at}.key`, 'duplicate', 'E18106', [key]);
      seen.add(key);
    }
    c.oneOf(`${at}.valtype`, f.valtype, VAL_TYPES, 'E18107');
    // schema.required is 必填 (required) in the document's table.
    if (typeof f.required !== 'boolean') c.add(`${at}.required`, 'boolean', 'E18110');
  });
}

function fileTypeIssues(c: Collector, spec: Record<string, unknown>, fileTypes: readonly string[] = FILE_TYPES): void {
  c.oneOf('spec.fileType', spec.fileType, fileTypes, 'E18007');
  if (spec.fileType === 'csv') {
    if (spec.delimiter === undefined || spec.delimiter === null || spec.delimiter === '') c.add('spec.delimiter', 'csvDelimiter', 'E18007');
    else if (typeof spec.delimiter !== 'string') c.add('spec.delimiter', 'text', 'E18007');
    if (typeof spec.containsHeader !== 'boolean') c.add('spec.containsHeader', 'csvHeader', 'E18007');
  }
}

export function stringList(c: Collector, field: string, v: unknown, each: (field: string, item: string) => void, required: boolean): void {
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
  if (!isJsonObject(spec)) {
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
  if (!isJsonObject(body)) {
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
  if (!isJsonObject(body)) {
    c.add('_form', 'object', 'E18007');
    return c.issues;
  }
  sourceSpecIssues(c, existing.type, body.spec);
  schemaIssues(c, body.schema);
  if (Array.isArray(body.schema)) {
    const next = new Map<string, unknown>();
    for (const f of body.schema) if (isJsonObject(f) && typeof f.key === 'string') next.set(f.key, f.valtype);
    for (const old of existing.schema) {
      if (!next.has(old.key)) c.add('schema', 'fieldDropped', 'E18110', [old.key]);
      else if (next.get(old.key) !== old.valtype) c.add('schema', 'fieldRetyped', 'E18110', [old.key, old.valtype, String(next.get(old.key))]);
    }
  }
  return c.issues;
}
