// The export spec editor's message protocol, shared by the host (panel controller) and the page; the host parses every message with it.
import { EXPORT_TYPES, type ExportBody, type SchemaField } from '../api/pandora/types';
import { MESSAGES } from '../api/pandora/validation';
import { isObject, requestIdOf, type ReadyMessage, type RequestEnvelope, type ResponseMessage } from './messages';

export interface ExportDraft {
  name: string;
  body: ExportBody;
}

export interface ExportEditorInit {
  type: 'init';
  mode: 'create' | 'edit';
  jobName: string;
  draft: ExportDraft;
  /** The job's output schema: what the mappings pick from. */
  columns: SchemaField[];
  strings: Record<string, string>;
  /** Unsaved edits to show instead of `draft` (after a window reload, or a close answered with Cancel). */
  restored?: ExportDraft;
  /** Field errors of the save that failed when the panel was closed (shown at once). */
  errors?: Record<string, string>;
}

/** What the page keeps in the webview's state, for the panel serializer after a window reload. */
export interface ExportEditorState {
  job: string;
  /** The export being edited; null for a new export. */
  export: string | null;
  draft?: ExportDraft;
}

export type ExportSaveRequest = RequestEnvelope<'save', ExportDraft>;
/** The form changed: its draft, or null once it matches what was last saved. */
export interface ExportDraftMessage {
  type: 'draft';
  draft: ExportDraft | null;
}

export type ExportEditorPageMessage = ReadyMessage | ExportSaveRequest | ExportDraftMessage | { type: 'cancel' };

export interface ExportSaveResult {
  message: string;
  mode: 'edit';
}

export type ExportEditorHostMessage = ExportEditorInit | ResponseMessage<ExportSaveResult>;

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

const MAX_STRING = 4096;
const MAX_ENTRIES = 500;

function cleanValue(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return v.length <= MAX_STRING ? v : undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'boolean') return v;
  if (depth > 0 && Array.isArray(v) && v.length <= MAX_ENTRIES) {
    // Array.from visits the holes of a sparse array (map and every skip them), so a hole is refused.
    const out = Array.from(v, (x) => cleanValue(x, depth - 1));
    return out.every((x) => x !== undefined) ? out : undefined;
  }
  if (depth > 0 && isObject(v) && Object.keys(v).length <= MAX_ENTRIES) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k.length > 256 || k === '__proto__' || k === 'constructor' || k === 'prototype') return undefined;
      const c = cleanValue(x, depth - 1);
      if (c === undefined) return undefined;
      out[k] = c;
    }
    return out;
  }
  return undefined;
}

/** The export body when its shape is plain JSON of bounded size with a known type; the rules are checked by validateExport. */
export function parseExportBody(v: unknown): ExportBody | undefined {
  if (!isObject(v) || typeof v.type !== 'string' || !(EXPORT_TYPES as readonly string[]).includes(v.type)) return undefined;
  const spec = cleanValue(v.spec, 2);
  if (!isObject(spec)) return undefined;
  return { type: v.type, spec } as unknown as ExportBody;
}

function parseDraft(p: unknown): ExportDraft | undefined {
  if (!isObject(p) || typeof p.name !== 'string' || p.name.length > 256) return undefined;
  const body = parseExportBody(p.body);
  return body ? { name: p.name, body } : undefined;
}

/** The webview state the serializer was given; undefined when it is not one the page wrote. */
export function parseExportEditorState(state: unknown): ExportEditorState | undefined {
  if (!isObject(state) || typeof state.job !== 'string' || state.job.length > 256) return undefined;
  if (state.export !== null && (typeof state.export !== 'string' || state.export.length > 256)) return undefined;
  if (state.draft === undefined) return { job: state.job, export: state.export };
  const draft = parseDraft(state.draft);
  return draft ? { job: state.job, export: state.export, draft } : undefined;
}

export function parseExportEditorMessage(message: unknown): ExportEditorPageMessage | undefined {
  if (!isObject(message)) return undefined;
  if (message.type === 'ready') return { type: 'ready' };
  if (message.type === 'cancel') return { type: 'cancel' };
  if (message.type === 'draft') {
    if (message.draft === null) return { type: 'draft', draft: null };
    const draft = parseDraft(message.draft);
    return draft ? { type: 'draft', draft } : undefined;
  }
  if (message.type === 'save') {
    const requestId = requestIdOf(message);
    const payload = parseDraft(message.payload);
    return requestId !== undefined && payload ? { type: 'save', requestId, payload } : undefined;
  }
  return undefined;
}
