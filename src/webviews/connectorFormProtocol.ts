// The connector form's message schema, shared by the host (panel) and the page: the types and the runtime checks of both sides.
import * as v from 'valibot';
import { SourceType, type Connector, type ConnectorInput } from '../api/ingest/types';
import type { FieldProblem } from '../api/ingest/validation';
import { accept, cancelSchema, draftSchema, editorInitFields, initFailedSchema, readySchema, requestSchema, responseSchema, text } from './messages';

export type FormSourceType = 'oss' | 's3';

/** Every field of the form, as strings and a boolean; exactly these fields (the secret is always '' when sent to the page). */
export const formValuesSchema = v.strictObject({
  name: text(),
  sourceType: v.picklist(['oss', 's3']),
  endpoint: text(),
  accessKeyId: text(),
  accessKeySecret: text(),
  bucketName: text(),
  region: text(),
  pathStyle: v.boolean(),
});
export type ConnectorFormValues = v.InferOutput<typeof formValuesSchema>;

export type FormField = keyof ConnectorFormValues;

const FIELD_PROBLEMS = ['required', 'tooLong', 'badEndpoint', 'badBucket', 'badSourceType', 'badId', 'whitespace'] as const satisfies readonly FieldProblem[];

/** The translated texts of the page (the page has no l10n of its own). */
const formStringsSchema = v.object({
  title: v.string(),
  name: v.string(),
  sourceType: v.string(),
  endpoint: v.string(),
  accessKeyId: v.string(),
  accessKeySecret: v.string(),
  secretKeepHint: v.string(),
  bucketName: v.string(),
  region: v.string(),
  pathStyle: v.string(),
  validate: v.string(),
  save: v.string(),
  cancel: v.string(),
  working: v.string(),
  /** "Could not save: {0}" with the problems of a failed save, at the top of the form. */
  couldNotSave: v.string(),
  problems: v.object(Object.fromEntries(FIELD_PROBLEMS.map((p) => [p, v.string()])) as Record<FieldProblem, v.StringSchema<undefined>>),
});
export type FormStrings = v.InferOutput<typeof formStringsSchema>;

const initSchema = v.object({
  /** Its `restored` edits never hold a secret. */
  ...editorInitFields(formValuesSchema, formStringsSchema),
  /** The connector being edited (null: a new one), for the state the page keeps. */
  connector: v.nullable(v.number()),
  values: formValuesSchema,
});
export type InitMessage = v.InferOutput<typeof initSchema>;

/** What the page keeps in the webview's state for the panel serializer: never the secret (it is dropped on the way in). */
const stateSchema = v.object({
  /** The connector being edited; null for a new one. */
  connector: v.nullable(v.pipe(v.number(), v.safeInteger())),
  draft: v.optional(v.pipe(formValuesSchema, v.transform((draft) => ({ ...draft, accessKeySecret: '' })))),
});
export type ConnectorFormState = v.InferOutput<typeof stateSchema>;

/**
 * What the page may send. A draft carries the secret too (for Save on close; the host keeps it in memory only).
 */
export const connectorPageSchema = v.variant('type', [
  readySchema,
  cancelSchema,
  initFailedSchema,
  draftSchema(formValuesSchema),
  requestSchema('validate', formValuesSchema),
  requestSchema('save', formValuesSchema),
]);
export type PageMessage = v.InferOutput<typeof connectorPageSchema>;

const formResultSchema = v.object({
  /** Shown in the banner. */
  message: v.string(),
  valid: v.optional(v.boolean()),
  saved: v.optional(v.boolean()),
});
export type FormResult = v.InferOutput<typeof formResultSchema>;

/** What the host sends. */
export const connectorHostSchema = v.variant('type', [initSchema, initFailedSchema, responseSchema(formResultSchema)]);
export type HostMessage = v.InferOutput<typeof connectorHostSchema>;

/** The form values when `value` has exactly the right fields and types, else undefined. */
export const parseFormValues = (value: unknown): ConnectorFormValues | undefined => accept(formValuesSchema, value);

/** The page's message when it is one the host understands, with every field checked; undefined = refused. */
export const parsePageMessage = (message: unknown): PageMessage | undefined => accept(connectorPageSchema, message);

/** The webview state the serializer was given, its secret dropped whatever it says; undefined when not one the page wrote. */
export const parseConnectorFormState = (state: unknown): ConnectorFormState | undefined => accept(stateSchema, state);

export function toConnectorInput(values: ConnectorFormValues): ConnectorInput {
  const s3 = values.sourceType === 's3';
  return {
    name: values.name,
    sourceType: s3 ? SourceType.S3 : SourceType.OSS,
    endpoint: values.endpoint,
    accessKeyId: values.accessKeyId,
    accessKeySecret: values.accessKeySecret,
    bucketName: values.bucketName,
    region: s3 ? values.region : undefined,
    pathStyle: s3 ? values.pathStyle : undefined,
  };
}

/** The edit form's starting values: everything but the secret, which is never sent to the page. */
export function formValuesOf(c: Connector | undefined): ConnectorFormValues {
  return {
    name: c?.name ?? '',
    sourceType: c?.sourceType === SourceType.S3 ? 's3' : 'oss',
    endpoint: c?.endpoint ?? '',
    accessKeyId: c?.accessKeyId ?? '',
    accessKeySecret: '',
    bucketName: c?.bucketName ?? '',
    region: c?.region ?? '',
    pathStyle: c?.pathStyle ?? false,
  };
}
