// The job editor's message schema, shared by the host (panel) and the page: the types and the runtime checks of both sides.
import * as v from 'valibot';
import { RUN_STATUSES, SCHEDULER_TYPES, SOURCE_KINDS, VAL_TYPES, type JobSource } from '../api/pandora/types';
import { MESSAGES } from '../api/pandora/validation';
import { RUN_CHART_STRINGS } from './runChartStrings';
import { accept, cancelSchema, draftSchema, editorInitFields, initFailedSchema, pageStringsSchema, readySchema, requestSchema, responseSchema, text } from './messages';

/** The longest SQL a page may send. */
const MAX_CODE = 100_000;
const MAX_NAME = 256;
const MAX_ROWS = 100;

/** A source of the job; an empty file filter is dropped (the backend reads no filter as every file). */
const sourceSchema = v.pipe(
  v.object({ name: text(), type: v.picklist(SOURCE_KINDS), tableName: text(), fileFilter: v.exactOptional(text()) }),
  v.transform(({ fileFilter, ...source }): JobSource => (fileFilter ? { ...source, fileFilter } : source)),
);

/**
 * The job body (types only: the rules are checked by validateJob, on both sides). Unknown keys are dropped so that
 * nothing the page invents reaches the backend.
 */
const jobBodySchema = v.object({
  srcs: v.pipe(v.array(sourceSchema), v.maxLength(MAX_ROWS)),
  computation: v.object({ type: text(), code: text(MAX_CODE) }),
  // Any text: validateJob names a container type that does not exist, next to its field.
  container: v.exactOptional(v.object({ type: text(), count: v.pipe(v.number(), v.finite()) })),
  scheduler: v.object({
    type: v.picklist(SCHEDULER_TYPES),
    spec: v.exactOptional(v.object({ crontab: v.exactOptional(text()), loop: v.exactOptional(text()) })),
  }),
  params: v.exactOptional(v.pipe(v.array(v.object({ name: text(), default: text() })), v.maxLength(MAX_ROWS))),
});

/** A job body as the form has it: a JobBody once validateJob finds nothing wrong. */
export type JobDraftBody = v.InferOutput<typeof jobBodySchema>;

export const jobDraftSchema = v.object({ name: text(MAX_NAME), body: jobBodySchema });
export type JobDraft = v.InferOutput<typeof jobDraftSchema>;

const schemaFieldSchema = v.object({ key: v.string(), valtype: v.picklist(VAL_TYPES), required: v.optional(v.boolean()) });
const schemaSchema = v.array(schemaFieldSchema);

/** A source the form can pick: a datasource or a job, with the schema its table has. */
const sourceOptionSchema = v.object({ name: v.string(), type: v.picklist(SOURCE_KINDS), schema: schemaSchema });
export type SourceOption = v.InferOutput<typeof sourceOptionSchema>;

const initSchema = v.object({
  ...editorInitFields(jobDraftSchema, pageStringsSchema),
  draft: jobDraftSchema,
  /** The job's output schema as the backend inferred it (empty for a new job). */
  schema: schemaSchema,
  sources: v.array(sourceOptionSchema),
});
export type JobEditorInit = v.InferOutput<typeof initSchema>;

/** What the page keeps in the webview's state, for the panel serializer after a window reload. */
const stateSchema = v.object({
  /** The job being edited; null for a new job. */
  job: v.nullable(text(MAX_NAME)),
  /** The unsaved edits, when there are any. */
  draft: v.optional(jobDraftSchema),
});
export type JobEditorState = v.InferOutput<typeof stateSchema>;

/** One run of the job as the run-history chart draws it (times in ms since the epoch; texts translated by the host). */
const runBarSchema = v.object({
  runId: v.number(),
  status: v.picklist(RUN_STATUSES),
  /** The status in words (runStatusLabel). */
  label: v.string(),
  start: v.number(),
  /** The end, or the time the history was read for a run still going. */
  end: v.number(),
  active: v.boolean(),
  duration: v.string(),
  canStop: v.boolean(),
  canRerun: v.boolean(),
});
export type RunBar = v.InferOutput<typeof runBarSchema>;

