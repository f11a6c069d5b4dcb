// The journal's per-save patch: what changed in a record since its last save, as a few small JSON operations, and how
// to apply them again when the journal is read back. Keys are data (a file named "__proto__" is a key like any other).

/** A path into the record: object keys and array indexes. */
export type JsonPath = (string | number)[];

/** Set a value, delete a key, or append elements to an array (a download's finished parts grow one at a time). */
export type JournalOp = ['s', JsonPath, unknown] | ['d', JsonPath] | ['a', JsonPath, unknown[]];

import { isJsonObject, type JsonObject } from '../api/json';

function ownValue(object: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

/** Sets `key` as an own property, even "__proto__" (an assignment would change the prototype instead). */
function setOwn(target: JsonObject | unknown[], key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * A deep copy of the JSON part of `value` (undefined fields left out, as JSON.stringify does), sharing the strings: a
 * later diff compares them by reference first, which keeps a save cheap when a checkpoint holds thousands of URLs.
 */
export function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : cloneJson(item)));
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (item !== undefined && typeof item !== 'function') setOwn(out, key, cloneJson(item));
    }
    return out;
  }
  return value;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(b).filter((k) => b[k] !== undefined);
    return keys.length === Object.keys(a).length && keys.every((k) => Object.prototype.hasOwnProperty.call(a, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** The operations that turn `before` (a JSON copy) into `after` (the live value). */
export function diffJson(before: unknown, after: unknown, path: JsonPath = [], ops: JournalOp[] = []): JournalOp[] {
  if (before === after) return ops;
  if (after === undefined) {
    if (before !== undefined) ops.push(['d', path]);
    return ops;
  }
  if (isJsonObject(before) && isJsonObject(after)) {
    for (const key of Object.keys(before)) {
      if (ownValue(after, key) === undefined) ops.push(['d', [...path, key]]);
    }
    for (const key of Object.keys(after)) diffJson(ownValue(before, key), after[key], [...path, key], ops);
    return ops;
  }
  if (Array.isArray(before) && Array.isArray(after) && after.length >= before.length && before.every((item, i) => jsonEqual(item, after[i]))) {
    if (after.length > before.length) ops.push(['a', path, after.slice(before.length).map(cloneJson)]);
    return ops;
  }
  if (jsonEqual(before, after)) return ops;
  ops.push(['s', path, cloneJson(after)]);
  return ops;
}

/** Applies `op` to `root` in place; throws when its path does not lead anywhere (a damaged journal). */
export function applyOp(root: JsonObject, op: JournalOp): void {
  const path = op[1];
  if (path.length === 0) throw new Error('journal: an operation without a path');
  let parent: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (isJsonObject(parent) && typeof key === 'string') parent = ownValue(parent, key);
    else if (Array.isArray(parent) && typeof key === 'number') parent = parent[key];
    else throw new Error(`journal: no ${path.join('.')} to change`);
  }
  const last = path[path.length - 1];
  if (!(isJsonObject(parent) || Array.isArray(parent))) throw new Error(`journal: no ${path.join('.')} to change`);
  if (op[0] === 's') {
    setOwn(parent, last, cloneJson(op[2]));
  } else if (op[0] === 'd') {
    if (isJsonObject(parent) && typeof last === 'string') delete parent[last];
  } else {
    const target = isJsonObject(parent) && typeof last === 'string' ? ownValue(parent, last) : Array.isArray(parent) && typeof last === 'number' ? parent[last] : undefined;
    if (!Array.isArray(target) || !Array.isArray(op[2])) throw new Error(`journal: ${path.join('.')} is not a list`);
    target.push(...op[2].map(cloneJson));
  }
}

/** A log line's operations, checked for shape (their paths are checked when applied). */
export function parseOps(value: unknown): JournalOp[] {
  if (!Array.isArray(value)) throw new Error('journal: a log line without operations');
  return value.map((op: unknown): JournalOp => {
    if (!Array.isArray(op) || !Array.isArray(op[1]) || !op[1].every((k: unknown) => typeof k === 'string' || typeof k === 'number')) throw new Error('journal: a malformed operation');
    const path: JsonPath = op[1];
    if (op[0] === 's' && op.length === 3) return ['s', path, op[2]];
    if (op[0] === 'd' && op.length === 2) return ['d', path];
    if (op[0] === 'a' && op.length === 3 && Array.isArray(op[2])) return ['a', path, op[2]];
    throw new Error('journal: a malformed operation');
  });
}
