// The messages every page shares, as valibot schemas that are both the TypeScript type and the runtime check (host and
// page parse with the same schema): the ready handshake, cancel, drafts, request ids, responses, initFailed; and parsing
// that names the field a malformed message got wrong.
import * as v from 'valibot';

/** The longest text field a page may send (names, endpoints, paths). */
export const MAX_TEXT = 4096;

/** A string of at most `max` characters. */
export const text = (max = MAX_TEXT) => v.pipe(v.string(), v.maxLength(max));

export const requestIdSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/** Field path → message; `_form` for the form as a whole. */
export const fieldErrorsSchema = v.record(v.string(), v.string());
export type FieldErrors = v.InferOutput<typeof fieldErrorsSchema>;

/** Sent by the page once its script has loaded (and by Retry); the host answers with the page's data or initFailed. */
export const readySchema = v.object({ type: v.literal('ready') });
export type ReadyMessage = v.InferOutput<typeof readySchema>;

/** Cancel (or Escape): close the panel, asking first when it holds unsaved edits. */
export const cancelSchema = v.object({ type: v.literal('cancel') });

/**
 * Host → page: the host could not load the page's data (the page shows `title` as its heading, `message` — the
 * backend's words —, `hint` — what to do — and Retry). Page → host: the page's script failed to start (the host logs
 * it; the page shows the error with Retry itself).
 */
export const initFailedSchema = v.object({ type: v.literal('initFailed'), message: text(), title: v.optional(text()), hint: v.optional(text()) });
export type InitFailedMessage = v.InferOutput<typeof initFailedSchema>;

/** A request from the page that expects one `response` with the same id. */
export function requestSchema<T extends string, P extends v.GenericSchema>(type: T, payload: P) {
  return v.object({ type: v.literal(type), requestId: requestIdSchema, payload });
}

/** The host's answer to a request; `errors` are shown next to their fields. */
export function responseSchema<R extends v.GenericSchema>(result: R) {
  return v.object({ type: v.literal('response'), requestId: requestIdSchema, ok: v.boolean(), result: v.optional(result), errors: v.optional(fieldErrorsSchema) });
}

/** The form changed: its draft, or null once it matches what was last saved. */
export function draftSchema<D extends v.GenericSchema>(draft: D) {
  return v.object({ type: v.literal('draft'), draft: v.nullable(draft) });
}

/** English text → the user's language, for every text of a page. */
export const pageStringsSchema = v.record(v.string(), v.string());

/**
 * The fields every editor page's `init` has (spread into the page's own init schema): whether it creates or edits, its
 * texts, the unsaved edits to show instead of the saved ones (after a window reload, or a close answered with Cancel)
 * and the field errors of the save that failed when the panel was closed (shown at once).
 */
export function editorInitFields<D extends v.GenericSchema, S extends v.GenericSchema>(draft: D, strings: S) {
  return {
    type: v.literal('init'),
    mode: v.picklist(['create', 'edit']),
    strings,
    restored: v.optional(draft),
    errors: v.optional(fieldErrorsSchema),
  };
}

/** A refused request's answer (the page stops waiting for it). */
export interface ResponseMessage<R> {
  type: 'response';
  requestId: number;
  ok: boolean;
  result?: R;
  errors?: FieldErrors;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * `value` checked against `schema`; when it does not fit, which field is wrong and what it should be. The problem never
 * quotes the value (a connector form's message holds a secret).
 */
export function parseWith<S extends v.GenericSchema>(schema: S, value: unknown): Parsed<v.InferOutput<S>> {
  const result = v.safeParse(schema, value);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = v.getDotPath(issue) ?? (issue.kind === 'schema' && issue.type === 'variant' ? 'type' : '');
  const what = issue.expected === 'never' ? 'is not expected' : issue.received === 'undefined' ? 'is missing' : `expected ${issue.expected ?? issue.type}`;
  return { ok: false, problem: `${path || 'the message'}: ${what}` };
}

/** `value` when it fits `schema`, else undefined. */
export function accept<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> | undefined {
  const result = v.safeParse(schema, value);
  return result.success ? result.output : undefined;
}
