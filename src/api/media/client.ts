// Typed client for the seven media task endpoints (api 002): FormData bodies, the Token header, {data, message}.
import { ApiError, ValidationError } from '../errors';
import { HttpClient, stringField, type HttpLimits } from '../http';
import type { Logger } from '../logger';
import type { BlockReport, DownloadTask, MediaTask, PrivateTaskList } from './types';

export interface MediaClientOptions {
  baseUrl: () => string;
  /** The user token from the browser hand-off, read from SecretStorage per request. */
  token: () => Promise<string | undefined>;
  logger: Logger;
  /** Shows a non-empty `message` of a successful answer to the user. */
  onMessage?: (message: string) => void;
  /** Deadline and size ceiling of each call (DEFAULT_HTTP_LIMITS when absent). */
  limits?: () => HttpLimits;
}

// The backend's own spellings, trailing slashes included (the private PATCH has none).
const UPLOAD = '/api/v1/tasks/upload/pbulic/';
const DOWNLOAD = '/api/v1/tasks/download/';
const PRIVATE = '/api/v1/tasks/upload/private/';

interface Envelope {
  data: unknown;
  message: string;
  meta?: unknown;
}

export function unwrapMediaEnvelope(body: unknown, status: number): Envelope {
  if (!body || typeof body !== 'object' || !('data' in body)) {
    throw new ApiError('media', status, 'BAD_RESPONSE', 'the server answered without the {data, message} envelope');
  }
  const b = body as { data: unknown; meta?: unknown };
  return { data: b.data, message: stringField(body, 'message') ?? '', meta: b.meta };
}

export function parseMediaError(body: unknown, status: number): { code?: string | number; message?: string } {
  const message = stringField(body, 'message') ?? stringField(body, 'detail') ?? (typeof body === 'string' && body.length < 300 ? body : undefined);
  return { code: status, message: status === 401 ? `${message ?? 'unauthorized'} — set the media token (Datahub: Set Credentials…)` : message };
}

function positiveInt(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new ValidationError(field, 'must be a non-negative integer');
  return value;
}

function nonEmpty(field: string, value: string): string {
  if (!value.trim()) throw new ValidationError(field, 'is empty');
  return value;
}

function reportForm(report: BlockReport): FormData {
  const form = new FormData();
  if (!Number.isInteger(report.status) || report.status < 0 || report.status > 9) throw new ValidationError('status', 'must be 0–9');
  form.append('status', String(report.status));
  if (report.percent !== undefined) form.append('percent', String(Math.max(0, Math.min(100, Math.floor(report.percent)))));
  for (const key of ['name', 'file', 'hash', 'ip'] as const) if (report[key] !== undefined) form.append(key, report[key] as string);
  if (report.size !== undefined) form.append('size', String(report.size));
  return form;
}

function checkTask<T extends MediaTask>(data: unknown, what: string): T {
  if (!data || typeof data !== 'object' || typeof (data as { id?: unknown }).id !== 'number') {
    throw new ApiError('media', 200, 'BAD_RESPONSE', `${what}: the answer has no task`);
  }
  return data as T;
}

export class MediaClient {
  private readonly http: HttpClient;

  constructor(private readonly options: MediaClientOptions) {
    this.http = new HttpClient({
      service: 'media',
      baseUrl: options.baseUrl,
      logger: options.logger,
      limits: options.limits,
      unwrap: unwrapMediaEnvelope,
      parseError: parseMediaError,
      authHeaders: async (): Promise<Record<string, string>> => {
        const token = await options.token();
        return token ? { Token: token } : {};
      },
    });
  }

  private async call(req: Parameters<HttpClient['request']>[0]): Promise<Envelope> {
    const envelope = await this.http.request<Envelope>(req);
    if (envelope.message) this.options.onMessage?.(envelope.message);
    return envelope;
  }

  /** 新建上载任务: one per master file. */
  async createUploadTask(input: { seriesId: number; uuid: string; sourceName: string }, signal?: AbortSignal): Promise<MediaTask> {
    const form = new FormData();
    form.append('series_id', String(positiveInt('series_id', input.seriesId)));
    form.append('uuid', nonEmpty('uuid', input.uuid));
    form.append('source_name', nonEmpty('source_name', input.sourceName));
    const { data } = await this.call({ method: 'POST', path: UPLOAD, form, signal });
    return checkTask(data, 'create upload task');
  }

  /** 提交上载任务状态 */
  async reportUpload(taskId: number, report: BlockReport, signal?: AbortSignal): Promise<MediaTask> {
    const { data } = await this.call({ method: 'PATCH', path: `${UPLOAD}${positiveInt('id', taskId)}/`, form: reportForm(report), signal });
    return checkTask(data, 'report upload status');
  }

  /** 新建下载任务: the answer carries the public block's hash. */
  async createDownloadTask(sourceId: number, signal?: AbortSignal): Promise<DownloadTask> {
    const { data } = await this.call({ method: 'GET', path: DOWNLOAD, query: { source_id: positiveInt('source_id', sourceId) }, signal });
    return checkTask<DownloadTask>(data, 'create download task');
  }

  /** 提交下载任务状态 */
  async reportDownload(taskId: number, report: { status: number; percent?: number }, signal?: AbortSignal): Promise<DownloadTask> {
    const { data } = await this.call({ method: 'PATCH', path: `${DOWNLOAD}${positiveInt('id', taskId)}/`, form: reportForm(report), signal });
    return checkTask<DownloadTask>(data, 'report download status');
  }

  /** 获取下载任务详情: polled until private_hash appears. */
  async getDownloadTask(taskId: number, signal?: AbortSignal): Promise<DownloadTask> {
    const { data } = await this.call({ method: 'GET', path: `${DOWNLOAD}${positiveInt('id', taskId)}/`, signal });
    return checkTask<DownloadTask>(data, 'download task');
  }

  /** 获取私有块上载任务列表 */
  async listPrivateTasks(signal?: AbortSignal): Promise<PrivateTaskList> {
    const { data, meta } = await this.call({ method: 'GET', path: PRIVATE, signal });
    if (!Array.isArray(data)) throw new ApiError('media', 200, 'BAD_RESPONSE', 'the private task list is not an array');
    const choices = (meta as { status_choices?: unknown } | undefined)?.status_choices;
    return { tasks: data.map((t) => checkTask<MediaTask>(t, 'private task list')), statusChoices: Array.isArray(choices) ? (choices as { code: number; name: string }[]) : [] };
  }

  /** 提交私有块上载任务状态 (no trailing slash on this path). */
  async reportPrivate(taskId: number, report: BlockReport, signal?: AbortSignal): Promise<MediaTask> {
    const { data } = await this.call({ method: 'PATCH', path: `${PRIVATE}${positiveInt('id', taskId)}`, form: reportForm(report), signal });
    return checkTask(data, 'report private block status');
  }
}
