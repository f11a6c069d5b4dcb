// The export editor's message schema, shared by the host (panel) and the page: the types and the runtime checks of both sides.
import * as v from 'valibot';
import { VAL_TYPES } from '../api/pandora/types';
import { MESSAGES } from '../api/pandora/validation';
import { accept, cancelSchema, draftSchema, editorInitFields, initFailedSchema, MAX_TEXT, pageStringsSchema, readySchema, requestSchema, responseSchema, text } from './messages';

const MAX_NAME = 256;
const MAX_ENTRIES = 500;
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Target field → job column: every own key is checked ("__proto__" included, which valibot's record() skips). */
const mappingSchema = v.pipe(
  v.custom<Record<string, string>>((input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return false;
    const entries = Object.entries(input);
    return entries.length <= MAX_ENTRIES && entries.every(([key, value]) => key.length <= MAX_NAME && !RESERVED_KEYS.has(key) && typeof value === 'string' && value.length <= MAX_TEXT);
  }, 'a mapping of target fields to job columns'),
  v.transform((mapping) => Object.fromEntries(Object.entries(mapping))),
);

const optionalText = v.exactOptional(text());
const optionalNumber = v.exactOptional(v.pipe(v.number(), v.finite()));
const optionalFlag = v.exactOptional(v.boolean());
const fileSpec = {
  format: optionalText,
  delimiter: optionalText,
  compression: optionalText,
  partitionBy: v.exactOptional(v.pipe(v.array(text(MAX_NAME)), v.maxLength(MAX_ENTRIES))),
  // Optional here: a form whose count was cleared still reports its draft (validateExport names the field).
  fileCount: optionalNumber,
  saveMode: optionalText,
};

/**
 * The export body, by type: the fields of that type with their types (unknown fields are dropped); the rules (formats,
 * compressions, columns) are checked by validateExport on both sides, which names the field.
 */
const exportBodySchema = v.variant('type', [
  v.object({ type: v.literal('kodo'), spec: v.object({ bucket: text(), keyPrefix: optionalText, containsHeader: optionalFlag, retention: optionalNumber, ...fileSpec }) }),
  v.object({ type: v.literal('hdfs'), spec: v.object({ path: text(), ...fileSpec }) }),
  v.object({ type: v.literal('http'), spec: v.object({ host: text(), uri: text(), format: optionalText }) }),
  v.object({ type: v.literal('logdb'), spec: v.object({ destRepoName: text(), omitInvalid: optionalFlag, doc: mappingSchema }) }),
  v.object({ type: v.literal('tsdb'), spec: v.object({ destRepoName: text(), omitInvalid: optionalFlag, series: optionalText, tags: mappingSchema, fields: mappingSchema, timestamp: optionalText }) }),
  v.object({ type: v.literal('report'), spec: v.object({ database: text(), table: text(), autoCreation: optionalFlag, columns: mappingSchema, saveMode: optionalText }) }),
]);
/** An export as the form has it: an ExportBody once validateExport finds nothing wrong. */
export type ExportDraftBody = v.InferOutput<typeof exportBodySchema>;

export const exportDraftSchema = v.object({ name: text(MAX_NAME), body: exportBodySchema });
export type ExportDraft = v.InferOutput<typeof exportDraftSchema>;

const schemaFieldSchema = v.object({ key: v.string(), valtype: v.picklist(VAL_TYPES), required: v.optional(v.boolean()) });

const initSchema = v.object({
  ...editorInitFields(exportDraftSchema, pageStringsSchema),
  jobName: v.string(),
  draft: exportDraftSchema,
  /** The job's output schema: what the mappings pick from. */
  columns: v.array(schemaFieldSchema),
});
export type ExportEditorInit = v.InferOutput<typeof initSchema>;

/** What the page keeps in the webview's state, for the panel serializer after a window reload. */
const stateSchema = v.object({
  job: text(MAX_NAME),
  /** The export being edited; null for a new export. */
  export: v.nullable(text(MAX_NAME)),
  draft: v.optional(exportDraftSchema),
});
export type ExportEditorState = v.InferOutput<typeof stateSchema>;

/** What the page may send. */
export const exportEditorPageSchema = v.variant('type', [readySchema, cancelSchema, initFailedSchema, draftSchema(exportDraftSchema), requestSchema('save', exportDraftSchema)]);
export type ExportEditorPageMessage = v.InferOutput<typeof exportEditorPageSchema>;

const saveResultSchema = v.object({ message: v.string(), mode: v.literal('edit') });
export type ExportSaveResult = v.InferOutput<typeof saveResultSchema>;

/** What the host sends. */
export const exportEditorHostSchema = v.variant('type', [initSchema, initFailedSchema, responseSchema(saveResultSchema)]);
export type ExportEditorHostMessage = v.InferOutput<typeof exportEditorHostSchema>;

/** Every text the export editor page shows (translated by the host). */
export const EXPORT_EDITOR_STRINGS = [
  'New Export of {0}',
  'Export {0} of {1}',
  'Name',
  'Type',
  'Bucket',
  'Key prefix',
  'Path',
  'Format',
  '(default)',
  'Delimiter',
  'Contains header',
  'Compression',
  'Retention (days)',
  'Partition by',
  'File count',
  'Save mode',
  'Host',
  'URI',
  'Repository',
  'Omit invalid data',
  'Document fields',
  'Series',
  'Tags',
  'Fields',
  'Timestamp column',
  '(none)',
  'Database',
  'Table',
  'Create database and table automatically',
  'Columns',
  'Target field',
  'Job column',
  'Add Mapping',
  'Remove',
  'Save',
  'Cancel',
  'Could not save: {0}',
  'Saving…',
  'Fix the fields marked in red.',
  'The job has no output schema yet: save the job with its SQL first.',
  'kodo — Kodo object storage',
  'hdfs — HDFS',
  'http — HTTP endpoint',
  'logdb — log search repository',
  'tsdb — time-series database',
  'report — report platform',
  ...Object.values(MESSAGES),
] as const;

/** The export body when its fields have the types of its export type; undefined when not. */
export const parseExportBody = (body: unknown): ExportDraftBody | undefined => accept(exportBodySchema, body);

/** The webview state the serializer was given; undefined when it is not one the page wrote. */
export const parseExportEditorState = (state: unknown): ExportEditorState | undefined => accept(stateSchema, state);

/** Parses what the page sent; undefined = refused (wrong type, shape or request id). */
export const parseExportEditorMessage = (message: unknown): ExportEditorPageMessage | undefined => accept(exportEditorPageSchema, message);
