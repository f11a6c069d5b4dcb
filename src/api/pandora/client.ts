// The Pandora offline-jobs client (api 003): every endpoint, signed, validated before sending.
import { ApiError, ValidationError } from '../errors';
import { HttpClient, stringField, type HttpLimits } from '../http';
import type { Logger } from '../logger';
import { BAD_TOKEN, codeOf, meaningOf } from './codes';
import { httpDate, pandoraAuthorization, pathToSign, type PandoraCredentials, type SignedPath } from './sign';
import type {
  BatchActionResult,
  Datasource,
  DatasourceBody,
  DatasourceUpdate,
  ExportBody,
  ExportSpec,
  HistoryPage,
  HistoryQuery,
  Job,
  JobBody,
  JobExport,
  RunParam,
  SchemaField,
  SchemaInferRequest,
  SchemaProbeRequest,
} from './types';
import {
  formatIssue,
  validateBatchAction,
  validateDatasource,
  validateDatasourceUpdate,
  validateExport,
  validateExportSpec,
  validateHistoryQuery,
  validateJob,
  validateJobListQuery,
  validateExportName,
  validateJobName,
  validateName,
  validateRunParams,
  validateSchemaInfer,
  validateSchemaProbe,
  type Issue,
} from './validation';

/** AK/SK to sign with, or a pre-made token sent as the whole Authorization value. */
export type PandoraAuth = ({ kind: 'keys' } & PandoraCredentials) | { kind: 'token'; token: string };

export interface PandoraClientOptions {
  baseUrl: () => string;
  auth: () => Promise<PandoraAuth | undefined>;
  logger: Logger;
  /** Translates validation message templates (vscode.l10n.t in the extension). */
  translate?: (template: string) => string;
  /** The user's language, for the meaning of E18xxx codes. */
  language?: string;
  /** The clock the Date header is taken from (tests shift it). */
  now?: () => Date;
  /** Deadline and size ceiling of each call (DEFAULT_HTTP_LIMITS when absent). */
  limits?: () => HttpLimits;
  /** Which path is signed: as the server decodes it (the default, like the Go SDK) or as sent, percent-encoded. */
  signedPath?: () => SignedPath;
}

const enc = encodeURIComponent;

export class PandoraClient {
  private readonly http: HttpClient;

  constructor(private readonly options: PandoraClientOptions) {
    this.http = new HttpClient({
      service: 'pandora',
      baseUrl: options.baseUrl,
      logger: options.logger,
      limits: options.limits,
      authHeaders: async ({ method, path, headers }) => {
        const auth = await options.auth();
        if (!auth) throw new ApiError('pandora', undefined, 'NO_CREDENTIALS', 'Pandora credentials are not set (AccessKey/SecretKey or a token)');
        const date = httpDate(options.now?.() ?? new Date());
        // A POST or PUT without a body is sent as JSON too: its Content-Type is named here, so that what is signed is what is sent.
        const contentType = headers['Content-Type'] ?? (method === 'GET' || method === 'DELETE' ? undefined : 'application/json');
        const extra: Record<string, string> = contentType ? { 'Content-Type': contentType } : {};
        if (auth.kind === 'token') return { ...extra, Date: date, Authorization: auth.token };
        const signed = pathToSign(options.baseUrl(), path, options.signedPath?.() ?? 'decoded');
        const authorization = pandoraAuthorization({ method, path: signed, date, contentType, contentMd5: headers['Content-MD5'], headers }, auth);
        return { ...extra, Date: date, Authorization: authorization };
      },
      unwrap: (body) => body,
      parseError: (body, status) => parsePandoraError(body, status, options.language),
    });
  }

  private check(issues: Issue[]): void {
    if (issues.length === 0) return;
    const first = issues[0];
    throw new ValidationError(first.field, formatIssue(first, this.options.translate));
  }

  // Datasources
  async createDatasource(name: string, body: DatasourceBody): Promise<void> {
    this.check(validateDatasource(name, body));
    await this.http.request({ method: 'POST', path: `/v2/datasources/${enc(name)}`, json: body });
  }

