// Sample data of the ingest backend: two connectors over the sample buckets and two load tasks.
import { writeSampleBuckets } from './files';
import { now, type IngestStore, type StoredConnector, type StoredTask, type WireConfig } from './store';

/** The document's two volumes by id; any other volume is named after the end of its id. */
const KNOWN_VOLUMES = new Map([
  ['1889223879880048640', 'b-vol1'],
  ['1889578498228068352', 'b-vol2'],
]);

export function volumeName(volumeId: string): string {
  return KNOWN_VOLUMES.get(volumeId) ?? `vol-${volumeId.slice(-4)}`;
}

export function createTask(store: IngestStore, connector: StoredConnector, volumeId: string, list: string[], type: number, interval: number, creator: string): StoredTask {
  const t = now();
  const task: StoredTask = {
    id: store.newId(), connector_id: connector.id, connector_type: connector.source_type, volume_id: volumeId, volume_name: volumeName(volumeId),
    creator, status: 1, uris: list, interval_type: type, interval, start_at: t, end_at: 0, created_at: t, updated_at: t, next_run_at: 0,
    files: store.filesFor(connector, list),
  };
  store.tasks.push(task);
  return task;
}

/** Two connectors over two sample buckets, a finished task (one file failed) and a running hourly task. */
export function seed(store: IngestStore): void {
  writeSampleBuckets(store.root);
  const t = now();
  const config = (bucket: string): WireConfig => ({ endpoint: 'oss-cn-hangzhou.aliyuncs.com', access_key_id: 'LTAI5tSampleKeyId', access_key_secret: 'sample-secret-do-not-show', bucket_name: bucket });
  const add = (name: string, sourceType: number, cfg: WireConfig): StoredConnector => {
    const existing = store.connectors.find((c) => c.name === name);
    if (existing) return existing;
    const c: StoredConnector = { id: store.newConnectorId(), source_type: sourceType, name, status: 'active', created_at: t - 86_400, updated_at: t - 86_400, username: 'admin', config: cfg };
    store.connectors.push(c);
    return c;
  };
  const oss = add('oss-sample', 4, config('sample-bucket'));
  const s3 = add('s3-sample', 5, { ...config('s3-bucket'), endpoint: 'https://s3.us-east-1.amazonaws.com', region: 'us-east-1', path_style: true });
  if (!store.tasks.some((x) => x.connector_id === oss.id)) {
    const done = createTask(store, oss, '1889223879880048640', ['红楼梦(通行本)简体横排.pdf', 'notes.md', 'data/broken-fail.csv'], 4, 0, 'admin');
    for (const f of done.files) {
      const failed = /fail/i.test(f.name);
      Object.assign(f, { status: failed ? 4 : 5, attempts: 1, done: f.size, start_time: t - 3_500, end_time: t - 3_400, reason: failed ? 'simulated failure: the object could not be parsed (names containing "fail" fail their first attempt)' : '' });
    }
    Object.assign(done, { status: 4, start_at: t - 3_600, end_at: t - 3_400, created_at: t - 3_600, updated_at: t - 3_400 });
  }
  if (!store.tasks.some((x) => x.connector_id === s3.id)) createTask(store, s3, '1889578498228068352', ['logs', 'big/archive.parquet', 'slides/q3.pptx'], 2, 1, 'admin');
  store.save();
}
