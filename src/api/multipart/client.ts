// Typed client for the six endpoints of the resumable multipart backend (api 004): bare JSON, FastAPI errors.
import { ApiError, ValidationError } from '../errors';
import { HttpClient, stringField, type HttpLimits } from '../http';
import type { Logger } from '../logger';
import { followPlan } from './plan';
import {
  MULTIPART_MAX_FILE_SIZE,
  type CompleteRequest,
  type CompleteResponse,
  type ConfirmJob,
  type ConfirmRequest,
  type ConfirmResponse,
  type InitPart,
  type InitRequest,
  type InitResponse,
  type ListResponse,
  type PartEtag,
  type UploadRef,
} from './types';

export interface MultipartClientOptions {
  baseUrl: () => string;
  /** Optional bearer token (the document names no auth); resolved per request. */
  token?: () => Promise<string | undefined>;
  logger: Logger;
  maxSockets?: number;
  /** Deadline and size ceiling of each call (DEFAULT_HTTP_LIMITS when absent). */
  limits?: () => HttpLimits;
}

export const JOB_FIELDS = ['profile_name', 'version', 'job_name', 'submitter', 'thread_count', 'priority'] as const;
export type JobField = (typeof JOB_FIELDS)[number];
/** Why a job field is refused; the UI words each one in the user's language. */
export type JobProblem = 'empty' | 'digits' | 'zero';

export const JOB_PROBLEM_TEXT: Record<JobProblem, string> = {
  empty: 'must not be empty',
  digits: 'must be a whole number written with digits only (e.g. "8")',
  zero: 'must be at least 1',
};

/** The problem with one job field as typed, or undefined when it can be sent. */
export function jobFieldProblem(field: JobField, value: string): JobProblem | undefined {
  const v = value.trim();
  if (!v) return 'empty';
  if (field === 'thread_count' || field === 'priority') {
    if (!/^\d+$/.test(v)) return 'digits';
    if (field === 'thread_count' && Number(v) < 1) return 'zero';
  }
  return undefined;
}

/** The job as it is sent: text trimmed, numbers as strings of digits. Throws ValidationError naming the first bad field. */
export function normalizeJob(job: ConfirmJob): ConfirmJob {
  const out = {} as Record<JobField, string>;
  for (const field of JOB_FIELDS) {
    const raw: unknown = job[field];
    // A caller holding numbers (8) gets them sent the way the backend wants them ("8").
    const value = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : typeof raw === 'string' ? raw : '';
    const problem = jobFieldProblem(field, value);
    if (problem) throw new ValidationError(field, JOB_PROBLEM_TEXT[problem]);
    out[field] = value.trim();
  }
  return out;
}

/** A file name the backend can put in an object key: not empty, no path separators. */
export function fileNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'must not be empty';
  if (/[/\\]/.test(name)) return 'must be a plain file name without path separators';
  if (name === '.' || name === '..') return 'must be a file name, not "." or ".."';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(name)) return 'must not contain control characters';
  if (Buffer.byteLength(name) > 255) return 'must be at most 255 bytes long';
  return undefined;
}

/** Refuses a file the backend would refuse: over 500 MB, or a size that is not a byte count. */
export function validateFileSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new ValidationError('file_size', 'must be a non-negative integer');
  if (size > MULTIPART_MAX_FILE_SIZE) {
    throw new ValidationError('file_size', `${size} bytes is over the backend's 500 MB limit (${MULTIPART_MAX_FILE_SIZE} bytes)`);
  }
}

/** ETags arrive as `"abc"` (or `W/"abc"`); the backend wants `abc`. */
export function unquoteEtag(etag: string): string {
  return etag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/** complete's parts the way the document wants them: unquoted, sorted by part_number, each once. */
export function normalizeCompleteParts(parts: readonly PartEtag[]): PartEtag[] {
  if (parts.length === 0) throw new ValidationError('parts', 'must not be empty');
  const sorted = parts.map((p) => ({ part_number: p.part_number, etag: unquoteEtag(p.etag) })).sort((a, b) => a.part_number - b.part_number);
  sorted.forEach((p, i) => {
    if (!Number.isSafeInteger(p.part_number) || p.part_number < 1) throw new ValidationError(`parts[${i}].part_number`, 'must be an integer from 1');
    if (!p.etag) throw new ValidationError(`parts[${i}].etag`, 'must not be empty');
    if (i > 0 && sorted[i - 1].part_number === p.part_number) throw new ValidationError(`parts[${i}].part_number`, `part ${p.part_number} appears more than once`);
  });
  return sorted;
}

function requireText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ValidationError(field, 'must not be empty');
  return value;
}

function validateRef(ref: UploadRef): UploadRef {
  return { task_id: requireText('task_id', ref.task_id), upload_id: requireText('upload_id', ref.upload_id), object_key: requireText('object_key', ref.object_key) };
}

