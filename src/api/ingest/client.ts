// Typed client for every ingest endpoint (api 001): connectors and load tasks, `{code: "OK", msg, data}` unwrapped here.
import { ApiError, ValidationError } from '../errors';
import { HttpClient, type HttpLimits } from '../http';
import type { Logger } from '../logger';
import {
  FileStatus,
  SourceType,
  type ConnectorInput,
  type ConnectorList,
  type CreateTaskInput,
  type LoadTask,
  type SourceFile,
  type TaskFile,
  type TaskFilesPage,
  type TaskFilesQuery,
  type TaskList,
  type TaskListQuery,
  type UpdateTaskInput,
} from './types';
import { isDecimalId, PROBLEM_TEXT } from './validation';

export interface IngestCredentials {
  userId?: string;
  accessToken?: string;
  uid?: string;
}

/**
 * How a list filter with several values goes into the query. 001's examples send one value through
 * Python requests' `params`, which writes a list as repeated keys (`status=1&status=4`); `comma`
 * (`status=1,4`) is for a server that reads it that way.
 */
export type MultiValueQuery = 'repeat' | 'comma';
export const MULTI_VALUE_QUERIES: readonly MultiValueQuery[] = ['repeat', 'comma'];

export interface IngestClientOptions {
  baseUrl: () => string;
  /** Read per request so that a credential change applies at once. */
  credentials: () => Promise<IngestCredentials>;
  logger: Logger;
  /** Read per request; `repeat` unless told. */
  multiValueQuery?: () => MultiValueQuery;
  /** Deadline and size ceiling of each call (DEFAULT_HTTP_LIMITS when absent). */
  limits?: () => HttpLimits;
}

/**
 * The page size the client asks for when it reads a whole list. The server may answer smaller pages
 * (its own cap): the lists are read until the items collected reach `total`, never by page length.
 */
export const REQUEST_PAGE_SIZE = 100;
import { assertConnectorInput, num, parseIngestError, record, str, toConnector, toTask, toTaskFile, toWireConfig, unwrapIngestEnvelope } from './wire';
import { collectPages, connectorId, loadMode, pageArgs, taskId, uriList } from './requests';

export class IngestClient {
  private readonly http: HttpClient;
  private readonly multiValueQuery: () => MultiValueQuery;

  constructor(options: IngestClientOptions) {
    this.multiValueQuery = options.multiValueQuery ?? (() => 'repeat');
    this.http = new HttpClient({
      service: 'ingest',
      baseUrl: options.baseUrl,
      logger: options.logger,
      limits: options.limits,
      unwrap: unwrapIngestEnvelope,
      parseError: parseIngestError,
      // related_task_ids are bare 19-digit JSON numbers in the document.
      largeIntegersAsStrings: true,
      // Only the headers that are set are sent; the backend names the missing ones (401).
      authHeaders: async () => {
        const c = await options.credentials();
        const headers: Record<string, string> = {};
        if (c.userId) headers['user-id'] = c.userId;
        if (c.accessToken) headers['Access-Token'] = c.accessToken;
        if (c.uid) headers.uid = c.uid;
        return headers;
      },
    });
  }

  /** A list filter as the query carries it (see MultiValueQuery); undefined when empty. */
  private multi(values: readonly number[] | undefined): readonly number[] | string | undefined {
    if (!values || values.length === 0) return undefined;
    return this.multiValueQuery() === 'comma' ? values.join(',') : values;
  }

  // ---- connectors

  async createConnector(input: ConnectorInput, signal?: AbortSignal): Promise<void> {
    assertConnectorInput(input, true);
    await this.http.request({
      method: 'POST',
      path: '/connectors',
      json: { name: input.name.trim(), source_type: input.sourceType, config: toWireConfig(input, input.accessKeySecret ?? '') },
      signal,
    });
  }

