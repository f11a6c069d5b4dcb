// Emulated ingest (api 001) connector routes: create, validate, list, update, and the files of a connector's bucket.
import type { IngestRoute } from './route';
import { bucketExists, listBucket } from './files';
import { body, fail, intList, invalid, ok, parseConfig } from './requests';
import { now, type IngestStore, type WireConfig } from './store';
import { connectorJson, sendJsonWithRawNumbers } from './wire';

export function registerConnectorRoutes(route: IngestRoute, store: IngestStore): void {
  route('POST', '/connectors', 'ingest_connectors', async (c, user) => {
    const b = await body(c);
    if (typeof b.name !== 'string' || !b.name.trim()) throw invalid('name: required');
    const config = parseConfig(b.source_type, b.config);
    if (store.connectors.some((x) => x.name === b.name)) throw fail(409, 'ALREADY_EXISTS', `a connector named "${b.name}" already exists`);
    const t = now();
    store.connectors.push({ id: store.newConnectorId(), source_type: b.source_type as number, name: b.name, status: 'active', created_at: t, updated_at: t, username: user, config });
    store.save();
    ok(c);
  });
  route('POST', '/connectors/validate', 'ingest_connectors', async (c) => {
    const b = await body(c);
    let config: WireConfig;
    if (b.connector_id !== undefined && b.connector_id !== null && b.config === undefined) {
      const connector = store.connector(Number(b.connector_id));
      if (!connector) throw fail(404, 'NOT_FOUND', `connector ${String(b.connector_id)} does not exist`);
      if (b.source_type !== connector.source_type) throw invalid(`source_type: connector ${connector.id} has source_type ${connector.source_type}`);
      config = connector.config;
    } else {
      if (b.config === undefined) throw invalid('connector_id or config: one is required');
      config = parseConfig(b.source_type, b.config);
    }
    // The emulated store can be reached when the bucket folder exists.
    ok(c, { valid: bucketExists(store.root, config.bucket_name) });
  });
  route('GET', '/connectors/list', 'ingest_connectors', (c) => {
    sendJsonWithRawNumbers(c, { code: 'OK', msg: 'OK', data: { connectors: store.connectors.map((x) => connectorJson(store, x)), total: store.connectors.length } });
  });
  route('PUT', '/connectors/:id', 'ingest_connectors', async (c) => {
    const connector = store.connector(Number(c.params.id));
    if (!connector) throw fail(404, 'NOT_FOUND', `connector ${c.params.id} does not exist`);
    const b = await body(c);
    if (typeof b.name !== 'string' || !b.name.trim()) throw invalid('name: required');
    const config = parseConfig(connector.source_type, b.config);
    if (store.connectors.some((x) => x.name === b.name && x.id !== connector.id)) throw fail(409, 'ALREADY_EXISTS', `a connector named "${b.name}" already exists`);
    Object.assign(connector, { name: b.name, config, updated_at: now() });
    store.save();
    ok(c);
  });
  route('GET', '/connectors/files/list', 'ingest_connectors', (c) => {
    const raw = c.url.searchParams.get('connector_id');
    if (!raw) throw invalid('connector_id: required');
    const connector = store.connector(Number(raw));
    if (!connector) throw fail(404, 'NOT_FOUND', `connector ${raw} does not exist`);
    const types = intList(c.url, 'file_types', 0, 10);
    const files = listBucket(store.root, connector.config.bucket_name).filter((f) => !types || types.includes(f.type));
    ok(c, { files });
  });
}