/** FastAPI answers {"detail": "..."} or, for request validation, {"detail": [{loc, msg, type}]}. */
export function parseMultipartError(body: unknown, status: number): { code?: string | number; message?: string } {
  const detail = body && typeof body === 'object' ? (body as { detail?: unknown }).detail : undefined;
  let message: string | undefined;
  if (typeof detail === 'string') message = detail;
  else if (Array.isArray(detail)) {
    message = detail
      .map((d) => {
        const item = (d ?? {}) as { loc?: unknown; msg?: unknown };
        const loc = Array.isArray(item.loc) ? item.loc.filter((l) => l !== 'body').join('.') : '';
        const msg = typeof item.msg === 'string' ? item.msg : JSON.stringify(d);
        return loc ? `${loc}: ${msg}` : msg;
      })
      .join('; ');
  } else {
    message = stringField(body, 'message') ?? stringField(body, 'error') ?? (typeof body === 'string' && body.length > 0 && body.length < 300 ? body : undefined);
  }
  if (status === 401 && message) message += ' (set the token with "Datahub: Set Credentials…")';
  return { code: status, message };
}

function unwrapBare(body: unknown, status: number): unknown {
  if (body === undefined || body === null || typeof body !== 'object') {
    throw new ApiError('multipart', status, 'BAD_RESPONSE', 'the server answered without a JSON object');
  }
  return body;
}

function isPart(p: unknown): p is InitPart {
  const part = p as Partial<InitPart> | undefined;
  return (
    !!part &&
    Number.isSafeInteger(part.part_number) &&
    typeof part.upload_url === 'string' &&
    Number.isSafeInteger(part.start_byte) &&
    Number.isSafeInteger(part.end_byte)
  );
}

export class MultipartClient {
  private readonly http: HttpClient;

  constructor(options: MultipartClientOptions) {
    this.http = new HttpClient({
      service: 'multipart',
      baseUrl: options.baseUrl,
      logger: options.logger,
      maxSockets: options.maxSockets,
      limits: options.limits,
      unwrap: unwrapBare,
      parseError: parseMultipartError,
      authHeaders: async (): Promise<Record<string, string>> => {
        const token = await options.token?.();
        return token ? { Authorization: `Bearer ${token}` } : {};
      },
    });
  }

  /** Closes the sockets kept alive for this client. */
  close(): void {
    this.http.close();
  }

  async init(request: InitRequest, signal?: AbortSignal): Promise<InitResponse> {
    const nameProblem = fileNameProblem(request.filename);
    if (nameProblem) throw new ValidationError('filename', nameProblem);
    validateFileSize(request.file_size);
    requireText('file_type', request.file_type);
    if (request.chunk_size !== undefined && (!Number.isSafeInteger(request.chunk_size) || request.chunk_size < 1)) {
      throw new ValidationError('chunk_size', 'must be a positive integer');
    }
    const data = await this.http.request<InitResponse>({ method: 'POST', path: '/tasks/upload/multipart/init', json: request, signal });
    if (typeof data.task_id !== 'string' || typeof data.upload_id !== 'string' || typeof data.object_key !== 'string' || !Array.isArray(data.parts) || !data.parts.every(isPart)) {
      throw new ApiError('multipart', 200, 'BAD_RESPONSE', 'multipart/init answered without task_id, upload_id, object_key and parts[{part_number, upload_url, start_byte, end_byte}]');
    }
    // The server's plan is followed whatever part size it chose; one that cannot upload the file is refused here.
    followPlan(data.parts, request.file_size);
    return { ...data, parts: [...data.parts].sort((a, b) => a.part_number - b.part_number) };
  }

  async complete(request: CompleteRequest, signal?: AbortSignal): Promise<CompleteResponse> {
    const body: CompleteRequest = { ...validateRef(request), file_type: requireText('file_type', request.file_type), parts: normalizeCompleteParts(request.parts) };
    return this.http.request<CompleteResponse>({ method: 'POST', path: '/tasks/upload/multipart/complete', json: body, signal });
  }

  /** What the server really holds for an open upload, sorted, ETags unquoted. */
  async list(ref: UploadRef, signal?: AbortSignal): Promise<PartEtag[]> {
    const data = await this.http.request<ListResponse>({ method: 'POST', path: '/tasks/upload/multipart/list', json: validateRef(ref), signal });
    if (!Array.isArray(data.parts)) throw new ApiError('multipart', 200, 'BAD_RESPONSE', 'multipart/list answered without parts[]');
    return data.parts
      .filter((p): p is PartEtag => !!p && Number.isSafeInteger(p.part_number) && typeof p.etag === 'string')
      .map((p) => ({ part_number: p.part_number, etag: unquoteEtag(p.etag) }))
      .sort((a, b) => a.part_number - b.part_number);
  }

  async abort(ref: UploadRef, signal?: AbortSignal): Promise<void> {
    await this.http.request({ method: 'POST', path: '/tasks/upload/multipart/abort', json: validateRef(ref), signal });
  }

  async confirm(request: ConfirmRequest, signal?: AbortSignal): Promise<ConfirmResponse> {
    const body: ConfirmRequest = {
      task_id: requireText('task_id', request.task_id),
      master_object_key: requireText('master_object_key', request.master_object_key),
      ...normalizeJob(request),
    };
    return this.http.request<ConfirmResponse>({ method: 'POST', path: '/tasks/upload/confirm', json: body, signal });
  }
}