  /** Validates a stored connector (by id) or a configuration; true when the backend can reach it. */
  async validateConnector(target: { connectorId: number; sourceType: number } | { input: ConnectorInput; connectorId?: number }, signal?: AbortSignal): Promise<boolean> {
    let body: Record<string, unknown>;
    if ('input' in target) {
      assertConnectorInput(target.input, target.connectorId === undefined);
      const secret = await this.resolveSecret(target.input, target.connectorId, signal);
      body = { source_type: target.input.sourceType, config: toWireConfig(target.input, secret) };
    } else {
      if (target.sourceType !== SourceType.OSS && target.sourceType !== SourceType.S3) throw new ValidationError('source_type', 'must be 4 (OSS) or 5 (S3)');
      body = { source_type: target.sourceType, connector_id: connectorId(target.connectorId) };
    }
    const data = record(await this.http.request({ method: 'POST', path: '/connectors/validate', json: body, signal }));
    if (typeof data.valid !== 'boolean') throw new ApiError('ingest', 200, 'BAD_RESPONSE', 'connectors/validate answered without data.valid');
    return data.valid;
  }

  async listConnectors(signal?: AbortSignal): Promise<ConnectorList> {
    const data = record(await this.http.request({ method: 'GET', path: '/connectors/list', signal }));
    const list = Array.isArray(data.connectors) ? data.connectors : [];
    return { connectors: list.map(toConnector), total: num(data.total, list.length) };
  }

  /** PUT /connectors/{id}; an empty secret keeps the stored one (read back from the list, never returned). */
  async updateConnector(id: number, input: ConnectorInput, signal?: AbortSignal): Promise<void> {
    connectorId(id);
    assertConnectorInput(input, false);
    const secret = await this.resolveSecret(input, id, signal);
    await this.http.request({ method: 'PUT', path: `/connectors/${id}`, json: { name: input.name.trim(), config: toWireConfig(input, secret) }, signal });
  }

  async listConnectorFiles(id: number, fileTypes?: readonly number[], signal?: AbortSignal): Promise<SourceFile[]> {
    connectorId(id);
    for (const t of fileTypes ?? []) if (!Number.isInteger(t) || t < 0 || t > 10) throw new ValidationError('file_types', 'must be 0–10');
    const data = record(
      await this.http.request({
        method: 'GET',
        path: '/connectors/files/list',
        query: { connector_id: id, file_types: this.multi(fileTypes) },
        signal,
      }),
    );
    const files = Array.isArray(data.files) ? data.files : [];
    return files.map((raw) => {
      const f = record(raw);
      return { uri: str(f.uri), filename: str(f.filename), size: num(f.size), type: num(f.type) };
    });
  }

  private async resolveSecret(input: ConnectorInput, id: number | undefined, signal?: AbortSignal): Promise<string> {
    if (input.accessKeySecret) return input.accessKeySecret;
    if (id === undefined) throw new ValidationError('accessKeySecret', PROBLEM_TEXT.required);
    const data = record(await this.http.request({ method: 'GET', path: '/connectors/list', signal }));
    const raw = (Array.isArray(data.connectors) ? data.connectors : []).map(record).find((c) => num(c.id) === id);
    if (!raw) throw new ApiError('ingest', 404, 'NOT_FOUND', `connector ${id} does not exist`);
    const config = record(raw.config);
    const secret = str(record(config.s3 ?? config.oss).access_key_secret);
    if (!secret) throw new ValidationError('accessKeySecret', 'the stored connector has no secret; enter it');
    return secret;
  }

  // ---- load tasks

  async createTask(input: CreateTaskInput, signal?: AbortSignal): Promise<void> {
    connectorId(input.connectorId);
    if (!isDecimalId(input.volumeId)) throw new ValidationError('volume_id', 'must be a decimal id (digits only)');
    const body = {
      source_connector_id: input.connectorId,
      volume_id: input.volumeId,
      source_config: { common_file_task_config: { load_mode_config: loadMode(input.intervalType, input.interval), uris: uriList(input.uris) } },
      config_type: 1,
    };
    await this.http.request({ method: 'POST', path: '/task', json: body, signal });
  }

