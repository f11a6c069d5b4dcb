// Parses the browser hand-off links (vscode://<publisher>.<name>/media/upload|download?…) into checked requests.
import { ValidationError } from '../errors';

export type HandoffRequest =
  | { kind: 'upload'; folder: string; seriesId: number; token?: string }
  | { kind: 'download'; sourceId: number; token?: string };

function positiveInt(field: string, raw: string | null): number {
  if (raw === null || raw.trim() === '') throw new ValidationError(field, 'is missing from the link');
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new ValidationError(field, `"${raw}" is not a valid id`);
  return n;
}

/** `path` is the URI's path (`/media/upload`), `query` its raw query string. */
export function parseHandoff(path: string, query: string): HandoffRequest {
  const params = new URLSearchParams(query);
  const token = params.get('token')?.trim() || undefined;
  const route = path.replace(/\/+$/, '');
  if (route === '/media/upload') {
    const folder = params.get('folder')?.trim() ?? '';
    if (!folder) throw new ValidationError('folder', 'is missing from the link');
    return { kind: 'upload', folder, seriesId: positiveInt('series_id', params.get('series_id')), token };
  }
  if (route === '/media/download') return { kind: 'download', sourceId: positiveInt('source_id', params.get('source_id')), token };
  throw new ValidationError('path', `${route || '/'} is not a media link (expected /media/upload or /media/download)`);
}

/** What accepting a link's token does: the host of the media server it will be sent to, and whether a stored token is replaced. */
export interface HandoffTokenNotice {
  /** `host[:port]` of the configured media server; undefined when none is configured. */
  host: string | undefined;
  replacesStoredToken: boolean;
}

/** Undefined for a link without a token (nothing stored changes). */
export function handoffTokenNotice(request: HandoffRequest, mediaBaseUrl: string, hasStoredToken: boolean): HandoffTokenNotice | undefined {
  if (!request.token) return undefined;
  let host: string | undefined;
  try {
    host = mediaBaseUrl.trim() ? new URL(mediaBaseUrl.trim()).host || undefined : undefined;
  } catch {
    host = undefined;
  }
  return { host, replacesStoredToken: hasStoredToken };
}
