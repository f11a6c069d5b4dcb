// Reads and checks the FormData fields of the media backend's requests, with DRF-style messages, and
// what api 002 requires of an upload (or private block) status PATCH at each status.
import { fail } from './envelope';

/** Form fields by name: a null-prototype object, so no field name reaches Object.prototype. */
export type FormFields = Readonly<Record<string, string | undefined>>;

export function intField(fields: FormFields, name: string, opts: { required: boolean; min?: number; max?: number }): number | undefined {
  const raw = fields[name];
  if (raw === undefined || raw === '') {
    if (opts.required) throw fail(400, `${name}: 该字段是必填项。`);
    return undefined;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
    throw fail(400, `${name}: 请填写合法的整数值${opts.max !== undefined ? `（${opts.min ?? 0}~${opts.max}）` : ''}。`);
  }
  return n;
}

function numberField(fields: FormFields, name: string, required: boolean): number | undefined {
  const raw = fields[name];
  if (raw === undefined || raw === '') {
    if (required) throw fail(400, `${name}: 该字段是必填项。`);
    return undefined;
  }
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw fail(400, `${name}: 请填写合法的数字。`);
  return n;
}

export function strField(fields: FormFields, name: string, required: boolean): string | undefined {
  const v = fields[name];
  if (v === undefined || v === '') {
    if (required) throw fail(400, `${name}: 该字段是必填项。`);
    return undefined;
  }
  if (v.length > 1024) throw fail(400, `${name}: 长度不能超过 1024。`);
  return v;
}

export const UPLOADING = 3;
export const DONE = 8;

/**
 * The fields api 002 marks required (name, file, hash, size, ip) that a status PATCH must carry at
 * `status`. The table requires all five on every PATCH, but its steps say when each exists: the master's
 * name and folder from the start; "the data IPFS needs" (the public block's size, the node's ip) when the
 * IPFS upload starts (3); the hash once it is done (8). A failure (9) can come at any step.
 */
export function requiredBlockFields(status: number): ReadonlySet<string> {
  if (status === DONE) return new Set(['name', 'file', 'hash', 'size', 'ip']);
  if (status === UPLOADING) return new Set(['name', 'file', 'size', 'ip']);
  return new Set(['name', 'file']);
}

export interface BlockFields {
  name?: string;
  file?: string;
  hash?: string;
  size?: number;
  ip?: string;
}

/** The block fields of an upload or private status PATCH, refused with 400 when one required at `status` is missing. */
export function blockFields(fields: FormFields, status: number): BlockFields {
  const required = requiredBlockFields(status);
  return {
    name: strField(fields, 'name', required.has('name')),
    file: strField(fields, 'file', required.has('file')),
    hash: strField(fields, 'hash', required.has('hash')),
    size: numberField(fields, 'size', required.has('size')),
    ip: strField(fields, 'ip', required.has('ip')),
  };
}