  async listTasks(query: TaskListQuery = {}, signal?: AbortSignal): Promise<TaskList> {
    pageArgs(query.page, query.pageSize);
    const data = record(
      await this.http.request({
        method: 'GET',
        path: '/task/list',
        query: {
          page: query.page,
          page_size: query.pageSize,
          status: this.multi(query.status),
          load_interval_types: this.multi(query.loadIntervalTypes),
          order_by: query.orderBy,
          is_desc: query.isDesc,
        },
        signal,
      }),
    );
    const tasks = Array.isArray(data.tasks) ? data.tasks : [];
    return { tasks: tasks.map(toTask), total: num(data.total, tasks.length) };
  }

  /** Every task matching `query`, page by page until `total` (at most `limit`). */
  async listAllTasks(query: Omit<TaskListQuery, 'page' | 'pageSize'> = {}, limit = 1000, signal?: AbortSignal): Promise<LoadTask[]> {
    return collectPages(
      async (page) => {
        const { tasks, total } = await this.listTasks({ ...query, page, pageSize: REQUEST_PAGE_SIZE }, signal);
        return { items: tasks, total };
      },
      (task) => task.id,
      limit,
    );
  }

  async updateTask(id: string, update: UpdateTaskInput, signal?: AbortSignal): Promise<void> {
    const body: Record<string, unknown> = { task_id: taskId(id) };
    if (update.intervalType !== undefined) body.load_mode_config = loadMode(update.intervalType, update.interval);
    if (update.uris !== undefined) body.uris = uriList(update.uris);
    await this.http.request({ method: 'POST', path: '/task/update', json: body, signal });
  }

  async deleteTask(id: string, signal?: AbortSignal): Promise<void> {
    await this.http.request({ method: 'POST', path: '/task/delete', json: { task_id: taskId(id) }, signal });
  }

  async pauseTask(id: string, signal?: AbortSignal): Promise<void> {
    await this.http.request({ method: 'POST', path: '/task/pause', json: { task_id: taskId(id) }, signal });
  }

  async resumeTask(id: string, signal?: AbortSignal): Promise<void> {
    await this.http.request({ method: 'POST', path: '/task/resume', json: { task_id: taskId(id) }, signal });
  }

  /** Retries failed files of a task by their ids (strings). */
  async retryTask(id: string, fileIds: readonly string[], signal?: AbortSignal): Promise<void> {
    if (fileIds.length === 0) throw new ValidationError('ids', 'no failed file to retry');
    for (const f of fileIds) if (!isDecimalId(f)) throw new ValidationError('ids', `"${String(f)}" is not a decimal file id`);
    await this.http.request({ method: 'POST', path: '/task/retry', json: { task_id: taskId(id), ids: [...fileIds] }, signal });
  }

  async getTask(id: string, signal?: AbortSignal): Promise<LoadTask> {
    const data = record(await this.http.request({ method: 'GET', path: '/task/get', query: { task_id: taskId(id) }, signal }));
    if (!data.task) throw new ApiError('ingest', 200, 'BAD_RESPONSE', 'task/get answered without data.task');
    return toTask(data.task);
  }

  async listTaskFiles(id: string, query: TaskFilesQuery = {}, signal?: AbortSignal): Promise<TaskFilesPage> {
    pageArgs(query.page, query.pageSize);
    const data = record(
      await this.http.request({
        method: 'GET',
        path: '/task/files',
        query: { task_id: taskId(id), status: this.multi(query.status), page: query.page, page_size: query.pageSize },
        signal,
      }),
    );
    const files = Array.isArray(data.files) ? data.files : [];
    return { total: num(data.total), total_success: num(data.total_success), total_failed: num(data.total_failed), files: files.map(toTaskFile) };
  }

  /** Every file of a task with one of `status` (all pages, whatever page size the server answers). */
  async allTaskFiles(id: string, status: readonly number[], signal?: AbortSignal): Promise<TaskFile[]> {
    return collectPages(
      async (page) => {
        const result = await this.listTaskFiles(id, { status, page, pageSize: REQUEST_PAGE_SIZE }, signal);
        return { items: result.files, total: result.total };
      },
      (file) => file.id,
    );
  }

  /** The ids of every failed file of a task (all pages). */
  async failedFileIds(id: string, signal?: AbortSignal): Promise<string[]> {
    return (await this.allTaskFiles(id, [FileStatus.Failed], signal)).map((f) => f.id);
  }
}
