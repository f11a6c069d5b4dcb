// The multipart backend's error format (FastAPI): {"detail": "..."} with a 4xx status.
import { HttpError } from '../router';
import type { FailFn } from '../store/fields';

export function detail(status: number, message: string): HttpError {
  return new HttpError(status, { detail: message });
}

/** A missing or wrongly typed field is a 422, as FastAPI's request validation answers; a bad value is a 400. */
export const badField: FailFn = (_field, message, kind) => detail(kind === 'value' ? 400 : 422, message);