  /** Reads the datasource first so that a dropped or retyped field is refused before sending. */
  async updateDatasource(name: string, update: DatasourceUpdate): Promise<void> {
    this.check(validateName('name', name));
    const existing = await this.getDatasource(name);
    this.check(validateDatasourceUpdate(existing, update));
    await this.http.request({ method: 'PUT', path: `/v2/datasources/${enc(name)}`, json: update });
  }

  async getDatasource(name: string): Promise<Datasource> {
    this.check(validateName('name', name));
    const body = await this.http.request<DatasourceBody>({ method: 'GET', path: `/v2/datasources/${enc(name)}` });
    return { ...body, name };
  }

  async listDatasources(): Promise<Datasource[]> {
    const body = await this.http.request<{ datasources?: Datasource[] }>({ method: 'GET', path: '/v2/datasources' });
    return body?.datasources ?? [];
  }

  async deleteDatasource(name: string): Promise<void> {
    this.check(validateName('name', name));
    await this.http.request({ method: 'DELETE', path: `/v2/datasources/${enc(name)}` });
  }

  // Jobs
  /** Table names of `jobName` and of every job upstream of it (note 2: they must stay unique). */
  async upstreamTableNames(jobName: string, seen = new Set<string>()): Promise<string[]> {
    if (seen.has(jobName)) return [];
    seen.add(jobName);
    const job = await this.getJob(jobName);
    const names = job.srcs.map((s) => s.tableName);
    for (const src of job.srcs) if (src.type === 'Job') names.push(...(await this.upstreamTableNames(src.name, seen)));
    return names;
  }

  private async checkJob(name: string, body: JobBody): Promise<void> {
    this.check(validateJob(name, body));
    const upstream = body.srcs.find((s) => s.type === 'Job');
    if (upstream) this.check(validateJob(name, body, { upstreamTableNames: await this.upstreamTableNames(upstream.name) }));
  }

  async createJob(name: string, body: JobBody): Promise<void> {
    await this.checkJob(name, body);
    await this.http.request({ method: 'POST', path: `/v2/jobs/${enc(name)}`, json: body });
  }

  /** A full replacement: callers read the job first (see `getJob`) and send every field. */
  async updateJob(name: string, body: JobBody): Promise<void> {
    await this.checkJob(name, body);
    await this.http.request({ method: 'PUT', path: `/v2/jobs/${enc(name)}`, json: body });
  }

  async getJob(name: string): Promise<Job> {
    this.check(validateJobName('name', name));
    const body = await this.http.request<Omit<Job, 'name'>>({ method: 'GET', path: `/v2/jobs/${enc(name)}` });
    return { ...body, name };
  }

  async listJobs(filter: { srcDatasource?: string; srcJob?: string } = {}): Promise<Job[]> {
    this.check(validateJobListQuery(filter));
    const body = await this.http.request<{ jobs?: Job[] }>({ method: 'GET', path: '/v2/jobs', query: { srcDatasource: filter.srcDatasource || undefined, srcJob: filter.srcJob || undefined } });
    return body?.jobs ?? [];
  }

  async deleteJob(name: string): Promise<void> {
    this.check(validateJobName('name', name));
    await this.http.request({ method: 'DELETE', path: `/v2/jobs/${enc(name)}` });
  }

  async startJob(name: string, params: RunParam[] = []): Promise<void> {
    this.check(validateJobName('name', name));
    this.check(validateRunParams(params));
    await this.http.request({ method: 'POST', path: `/v2/jobs/${enc(name)}/actions/start`, json: { params } });
  }

  async stopJob(name: string): Promise<void> {
    this.check(validateJobName('name', name));
    await this.http.request({ method: 'POST', path: `/v2/jobs/${enc(name)}/actions/stop` });
  }

  // Exports
  async createExport(jobName: string, exportName: string, body: ExportBody, columns?: readonly string[]): Promise<void> {
    this.check(validateJobName('jobName', jobName));
    this.check(validateExport(exportName, body, columns));
    await this.http.request({ method: 'POST', path: `/v2/jobs/${enc(jobName)}/exports/${enc(exportName)}`, json: body });
  }

  /** PUT carries the spec only; the type of an export does not change. */
  async updateExport(jobName: string, exportName: string, type: ExportBody['type'], spec: ExportSpec, columns?: readonly string[]): Promise<void> {
    this.check(validateJobName('jobName', jobName));
    this.check(validateExportName('name', exportName));
    this.check(validateExportSpec(type, spec, columns));
    await this.http.request({ method: 'PUT', path: `/v2/jobs/${enc(jobName)}/exports/${enc(exportName)}`, json: { spec } });
  }

