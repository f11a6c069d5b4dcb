// Ingest (api 001) answers read into typed values ({code, msg, data} envelope, errors, connectors, tasks, files) and
// connector configs written as the server expects them.
import { ApiError, ValidationError } from '../errors';
import { stringField } from '../http';
import { SourceType, type Connector, type ConnectorInput, type ConnectorWireConfig, type LoadTask, type TaskFile } from './types';
import { connectorInputErrors, isDecimalId, PROBLEM_TEXT } from './validation';
export function unwrapIngestEnvelope(body: unknown, status: number): unknown {
  if (!body || typeof body !== 'object') throw new ApiError('ingest', status, 'BAD_RESPONSE', 'the server answered without the {code, msg, data} envelope');
  const envelope = body as { code?: unknown; data?: unknown };
  if (envelope.code !== 'OK') {
    const code = typeof envelope.code === 'string' || typeof envelope.code === 'number' ? envelope.code : 'BAD_RESPONSE';
    throw new ApiError('ingest', status, code, stringField(body, 'msg') ?? stringField(body, 'message') ?? 'request refused');
  }
  return envelope.data;
}

export function parseIngestError(body: unknown, status: number): { code?: string | number; message?: string } {
  const code = body && typeof body === 'object' ? (body as { code?: unknown }).code : undefined;
  let message = stringField(body, 'msg') ?? stringField(body, 'message') ?? (typeof body === 'string' && body.length < 300 ? body : undefined);
  if (status === 401 && message) message += ' (set them with "Datahub: Set Credentials…")';
  return { code: typeof code === 'string' || typeof code === 'number' ? code : undefined, message };
}

/** Throws ValidationError naming the first bad field of a connector input. */
export function assertConnectorInput(input: ConnectorInput, requireSecret: boolean): void {
  const [first] = connectorInputErrors(input, requireSecret);
  if (first) throw new ValidationError(first.field, PROBLEM_TEXT[first.problem]);
}

/** The `config` body member for an input; the secret must already be resolved. */
export function toWireConfig(input: ConnectorInput, secret: string): ConnectorWireConfig {
  const base = {
    endpoint: input.endpoint.trim(),
    access_key_id: input.accessKeyId.trim(),
    access_key_secret: secret,
    bucket_name: input.bucketName.trim(),
  };
  if (input.sourceType === SourceType.S3) return { s3: { ...base, region: (input.region ?? '').trim(), path_style: input.pathStyle === true } };
  return { oss: base };
}

export function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
export function num(value: unknown, fallback = 0): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return fallback;
}
export function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** A 19-digit id as a string; a JSON number that lost precision is refused rather than shown wrong. */
export function idString(value: unknown, what: string): string {
  if (typeof value === 'string' && isDecimalId(value)) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  throw new ApiError('ingest', 200, 'BAD_RESPONSE', `${what} is not a decimal id kept as a string: ${String(value)}`);
}

/** Maps a wire connector to the model; the secret is dropped here and never travels further. */
export function toConnector(raw: unknown): Connector {
  const c = record(raw);
  const config = record(c.config);
  const wire = record(config.s3 ?? config.oss);
  const relatedIds = Array.isArray(c.related_task_ids) ? c.related_task_ids.map((id) => String(id)) : [];
  const connector: Connector = {
    id: num(c.id),
    sourceType: num(c.source_type),
    name: str(c.name),
    status: str(c.status),
    createdAt: num(c.created_at),
    updatedAt: num(c.updated_at),
    username: str(c.username),
    relatedTaskCount: relatedIds.length,
    relatedTaskIds: relatedIds,
    endpoint: str(wire.endpoint),
    accessKeyId: str(wire.access_key_id),
    bucketName: str(wire.bucket_name),
    secretSet: str(wire.access_key_secret) !== '',
  };
  if (config.s3 !== undefined) {
    connector.region = str(wire.region);
    connector.pathStyle = wire.path_style === true;
  }
  return connector;
}

export function toTask(raw: unknown): LoadTask {
  const t = record(raw);
  const common = record(record(t.source_config).common_file_task_config);
  const mode = record(common.load_mode_config);
  return {
    id: idString(t.id, 'task id'),
    source_connector_id: num(t.source_connector_id),
    source_connector_type: num(t.source_connector_type),
    volume_id: t.volume_id === undefined || t.volume_id === '' ? '' : idString(t.volume_id, 'volume_id'),
    volume_name: str(t.volume_name),
    name: str(t.name),
    status: num(t.status),
    creator: str(t.creator),
    source_config: {
      common_file_task_config: {
        uris: Array.isArray(common.uris) ? common.uris.map(str) : [],
        load_mode_config: { load_interval_type: num(mode.load_interval_type), interval: num(mode.interval) },
      },
    },
    start_at: num(t.start_at),
    end_at: num(t.end_at),
    created_at: num(t.created_at),
    updated_at: num(t.updated_at),
  };
}

export function toTaskFile(raw: unknown): TaskFile {
  const f = record(raw);
  return {
    id: idString(f.id, 'file id'),
    name: str(f.name),
    type: num(f.type),
    status: num(f.status),
    size: num(f.size),
    update_time: num(f.update_time),
    other_metadata: str(f.other_metadata),
    reason: str(f.reason),
    user: str(f.user),
    // 001's output table names them start_at/end_at, its example answers start_time/end_time: read both.
    start_time: num(f.start_time ?? f.start_at),
    end_time: num(f.end_time ?? f.end_at),
    path: str(f.path),
  };
}
