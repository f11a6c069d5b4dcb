// Datahub's answer format: {code: 0, data} on success, {code: <non-zero>, message} on failure.
import type { FailFn } from '../store/fields';
import { HttpError, type RequestContext } from '../router';

export function ok(c: RequestContext, data: unknown): void {
  c.sendJson(200, { code: 0, data });
}

export function apiError(status: number, message: string): HttpError {
  return new HttpError(status, { code: status, message });
}

/** Field problems are 400s whose message starts with the field name (`file_md5: must be 32 hex characters`). */
export const badField: FailFn = (_field, message) => apiError(400, message);

export { noteAuth } from '../store/auth';
