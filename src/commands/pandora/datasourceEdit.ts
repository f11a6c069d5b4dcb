// The datasource editor's questions: everything `PUT /v2/datasources/<name>` lets change — the whole spec of
// the datasource's type (bucket, key prefixes, paths, domain, file type with its csv settings) and the schema
// (fields added, any field's required flag; never a field removed or retyped). Region and type stay.
import * as vscode from 'vscode';
import { FILE_TYPES, VAL_TYPES, type Datasource, type DatasourceSpec, type DatasourceUpdate, type FusionSourceSpec, type HdfsSourceSpec, type KodoSourceSpec, type SchemaField, type ValType } from '../../api/pandora/types';
import { formatIssue, NAME_RE, validateDatasourceUpdate } from '../../api/pandora/validation';
import type { PandoraDialogs, PromptChoice } from './dialogs';

const t = vscode.l10n.t;
const tr = (template: string): string => vscode.l10n.t(template);

/** `key:type` pairs, `!` marks a required field: "host:string!, bytes:long". */
export function parseFieldList(text: string): SchemaField[] | string {
  const fields: SchemaField[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^:\s]+)\s*:\s*([a-z]+)(!?)$/.exec(part);
    if (!m || !(VAL_TYPES as readonly string[]).includes(m[2])) return t('“{0}” is not key:type (types: {1}; add ! for required).', part, VAL_TYPES.join(', '));
    if (!NAME_RE.test(m[1])) return t('“{0}”: {1}', m[1], tr('Use 1–128 letters, digits or underscores, starting with a letter or underscore.'));
    fields.push({ key: m[1], valtype: m[2] as ValType, required: m[3] === '!' });
  }
  return fields;
}

export const commaList = (text: string): string[] => text.split(',').map((s) => s.trim()).filter(Boolean);

/** Every field a datasource spec of any type can have: the editor changes one and the validator checks the whole. */
type Spec = Partial<KodoSourceSpec & HdfsSourceSpec & FusionSourceSpec>;

/** The first problem of `update` on a field under `prefix` (what the input box shows), if any. */
function problemAt(ds: Datasource, update: DatasourceUpdate, prefix: string): string | undefined {
  const issue = validateDatasourceUpdate(ds, update).find((i) => i.field === prefix || i.field.startsWith(`${prefix}[`) || i.field.startsWith(`${prefix}.`));
  return issue ? formatIssue(issue, tr) : undefined;
}

async function askCsv(prompts: PandoraDialogs, title: string, spec: Spec): Promise<Spec | undefined> {
  const delimiter = await prompts.input({ title, prompt: t('CSV delimiter'), value: typeof spec.delimiter === 'string' ? spec.delimiter : ',', validate: (v) => (v === '' ? tr('A csv file needs a delimiter.') : undefined) });
  if (delimiter === undefined) return undefined;
  const header = await prompts.pick(title, [{ id: 'yes', label: t('Yes'), picked: spec.containsHeader === true }, { id: 'no', label: t('No') }], t('Does the CSV have a header line?'));
  if (header === undefined) return undefined;
  return { ...spec, fileType: 'csv', delimiter, containsHeader: header === 'yes' };
}

/** Asks what to change and how; the update to send (spec and schema in full), or undefined when cancelled. */
export async function askDatasourceUpdate(prompts: PandoraDialogs, ds: Datasource): Promise<DatasourceUpdate | undefined> {
  const title = t('Edit Pandora Datasource {0}', ds.name);
  const spec: Spec = { ...ds.spec };
  const schema = ds.schema;
  const listKey = ds.type === 'kodo' ? 'keyPrefixes' : ds.type === 'hdfs' ? 'paths' : 'domains';
  const actions: PromptChoice[] = [
    { id: 'addFields', label: t('Add fields…') },
    { id: 'required', label: t('Choose the required fields…') },
    ...(ds.type === 'kodo' ? [{ id: 'bucket', label: t('Change bucket…'), description: String(spec.bucket ?? '') }] : []),
    { id: 'list', label: ds.type === 'kodo' ? t('Change key prefixes…') : ds.type === 'hdfs' ? t('Change paths…') : t('Change domain…') },
    ...(ds.type !== 'fusion' ? [{ id: 'fileType', label: t('Change file type…'), description: String(spec.fileType ?? '') }] : []),
    ...(spec.fileType === 'csv' ? [{ id: 'csv', label: t('Change CSV delimiter and header…') }] : []),
  ];
  const action = await prompts.pick(title, actions, t('The spec and the schema can change (fields are never removed or retyped); the region and the type stay'));
  const update = (next: Spec, fields: SchemaField[] = schema): DatasourceUpdate => ({ spec: next as DatasourceSpec, schema: fields });
  switch (action) {
    case 'addFields': {
      const text = await prompts.input({ title, prompt: t('New fields as key:type, comma-separated; ! marks required'), validate: (v) => {
        const parsed = parseFieldList(v);
        return typeof parsed === 'string' ? parsed : problemAt(ds, update(spec, [...schema, ...parsed]), 'schema');
      } });
      return text === undefined ? undefined : update(spec, [...schema, ...(parseFieldList(text) as SchemaField[])]);
    }
    case 'required': {
      const chosen = await prompts.pickMany(title, schema.map((f) => ({ id: f.key, label: f.key, description: f.valtype, picked: f.required === true })), t('Checked fields are required'));
      return chosen && update(spec, schema.map((f) => ({ ...f, required: chosen.includes(f.key) })));
    }
    case 'bucket': {
      const bucket = await prompts.input({ title, prompt: t('Bucket (4–63 letters, digits, hyphens)'), value: String(spec.bucket ?? ''), validate: (v) => problemAt(ds, update({ ...spec, bucket: v.trim() }), 'spec.bucket') });
      return bucket === undefined ? undefined : update({ ...spec, bucket: bucket.trim() });
    }
    case 'list': {
      const current = Array.isArray(spec[listKey]) ? (spec[listKey] as string[]).join(', ') : '';
      const text = await prompts.input({ title, prompt: t('Comma-separated'), value: current, validate: (v) => problemAt(ds, update({ ...spec, [listKey]: commaList(v) }), `spec.${listKey}`) });
      return text === undefined ? undefined : update({ ...spec, [listKey]: commaList(text) });
    }
    case 'fileType': {
      const picked = await prompts.pick(title, FILE_TYPES.map((f) => ({ id: f, label: f, picked: f === spec.fileType })), t('File type'));
      const fileType = FILE_TYPES.find((f) => f === picked);
      if (fileType === undefined) return undefined;
      if (fileType === 'csv') {
        const csv = await askCsv(prompts, title, spec);
        return csv && update(csv);
      }
      const { delimiter: _delimiter, containsHeader: _header, ...rest } = spec;
      return update({ ...rest, fileType });
    }
    case 'csv': {
      const csv = await askCsv(prompts, title, spec);
      return csv && update(csv);
    }
    default:
      return undefined;
  }
}
