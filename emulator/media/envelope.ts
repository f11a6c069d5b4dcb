// The media backend's answer format: {data, message}; a non-empty message is text for the user.
import { HttpError, type RequestContext } from '../router';

export function ok(c: RequestContext, data: unknown, message = '', extra: Record<string, unknown> = {}): void {
  c.sendJson(200, { data, message, ...extra });
}

export function fail(status: number, message: string): HttpError {
  return new HttpError(status, { data: null, message });
}
