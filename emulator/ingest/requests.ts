// Reading the ingest backend's requests (api 001): credential headers, bodies, query parameters, fields; refusals in its envelope.
import { HttpError, type RequestContext } from '../router';
import { FILE_TIME_NAMES, type SimulationSettings, type WireConfig } from './store';

export const ok = (c: RequestContext, data?: unknown): void => c.sendJson(200, data === undefined ? { code: 'OK', msg: 'OK' } : { code: 'OK', msg: 'OK', data });
export const fail = (status: number, code: string, msg: string): HttpError => new HttpError(status, { code, msg });
export const invalid = (msg: string): HttpError => fail(400, 'INVALID_ARGUMENT', msg);

/**
 * 001's credential headers: every example sends `user-id` and `uid` (a missing one is refused with 401
 * naming it); `Access-Token` is optional — the connectors/list example omits it, task/retry sends it empty.
 */
export interface AccessTokenSeen {
  sent: number;
  empty: number;
  absent: number;
  last: 'sent' | 'empty' | 'absent' | null;
}

export const emptyAccessTokenSeen = (): AccessTokenSeen => ({ sent: 0, empty: 0, absent: 0, last: null });

/** Counts how callers send Access-Token (never its value): tests read whether the client leaves it out. */
export function noteAccessToken(seen: AccessTokenSeen, c: RequestContext): void {
  const value = c.req.headers['access-token'];
  const kind = value === undefined ? 'absent' : String(value).trim() === '' ? 'empty' : 'sent';
  seen[kind] += 1;
  seen.last = kind;
}

export function requireAuth(c: RequestContext): string {
  const missing = ['user-id', 'uid'].filter((h) => !String(c.req.headers[h] ?? '').trim());
  if (missing.length) throw fail(401, 'UNAUTHORIZED', `missing credential header(s): ${missing.join(', ')}`);
  // uid looks like "<uuid>-<workspace>:admin:accountadmin": the user name is its second part.
  return String(c.req.headers.uid).split(':')[1] || 'admin';
}

export async function body(c: RequestContext): Promise<Record<string, unknown>> {
  const value = await c.json();
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid('request body: must be a JSON object');
  return value as Record<string, unknown>;
}

/**
 * A list filter: one integer per occurrence of the key (`status=1&status=4`), as Python requests — the
 * client of the document's examples — writes a list; undefined when absent. `status=1,4` is refused.
 */
export function intList(url: URL, name: string, min: number, max: number): number[] | undefined {
  const raw = url.searchParams.getAll(name).map((v) => v.trim()).filter(Boolean);
  if (!raw.length) return undefined;
  return raw.map((v) => {
    const n = Number(v);
    if (v.includes(',')) throw invalid(`${name}: "${v}" is not an integer; send several values as repeated keys (${name}=1&${name}=4)`);
    if (!Number.isInteger(n) || n < min || n > max) throw invalid(`${name}: "${v}" must be an integer from ${min} to ${max}`);
    return n;
  });
}

/** page_size as asked (≥ 1), cut to the server's largest page. */
export function pageSizeParam(url: URL, fallback: number, max: number): number {
  return Math.min(intParam(url, 'page_size', fallback, 1, Number.MAX_SAFE_INTEGER), max);
}

export function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw invalid(`${name}: "${v}" must be an integer from ${min} to ${max}`);
  return n;
}

export function taskIdOf(value: unknown): string {
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return value;
  if (typeof value === 'number') throw invalid('task_id: must be sent as a string (a 19-digit id does not fit a JSON number)');
  throw invalid('task_id: required, a decimal id string');
}

/** Checks `config` for `source_type` (4: config.oss, 5: config.s3 with region) and returns the inner config. */
export function parseConfig(sourceType: unknown, config: unknown): WireConfig {
  if (sourceType !== 4 && sourceType !== 5) throw invalid('source_type: must be 4 (OSS) or 5 (S3)');
  const key = sourceType === 4 ? 'oss' : 's3';
  const inner = config && typeof config === 'object' ? (config as Record<string, unknown>)[key] : undefined;
  if (!inner || typeof inner !== 'object') throw invalid(`config.${key}: required for source_type ${sourceType}`);
  const v = inner as Record<string, unknown>;
  const fields = ['endpoint', 'access_key_id', 'access_key_secret', 'bucket_name', ...(sourceType === 5 ? ['region'] : [])];
  for (const f of fields) if (typeof v[f] !== 'string' || !(v[f] as string).trim()) throw invalid(`config.${key}.${f}: required`);
  if (v.path_style !== undefined && typeof v.path_style !== 'boolean') throw invalid(`config.${key}.path_style: must be true or false`);
  const out: WireConfig = {
    endpoint: v.endpoint as string,
    access_key_id: v.access_key_id as string,
    access_key_secret: v.access_key_secret as string,
    bucket_name: v.bucket_name as string,
  };
  if (sourceType === 5) {
    out.region = v.region as string;
    out.path_style = v.path_style === true;
  }
  return out;
}

export function loadMode(value: unknown): { type: number; interval: number } {
  if (!value || typeof value !== 'object') throw invalid('load_mode_config: required');
  const v = value as Record<string, unknown>;
  const type = v.load_interval_type;
  if (typeof type !== 'number' || ![1, 2, 3, 4].includes(type)) throw invalid('load_mode_config.load_interval_type: must be 1, 2, 3 or 4');
  const interval = v.interval === undefined ? (type === 4 ? 0 : 1) : v.interval;
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 0 || (type !== 4 && interval < 1)) {
    throw invalid('load_mode_config.interval: must be a positive integer for interval types 1–3');
  }
  return { type, interval: type === 4 ? 0 : interval };
}

export function uris(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((u) => typeof u !== 'string' || !u.trim())) throw invalid('uris: required, a non-empty list of file uris');
  return [...new Set(value as string[])];
}

export const NUMERIC_SETTINGS = ['fail_rate', 'bytes_per_second', 'concurrency', 'tick_ms', 'time_scale', 'max_page_size'] as const;

/** The simulation knobs of POST /_emulator/ingest over `current`; a bad value is a 400 naming it. */
export function parseSettings(b: Record<string, unknown>, current: SimulationSettings): SimulationSettings {
  const next = { ...current };
  for (const key of NUMERIC_SETTINGS) {
    if (b[key] === undefined) continue;
    const n = Number(b[key]);
    const okValue = key === 'fail_rate' ? n >= 0 && n <= 1 : key === 'max_page_size' ? Number.isSafeInteger(n) && n >= 1 : Number.isFinite(n) && n > 0;
    if (!okValue) throw new HttpError(400, { error: `${key}: out of range` });
    next[key] = n;
  }
  if (b.file_times !== undefined) {
    const names = FILE_TIME_NAMES.find((x) => x === b.file_times);
    if (!names) throw new HttpError(400, { error: `file_times: must be one of ${FILE_TIME_NAMES.join(', ')}` });
    next.file_times = names;
  }
  return next;
}
