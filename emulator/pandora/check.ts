// The emulator's small vocabulary for the document's rules: each check throws the first violation as
// `{"error": "E18xxx: <field>: <why>"}` with the table's status, or returns the value it checked.
import { pandoraError } from './errors';

export type Json = Record<string, unknown>;

export function refuse(code: string, field: string, why: string): never {
  throw pandoraError(code, `${field}: ${why}`);
}

export function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function absent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

export function object(value: unknown, code: string, field: string): Json {
  if (!isJson(value)) refuse(code, field, 'must be an object');
  return value;
}

/** A string that must be there (not empty). */
export function text(value: unknown, code: string, field: string): string {
  if (absent(value)) refuse(code, field, 'is required');
  if (typeof value !== 'string') refuse(code, field, 'must be a string');
  return value;
}

/** A string that may be left out; when given it must be a string. */
export function optionalText(value: unknown, code: string, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') refuse(code, field, 'must be a string');
  return value;
}

export function matches(value: string, pattern: RegExp, code: string, field: string, rule: string): string {
  if (!pattern.test(value)) refuse(code, field, `"${value}" does not follow the rule ${rule}`);
  return value;
}

export function within(value: string, max: number, code: string, field: string): string {
  if ([...value].length > max) refuse(code, field, `is longer than ${max} characters`);
  return value;
}

export function member(value: unknown, allowed: readonly string[], code: string, field: string): string {
  if (typeof value !== 'string' || !allowed.includes(value)) refuse(code, field, `must be one of ${allowed.join(', ')}`);
  return value;
}

export function optionalMember(value: unknown, allowed: readonly string[], code: string, field: string): string | undefined {
  return absent(value) ? undefined : member(value, allowed, code, field);
}

export function integer(value: unknown, code: string, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) refuse(code, field, 'must be a whole number');
  return value;
}

export function optionalBoolean(value: unknown, code: string, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') refuse(code, field, 'must be true or false');
  return value;
}

export function list(value: unknown, code: string, field: string, nonEmpty: boolean): unknown[] {
  if (!Array.isArray(value)) refuse(code, field, 'must be an array');
  if (nonEmpty && value.length === 0) refuse(code, field, 'needs at least one entry');
  return value;
}

/** Own keys only, so that a key such as `constructor` is data, never something inherited. */
export function entriesOf(value: Json): [string, unknown][] {
  return Object.keys(value).map((key) => [key, value[key]]);
}
