// The job editor's message protocol, shared by the host (panel controller) and the page; the host parses every message with it.
import type { JobBody, JobSource, RunStatus, SchemaField } from '../api/pandora/types';
import { MESSAGES } from '../api/pandora/validation';
import { RUN_CHART_STRINGS } from './runChartStrings';
import { isObject, requestIdOf, type ReadyMessage, type RequestEnvelope, type ResponseMessage } from './messages';

export interface JobDraft {
  name: string;
  body: JobBody;
}

/** A source the form can pick: a datasource or a job, with the schema its table has. */
export interface SourceOption {
  name: string;
  type: JobSource['type'];
  schema: SchemaField[];
}

export interface JobEditorInit {
  type: 'init';
  mode: 'create' | 'edit';
  draft: JobDraft;
  /** The job's output schema as the backend inferred it (empty for a new job). */
  schema: SchemaField[];
  sources: SourceOption[];
  /** English text → the user's language, for every text of the page. */
  strings: Record<string, string>;
  /** Unsaved edits to show instead of `draft` (after a window reload, or a close answered with Cancel). */
  restored?: JobDraft;
  /** Field errors of the save that failed when the panel was closed (shown at once). */
  errors?: Record<string, string>;
}

/** What the page keeps in the webview's state, for the panel serializer after a window reload. */
export interface JobEditorState {
  /** The job being edited; null for a new job. */
  job: string | null;
  /** The unsaved edits, when there are any. */
  draft?: JobDraft;
}

/** The SQL changed in the normal editor tab opened with "Edit in Editor Tab". */
export interface SqlChangedMessage {
  type: 'sqlChanged';
  code: string;
  /** The tab was saved (Ctrl+S there): the page saves the job too. */
  save?: boolean;
}

export type JobSaveRequest = RequestEnvelope<'save', JobDraft>;
export type InferSchemaRequest = RequestEnvelope<'inferSchema', { srcs: JobSource[]; code: string }>;
export interface OpenSqlEditorMessage {
  type: 'openSqlEditor';
  code: string;
}

/** The form changed: its draft, or null once it matches what was last saved. */
export interface JobDraftMessage {
  type: 'draft';
  draft: JobDraft | null;
}

/** Cancel (or Escape): close the panel, asking first when it holds unsaved edits. */
export interface CancelMessage {
  type: 'cancel';
}

/** One run of the job as the run-history chart draws it (times in ms since the epoch; texts translated by the host). */
export interface RunBar {
  runId: number;
  status: RunStatus;
  /** The status in words (runStatusLabel). */
  label: string;
  start: number;
  /** The end, or the time the history was read for a run still going. */
  end: number;
  active: boolean;
  duration: string;
  canStop: boolean;
  canRerun: boolean;
}

/** The job's latest runs (an existing job's editor only); `error` when they could not be read. */
export interface RunsMessage {
  type: 'runs';
  runs: RunBar[];
  error?: string;
}

export type RunActionRequest = RequestEnvelope<'runAction', { action: 'stop' | 'rerun'; runId: number }>;

/** Read the run history again (the chart's Refresh). */
export interface RefreshRunsMessage {
  type: 'refreshRuns';
}

export type JobEditorPageMessage = ReadyMessage | JobSaveRequest | InferSchemaRequest | OpenSqlEditorMessage | JobDraftMessage | CancelMessage | RunActionRequest | RefreshRunsMessage;

export interface JobSaveResult {
  message: string;
  mode: 'edit';
  schema: SchemaField[];
}

export type JobEditorHostMessage = JobEditorInit | SqlChangedMessage | RunsMessage | ResponseMessage<JobSaveResult | SchemaField[] | null>;

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

const MAX_TEXT = 100_000;

function str(v: unknown, max = 4096): v is string {
  return typeof v === 'string' && v.length <= max;
}

function parseSource(v: unknown): JobSource | undefined {
  if (!isObject(v)) return undefined;
  if (!str(v.name) || !str(v.tableName) || (v.type !== 'DataSource' && v.type !== 'Job')) return undefined;
  if (v.fileFilter !== undefined && !str(v.fileFilter)) return undefined;
  return { name: v.name, type: v.type, tableName: v.tableName, ...(v.fileFilter !== undefined && v.fileFilter !== '' ? { fileFilter: v.fileFilter } : {}) };
}

/**
 * The job body when `v` has the right shape (types only: the rules are checked by validateJob).
 * Unknown keys are dropped so that nothing the page invents reaches the backend.
 */
