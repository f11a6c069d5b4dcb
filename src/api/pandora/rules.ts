// The vocabulary of the api 003 rules shared by the client, the forms and the panels: message templates,
// issues (field + message + the E18xxx code the backend answers with), and the name rules. No node imports:
// the webview bundles import it too.

export { isJsonObject, type JsonObject } from '../json';

/** The English message templates; `{0}` placeholders are filled from `Issue.args`. Translated by the caller. */
export const MESSAGES = {
  required: 'Required.',
  name: 'Use 1–128 letters, digits or underscores, starting with a letter or underscore.',
  pathName: 'Must not be . or .. and must not contain / or control characters.',
  tableName: 'Use 1–128 letters, digits or underscores, starting with a letter.',
  paramName: 'Use 1–64 letters, digits or underscores, starting with a letter or underscore.',
  oneOf: 'Must be one of: {0}.',
  bucket: 'Use 4–63 letters, digits or hyphens.',
  keyPrefix: 'At most 128 characters, without \\ < >.',
  exportKeyPrefix: 'At most 128 characters, without : \\ < >.',
  path: '1–128 characters, without \\ < >.',
  nonEmptyList: 'Add at least one entry.',
  oneDomain: 'Exactly one domain is supported.',
  csvDelimiter: 'A csv file needs a delimiter.',
  csvHeader: 'A csv file needs “contains header” set (true or false).',
  schemaEmpty: 'The schema needs at least one field.',
  duplicate: '“{0}” appears more than once.',
  fieldDropped: 'Field “{0}” cannot be removed by an update.',
  fieldRetyped: 'Field “{0}” cannot change its type ({1} → {2}).',
  atMostOneJob: 'At most one source may be a job.',
  tableTaken: 'Table name “{0}” is already used by this job or an upstream job.',
  maxLength: 'At most {0} characters.',
  sqlOnly: 'Only SQL is supported.',
  containerCount: 'A whole number of at least 1.',
  cores: '{0} × {1} = {2} cores; at most {3} are allowed.',
  crontab: 'Not a crontab of the form “second minute hour day month weekday [year]”, for example 0 0 0/1 * * ?.',
  loop: 'Use a number followed by m or h, for example 5m or 1h (0 = run continuously).',
  dependOneJob: 'A depend job needs exactly one job among its sources.',
  dependNoContainer: 'A depend job takes its container from the upstream job: leave it empty.',
  dependNoSpec: 'A depend job has no scheduler spec.',
  dependNoParams: 'A depend job takes its params from the upstream job: leave them empty.',
  fileCount: 'A whole number from 1 to 1000.',
  compression: 'Format {0} allows only: {1}.',
  integer: 'A whole number.',
  minInteger: 'A whole number of at least {0}.',
  boolean: 'true or false.',
  notAColumn: '“{0}” is not a column of the job’s output.',
  uri: 'A path starting with /.',
  host: 'A host name or IP address, optionally with a scheme and a port.',
  mappingEmpty: 'Add at least one mapping.',
  notBoth: 'Give srcDatasource or srcJob, not both.',
  sortBy: 'Use endTime (oldest first) or -endTime (newest first).',
  runId: 'A run id (a whole number) or -1 for the latest run.',
  unknownParam: '“{0}” is not a param of this job.',
  object: 'Must be an object.',
  text: 'Must be text.',
} as const;

export type MessageId = keyof typeof MESSAGES;

export interface Issue {
  /** Dotted path of the offending field (`srcs[1].tableName`), or `_form`. */
  field: string;
  message: MessageId;
  args?: (string | number)[];
  /** The E18xxx code the backend answers with for this rule. */
  code: string;
}

/** Fills a message template; `translate` maps the English template to the user's language. */
export function formatIssue(issue: Issue, translate: (template: string) => string = (t) => t): string {
  const template = translate(MESSAGES[issue.message]);
  return template.replace(/\{(\d+)\}/g, (_m, i: string) => String(issue.args?.[Number(i)] ?? ''));
}

/** Issues keyed by field, the first per field (what a form shows); a null-prototype map of field paths. */
export function issuesByField(issues: readonly Issue[], translate?: (template: string) => string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const issue of issues) if (!Object.hasOwn(out, issue.field)) out[issue.field] = formatIssue(issue, translate);
  return out;
}

/** DataSourceName and schema keys (the only resource names the document gives a rule for). */
export const NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/;
export const TABLE_NAME_RE = /^[a-zA-Z][a-zA-Z0-9_]{0,127}$/;
export const PARAM_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;

export function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

export class Collector {
  readonly issues: Issue[] = [];
  add(field: string, message: MessageId, code: string, args?: (string | number)[]): void {
    this.issues.push({ field, message, code, ...(args ? { args } : {}) });
  }
  /** Required text; returns it when present. */
  text(field: string, v: unknown, code: string): string | undefined {
    if (isBlank(v)) this.add(field, 'required', code);
    else if (typeof v !== 'string') this.add(field, 'text', code);
    else return v;
    return undefined;
  }
  oneOf(field: string, v: unknown, values: readonly string[], code: string, required = true): void {
    if (isBlank(v)) {
      if (required) this.add(field, 'required', code);
    } else if (typeof v !== 'string' || !values.includes(v)) {
      this.add(field, 'oneOf', code, [values.join(', ')]);
    }
  }
  bool(field: string, v: unknown, code: string): void {
    if (v !== undefined && typeof v !== 'boolean') this.add(field, 'boolean', code);
  }
  maxLen(field: string, v: unknown, max: number, code: string): void {
    if (v === undefined) return;
    if (typeof v !== 'string') this.add(field, 'text', code);
    else if (v.length > max) this.add(field, 'maxLength', code, [max]);
  }
}

/** A datasource name: `^[a-zA-Z_][a-zA-Z0-9_]{0,127}$` (the document's DataSourceName rule). */
export function validateName(field: string, value: unknown, code = 'E18103'): Issue[] {
  const c = new Collector();
  const v = c.text(field, value, code);
  if (v !== undefined && !NAME_RE.test(v)) c.add(field, 'name', code);
  return c.issues;
}

/**
 * A job or export name. The document gives these no rule, so only what cannot travel as one URL path segment
 * is refused: empty, `.` / `..` (a URL parser folds them away), `/` (a separator once the server decodes the
 * path) and control characters. `中文`, spaces, `constructor` are names like any other.
 */
export function validatePathName(field: string, value: unknown, code: string): Issue[] {
  const c = new Collector();
  const v = c.text(field, value, code);
  if (v !== undefined && (v === '.' || v === '..' || v.includes('/') || CONTROL_RE.test(v))) c.add(field, 'pathName', code);
  return c.issues;
}

export const validateJobName = (field: string, value: unknown, code = 'E18207'): Issue[] => validatePathName(field, value, code);
export const validateExportName = (field: string, value: unknown, code = 'E18303'): Issue[] => validatePathName(field, value, code);