/** The job's latest runs (an existing job's editor only); `error` when they could not be read. */
const runsSchema = v.object({ type: v.literal('runs'), runs: v.array(runBarSchema), error: v.optional(v.string()) });
export type RunsMessage = v.InferOutput<typeof runsSchema>;

/** What the page may send. */
export const jobEditorPageSchema = v.variant('type', [
  readySchema,
  cancelSchema,
  initFailedSchema,
  draftSchema(jobDraftSchema),
  requestSchema('save', jobDraftSchema),
  requestSchema('inferSchema', v.object({ srcs: v.pipe(v.array(sourceSchema), v.maxLength(MAX_ROWS)), code: text(MAX_CODE) })),
  /** "Edit in Editor Tab": the SQL as the page has it. */
  v.object({ type: v.literal('openSqlEditor'), code: text(MAX_CODE) }),
  /** Stop or Rerun the run the chart selected. */
  requestSchema('runAction', v.object({ action: v.picklist(['stop', 'rerun']), runId: v.pipe(v.number(), v.safeInteger(), v.minValue(0)) })),
  /** Read the run history again (the chart's Refresh). */
  v.object({ type: v.literal('refreshRuns') }),
]);
export type JobEditorPageMessage = v.InferOutput<typeof jobEditorPageSchema>;

const saveResultSchema = v.object({ message: v.string(), mode: v.literal('edit'), schema: schemaSchema });
export type JobSaveResult = v.InferOutput<typeof saveResultSchema>;

/** What the host sends. */
export const jobEditorHostSchema = v.variant('type', [
  initSchema,
  initFailedSchema,
  /** The SQL changed in the normal editor tab opened with "Edit in Editor Tab"; `save`: that tab was saved (Ctrl+S there), the page saves the job too. */
  v.object({ type: v.literal('sqlChanged'), code: v.string(), save: v.optional(v.boolean()) }),
  runsSchema,
  // A save's result, Infer Schema's columns, or nothing (a run action).
  responseSchema(v.union([saveResultSchema, schemaSchema, v.null()])),
]);
export type JobEditorHostMessage = v.InferOutput<typeof jobEditorHostSchema>;

/** Every text the job editor page shows (translated by the host). */
export const JOB_EDITOR_STRINGS = [
  'New Pandora Job',
  'Pandora Job {0}',
  'Name',
  'Sources',
  'Source type',
  'Source',
  'Table name',
  'File filter',
  'Add Source',
  'Remove',
  'SQL',
  'Ctrl+S saves. Magic variables: $(year) $(mon) $(day) $(hour) $(min) $(sec) and the params below.',
  'Edit in Editor Tab',
  'Infer Schema',
  'Output schema',
  'Column',
  'Type',
  'No columns inferred yet.',
  'Container',
  'Container type',
  'Count',
  'Scheduler',
  'Crontab',
  'Loop interval',
  'A depend job runs after its upstream job and uses its container and params.',
  'Params',
  'Param name',
  'Default',
  'Add Param',
  'Save',
  'Cancel',
  'Saving…',
  'Could not save: {0}',
  'Inferring…',
  'Fix the fields marked in red.',
  'DataSource',
  'Job',
  ...RUN_CHART_STRINGS,
  ...Object.values(MESSAGES),
] as const;

/** Parses what the page sent; undefined = refused (wrong type, shape or request id). */
export const parseJobEditorMessage = (message: unknown): JobEditorPageMessage | undefined => accept(jobEditorPageSchema, message);

/** The webview state the serializer was given; undefined when it is not one the page wrote. */
export const parseJobEditorState = (state: unknown): JobEditorState | undefined => accept(stateSchema, state);