export function parseJobBody(v: unknown): JobBody | undefined {
  if (!isObject(v)) return undefined;
  if (!Array.isArray(v.srcs) || v.srcs.length > 100) return undefined;
  // Array.from visits the holes of a sparse array (map and some skip them), so a hole is refused like any bad entry.
  const srcs = Array.from(v.srcs, parseSource);
  if (srcs.some((s) => s === undefined)) return undefined;
  if (!isObject(v.computation) || !str(v.computation.code, MAX_TEXT) || !str(v.computation.type)) return undefined;
  if (!isObject(v.scheduler) || !str(v.scheduler.type)) return undefined;
  let spec: { crontab?: string; loop?: string } | undefined;
  if (v.scheduler.spec !== undefined) {
    if (!isObject(v.scheduler.spec)) return undefined;
    const { crontab, loop } = v.scheduler.spec;
    if ((crontab !== undefined && !str(crontab)) || (loop !== undefined && !str(loop))) return undefined;
    spec = { ...(crontab !== undefined ? { crontab } : {}), ...(loop !== undefined ? { loop } : {}) };
  }
  let container: JobBody['container'];
  if (v.container !== undefined) {
    if (!isObject(v.container) || !str(v.container.type) || typeof v.container.count !== 'number' || !Number.isFinite(v.container.count)) return undefined;
    container = { type: v.container.type as NonNullable<JobBody['container']>['type'], count: v.container.count };
  }
  let params: JobBody['params'];
  if (v.params !== undefined) {
    if (!Array.isArray(v.params) || v.params.length > 100) return undefined;
    params = [];
    for (const p of v.params) {
      if (!isObject(p) || !str(p.name) || !str(p.default)) return undefined;
      params.push({ name: p.name, default: p.default });
    }
  }
  return {
    srcs: srcs as JobSource[],
    computation: { type: v.computation.type, code: v.computation.code },
    ...(container ? { container } : {}),
    scheduler: { type: v.scheduler.type as JobBody['scheduler']['type'], ...(spec ? { spec } : {}) },
    ...(params ? { params } : {}),
  };
}

function parseDraft(v: unknown): JobDraft | undefined {
  if (!isObject(v) || !str(v.name, 256)) return undefined;
  const body = parseJobBody(v.body);
  return body ? { name: v.name, body } : undefined;
}

/** The webview state the serializer was given; undefined when it is not one the page wrote. */
export function parseJobEditorState(state: unknown): JobEditorState | undefined {
  if (!isObject(state) || (state.job !== null && !str(state.job, 256))) return undefined;
  if (state.draft === undefined) return { job: state.job };
  const draft = parseDraft(state.draft);
  return draft ? { job: state.job, draft } : undefined;
}

/** Parses what the page sent; undefined = refused (wrong type, shape or request id). */
export function parseJobEditorMessage(message: unknown): JobEditorPageMessage | undefined {
  if (!isObject(message)) return undefined;
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'cancel':
      return { type: 'cancel' };
    case 'draft': {
      if (message.draft === null) return { type: 'draft', draft: null };
      const draft = parseDraft(message.draft);
      return draft ? { type: 'draft', draft } : undefined;
    }
    case 'refreshRuns':
      return { type: 'refreshRuns' };
    case 'runAction': {
      const requestId = requestIdOf(message);
      const p = message.payload;
      if (requestId === undefined || !isObject(p) || (p.action !== 'stop' && p.action !== 'rerun')) return undefined;
      if (typeof p.runId !== 'number' || !Number.isSafeInteger(p.runId) || p.runId < 0) return undefined;
      return { type: 'runAction', requestId, payload: { action: p.action, runId: p.runId } };
    }
    case 'openSqlEditor':
      return str(message.code, MAX_TEXT) ? { type: 'openSqlEditor', code: message.code } : undefined;
    case 'save': {
      const requestId = requestIdOf(message);
      const payload = parseDraft(message.payload);
      return requestId !== undefined && payload ? { type: 'save', requestId, payload } : undefined;
    }
    case 'inferSchema': {
      const requestId = requestIdOf(message);
      const p = message.payload;
      if (requestId === undefined || !isObject(p) || !str(p.code, MAX_TEXT) || !Array.isArray(p.srcs)) return undefined;
      const srcs = Array.from(p.srcs, parseSource);
      if (srcs.some((s) => s === undefined)) return undefined;
      return { type: 'inferSchema', requestId, payload: { srcs: srcs as JobSource[], code: p.code } };
    }
    default:
      return undefined;
  }
}
