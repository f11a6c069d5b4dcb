// The ingest backend's answers (api 001): connectors, tasks and task files as the document's JSON shows them.
import type { RequestContext } from '../router';
import type { FileTimeNames, IngestStore, StoredConnector, StoredFile, StoredTask } from './store';

/** JSON text where the `Raw` values are written as bare numbers (the document sends related_task_ids as 19-digit numbers). */
export class Raw {
  constructor(readonly digits: string) {}
  toJSON(): string {
    return `\u0000RAW:${this.digits}`;
  }
}
export function sendJsonWithRawNumbers(c: RequestContext, value: unknown): void {
  const text = JSON.stringify(value).replace(/"\\u0000RAW:(\d+)"/g, '$1');
  c.send(200, text, { 'Content-Type': 'application/json; charset=utf-8' });
}

export function connectorJson(store: IngestStore, c: StoredConnector): Record<string, unknown> {
  const related = store.relatedTaskIds(c.id);
  const { region, path_style, ...base } = c.config;
  return {
    id: c.id,
    source_type: c.source_type,
    name: c.name,
    status: c.status,
    created_at: c.created_at,
    updated_at: c.updated_at,
    username: c.username,
    related_task_ids: related.length ? related.map((id) => new Raw(id)) : null,
    // As the document shows, the list returns the whole configuration (the client must mask the secret).
    config: c.source_type === 5 ? { s3: { ...base, region, path_style } } : { oss: base },
  };
}

export function taskJson(t: StoredTask): Record<string, unknown> {
  return {
    id: t.id,
    source_connector_id: t.connector_id,
    source_connector_type: t.connector_type,
    volume_id: t.volume_id,
    volume_name: t.volume_name,
    name: '',
    status: t.status,
    creator: t.creator,
    source_config: { common_file_task_config: { uris: t.uris, load_mode_config: { load_interval_type: t.interval_type, interval: t.interval } } },
    start_at: t.start_at,
    end_at: t.end_at,
    created_at: t.created_at,
    updated_at: t.updated_at,
  };
}

export function fileJson(t: StoredTask, f: StoredFile, times: FileTimeNames): Record<string, unknown> {
  const [start, end] = times === 'start_at' ? ['start_at', 'end_at'] : ['start_time', 'end_time'];
  return {
    id: f.id, name: f.name, type: f.type, status: f.status, size: f.size, update_time: f.update_time, other_metadata: '',
    reason: f.reason, user: t.creator, [start]: f.start_time, [end]: f.end_time, path: `/${t.volume_name}/${f.uri}`,
  };
}
