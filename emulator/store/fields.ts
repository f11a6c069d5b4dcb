// Request-body field checks shared by the emulated backends; each backend turns a failure into its own error format.
export type FailureKind = 'missing' | 'type' | 'value';

/** Builds the backend's error (an HttpError) for a field; the message always starts with the field's name. */
export type FailFn = (field: string, message: string, kind: FailureKind) => Error;

export interface IntOptions {
  min?: number;
  max?: number;
}

/** Reads and checks the fields of one JSON object; every refusal names the field. */
export class Fields {
  private constructor(
    private readonly body: Record<string, unknown>,
    private readonly fail: FailFn,
    private readonly prefix: string,
  ) {}

  static of(value: unknown, fail: FailFn, name = 'request body', prefix = ''): Fields {
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw fail(name, `${name}: must be a JSON object`, 'type');
    return new Fields(value as Record<string, unknown>, fail, prefix);
  }

  private name(field: string): string {
    return `${this.prefix}${field}`;
  }

  private error(field: string, message: string, kind: FailureKind): Error {
    const name = this.name(field);
    return this.fail(name, `${name}: ${message}`, kind);
  }

  has(field: string): boolean {
    return this.body[field] !== undefined && this.body[field] !== null;
  }

  raw(field: string): unknown {
    return this.body[field];
  }

  string(field: string, options: { allowEmpty?: boolean; maxLength?: number } = {}): string {
    const v = this.body[field];
    if (v === undefined || v === null) throw this.error(field, 'required', 'missing');
    if (typeof v !== 'string') throw this.error(field, 'must be a string', 'type');
    if (!options.allowEmpty && v.trim() === '') throw this.error(field, 'must not be empty', 'value');
    if (options.maxLength !== undefined && v.length > options.maxLength) {
      throw this.error(field, `must be at most ${options.maxLength} characters`, 'value');
    }
    return v;
  }

  optionalString(field: string): string | undefined {
    return this.has(field) ? this.string(field, { allowEmpty: true }) : undefined;
  }

  /** A JSON integer (not a string of digits, not a fraction) within the bounds. */
  int(field: string, options: IntOptions = {}): number {
    const v = this.body[field];
    if (v === undefined || v === null) throw this.error(field, 'required', 'missing');
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.error(field, 'must be a number', 'type');
    if (!Number.isSafeInteger(v)) throw this.error(field, 'must be an integer', 'type');
    if (options.min !== undefined && v < options.min) throw this.error(field, `must be at least ${options.min}`, 'value');
    if (options.max !== undefined && v > options.max) throw this.error(field, `must be at most ${options.max}`, 'value');
    return v;
  }

  optionalInt(field: string, options: IntOptions = {}): number | undefined {
    return this.has(field) ? this.int(field, options) : undefined;
  }

  /** A string made only of decimal digits (004 sends thread_count and priority this way). */
  digitString(field: string): string {
    const v = this.body[field];
    if (v === undefined || v === null) throw this.error(field, 'required', 'missing');
    if (typeof v !== 'string') throw this.error(field, `must be a string of digits (e.g. "8"), not ${typeof v}`, 'type');
    if (!/^\d+$/.test(v)) throw this.error(field, 'must be a string of digits (e.g. "8")', 'value');
    return v;
  }

  array(field: string): unknown[] {
    const v = this.body[field];
    if (v === undefined || v === null) throw this.error(field, 'required', 'missing');
    if (!Array.isArray(v)) throw this.error(field, 'must be an array', 'type');
    return v;
  }

  /** The nested object `field`, whose own fields are then named `field.x`. */
  object(field: string): Fields {
    const v = this.body[field];
    if (v === undefined || v === null) throw this.error(field, 'required', 'missing');
    return Fields.of(v, this.fail, this.name(field), `${this.name(field)}.`);
  }

  /** Element `index` of an array field, as an object whose fields are named `field[index].x`. */
  static element(value: unknown, fail: FailFn, arrayName: string, index: number): Fields {
    const name = `${arrayName}[${index}]`;
    return Fields.of(value, fail, name, `${name}.`);
  }
}

/** A plain file name: not empty, no path separators, not `.`/`..`, no control characters. */
export function fileNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'must not be empty';
  if (/[/\\]/.test(name)) return 'must be a plain file name without path separators';
  if (name === '.' || name === '..') return 'must be a file name, not "." or ".."';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(name)) return 'must not contain control characters';
  if (Buffer.byteLength(name) > 255) return 'must be at most 255 bytes long';
  return undefined;
}

/**
 * A relative object name such as `batch/nested/b.csv` (a folder upload names its files relative to the
 * folder): `/`-separated plain names, no absolute path, no `.`/`..`/empty segment, no backslash.
 */
export function relativeNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'must not be empty';
  if (name.includes('\\')) return 'must use "/" between folders, not "\\"';
  if (name.startsWith('/')) return 'must be a relative name, not an absolute path';
  for (const segment of name.split('/')) {
    const problem = fileNameProblem(segment);
    if (problem) return `must be a relative name made of plain names: "${segment}" ${problem}`;
  }
  if (Buffer.byteLength(name) > 1024) return 'must be at most 1024 bytes long';
  return undefined;
}