  async getExport(jobName: string, exportName: string): Promise<JobExport> {
    this.check(validateJobName('jobName', jobName));
    this.check(validateExportName('name', exportName));
    const body = await this.http.request<ExportBody>({ method: 'GET', path: `/v2/jobs/${enc(jobName)}/exports/${enc(exportName)}` });
    return { ...body, name: exportName } as JobExport;
  }

  async listExports(jobName: string): Promise<JobExport[]> {
    this.check(validateJobName('jobName', jobName));
    const body = await this.http.request<{ exports?: JobExport[] }>({ method: 'GET', path: `/v2/jobs/${enc(jobName)}/exports` });
    return body?.exports ?? [];
  }

  async deleteExport(jobName: string, exportName: string): Promise<void> {
    this.check(validateJobName('jobName', jobName));
    this.check(validateExportName('name', exportName));
    await this.http.request({ method: 'DELETE', path: `/v2/jobs/${enc(jobName)}/exports/${enc(exportName)}` });
  }

  // History and batches
  async history(jobName: string, query: HistoryQuery = {}): Promise<HistoryPage> {
    this.check(validateJobName('jobName', jobName));
    this.check(validateHistoryQuery(query));
    // Newest first unless asked otherwise (-endTime; a Running run's endTime is "now").
    const body = await this.http.request<HistoryPage>({ method: 'GET', path: `/v2/jobs/${enc(jobName)}/history`, query: { ...query, sortBy: query.sortBy ?? '-endTime' } });
    return { total: body?.total ?? 0, history: body?.history ?? [] };
  }

  async stopRun(jobName: string, runId: number): Promise<BatchActionResult> {
    return this.batch('stop', jobName, runId);
  }

  async rerunRun(jobName: string, runId: number): Promise<BatchActionResult> {
    return this.batch('rerun', jobName, runId);
  }

  private async batch(action: 'stop' | 'rerun', jobName: string, runId: number): Promise<BatchActionResult> {
    // The document sends runId as a string.
    const body = { jobName, runId: String(runId) };
    this.check(validateBatchAction(body));
    return this.http.request<BatchActionResult>({ method: 'POST', path: `/v2/batch/actions/${action}`, json: body });
  }

  // Schemas
  async probeSchema(request: SchemaProbeRequest): Promise<SchemaField[]> {
    this.check(validateSchemaProbe(request));
    const body = await this.http.request<{ schema?: SchemaField[] }>({ method: 'POST', path: '/v2/schemas', json: request });
    return body?.schema ?? [];
  }

  async inferSchema(request: SchemaInferRequest): Promise<SchemaField[]> {
    this.check(validateSchemaInfer(request));
    const body = await this.http.request<{ schema?: SchemaField[] }>({ method: 'POST', path: '/dag/schemaInfer', json: request });
    return body?.schema ?? [];
  }
}

/** base64 of the `[{key, valtype}]` JSON a batch source schema is sent as to /dag/schemaInfer. */
export function encodeBatchSchema(schema: readonly SchemaField[]): string {
  const json = JSON.stringify(schema.map((f) => ({ key: f.key, valtype: f.valtype })));
  return base64Utf8(json);
}

function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** `{"error": "E18202: ..."}` → code E18202 and a message with the table's meaning. */
export function parsePandoraError(body: unknown, status: number, language?: string): { code?: string | number; message?: string } {
  const text = stringField(body, 'error') ?? (typeof body === 'string' ? body : undefined);
  if (status === 401) return { code: 401, message: `${BAD_TOKEN}: ${text && text !== BAD_TOKEN ? `${text} — ` : ''}check the AccessKey/SecretKey (or token) and the computer's clock` };
  if (!text) return {};
  const code = codeOf(text);
  if (!code) return { message: text };
  const meaning = meaningOf(code, language);
  const detail = text.replace(/^\s*E18\d{3}\s*:?\s*/, '');
  return { code, message: meaning && !detail.includes(meaning) ? `${meaning}${detail ? ` (${detail})` : ''}` : detail || code };
}
