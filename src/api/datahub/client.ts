// Typed client for the seven Datahub plugin endpoints (api 000), `{code: 0, data}` unwrapped here.
import { ApiError, ValidationError } from '../errors';
import { HttpClient, stringField, type HttpClientOptions, type HttpLimits } from '../http';
import type { Logger } from '../logger';
import type {
  DownloadPresignResponse,
  SubtaskResult,
  SubtaskStatus,
  UploadCompleteRequest,
  UploadInitRequest,
  UploadInitResponse,
} from './types';

export interface DatahubClientOptions {
  baseUrl: () => string;
  /** Resolved per request so that a credential change applies at once. */
  token: () => Promise<string | undefined>;
  /** The header that carries the token; the document does not say, so it is configurable. */
  authHeader?: () => { name: string; scheme: string };
  logger: Logger;
  maxSockets?: number;
  /** Deadline and size ceiling of each call (DEFAULT_HTTP_LIMITS when absent). */
  limits?: () => HttpLimits;
}

// The document gives subtask ids no format ("task_abc_001" is an example): the server decides what it
// knows. Refused here is only what cannot be sent as meant: nothing, or control characters.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** Refuses a subtask id that cannot be sent (empty, whitespace only, control characters); returns it trimmed. */
export function validateSubtaskId(id: string): string {
  const trimmed = id.trim();
  if (!trimmed) throw new ValidationError('subtask_id', 'is empty');
  if (CONTROL_CHARACTERS.test(trimmed)) throw new ValidationError('subtask_id', 'must not contain control characters (line breaks, tabs…)');
  return trimmed;
}

export function unwrapDatahubEnvelope(body: unknown, status: number): unknown {
  if (!body || typeof body !== 'object') {
    throw new ApiError('datahub', status, 'BAD_RESPONSE', 'the server answered without the {code, data} envelope');
  }
  const envelope = body as { code?: unknown; data?: unknown };
  if (envelope.code !== 0 && envelope.code !== '0') {
    throw new ApiError('datahub', status, envelope.code as string | number | undefined, stringField(body, 'message') ?? stringField(body, 'msg') ?? 'request refused');
  }
  return envelope.data;
}

export function parseDatahubError(body: unknown): { code?: string | number; message?: string } {
  const code = body && typeof body === 'object' ? (body as { code?: unknown }).code : undefined;
  return {
    code: typeof code === 'number' || typeof code === 'string' ? code : undefined,
    message: stringField(body, 'message') ?? stringField(body, 'msg') ?? (typeof body === 'string' && body.length < 300 ? body : undefined),
  };
}

export class DatahubClient {
  private readonly http: HttpClient;

  constructor(options: DatahubClientOptions) {
    const httpOptions: HttpClientOptions = {
      service: 'datahub',
      baseUrl: options.baseUrl,
      logger: options.logger,
      maxSockets: options.maxSockets,
      limits: options.limits,
      unwrap: unwrapDatahubEnvelope,
      parseError: parseDatahubError,
      authHeaders: async () => {
        const token = await options.token();
        if (!token) return {};
        const header = options.authHeader?.() ?? { name: 'Authorization', scheme: 'Bearer' };
        return { [header.name]: header.scheme ? `${header.scheme} ${token}` : token };
      },
    };
    this.http = new HttpClient(httpOptions);
  }

  /** Closes the sockets kept alive for this client. */
  close(): void {
    this.http.close();
  }

  async initUpload(request: UploadInitRequest, signal?: AbortSignal): Promise<UploadInitResponse> {
    validateSubtaskId(request.subtask_id);
    if (!/^[0-9a-f]{32}$/.test(request.file_md5)) throw new ValidationError('file_md5', 'must be 32 lowercase hex characters');
    if (!Number.isSafeInteger(request.file_size) || request.file_size < 0) throw new ValidationError('file_size', 'must be a non-negative integer');
    const data = await this.http.request<UploadInitResponse>({ method: 'POST', path: '/api/task/upload/init', json: request, signal });
    if (!data || typeof data.upload_id !== 'string' || !Array.isArray(data.part_upload_urls)) {
      throw new ApiError('datahub', 200, 'BAD_RESPONSE', 'upload/init answered without upload_id and part_upload_urls');
    }
    return data;
  }

  async completeUpload(request: UploadCompleteRequest, signal?: AbortSignal): Promise<unknown> {
    return this.http.request({ method: 'POST', path: '/api/task/upload/complete', json: request, signal });
  }

  async presignDownload(subtaskId: string, signal?: AbortSignal): Promise<DownloadPresignResponse> {
    const data = await this.http.request<DownloadPresignResponse>({
      method: 'GET',
      path: '/api/task/download/presign',
      query: { subtask_id: validateSubtaskId(subtaskId) },
      signal,
    });
    if (!data || typeof data.download_url !== 'string' || typeof data.file_name !== 'string') {
      throw new ApiError('datahub', 200, 'BAD_RESPONSE', 'download/presign answered without download_url and file_name');
    }
    return data;
  }

  async updateStatus(subtaskId: string, status: SubtaskStatus, signal?: AbortSignal): Promise<void> {
    await this.http.request({ method: 'POST', path: '/api/task/update_status', json: { subtask_id: subtaskId, status }, signal });
  }

  async heartbeat(subtaskId: string, percent: number, signal?: AbortSignal): Promise<void> {
    const process = Math.max(0, Math.min(100, Math.floor(percent)));
    await this.http.request({
      method: 'POST',
      path: '/api/task/heartbeat',
      json: { subtask_id: subtaskId, timestamp: Math.floor(Date.now() / 1000), process },
      signal,
    });
  }

  async submitResult(subtaskId: string, result: SubtaskResult, signal?: AbortSignal): Promise<void> {
    await this.http.request({ method: 'POST', path: '/api/task/result', json: { subtask_id: subtaskId, result }, signal });
  }
}
