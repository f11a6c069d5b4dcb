// The emulated ingest backend: state survives a restart, its own reset, and the 401 for missing credential headers.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngestClient } from '../../../src/api/ingest/client';
import { SourceType } from '../../../src/api/ingest/types';
import { silentLogger } from '../../../src/api/logger';
import { startEmulator } from '../../../emulator/server';

describe('emulated ingest backend', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ingest-emu-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const clientFor = (url: string) => new IngestClient({ baseUrl: () => url, credentials: async () => ({ userId: 'u', accessToken: 't', uid: 'w:bob:x' }), logger: silentLogger });

  it('keeps connectors and tasks on disk across a restart', async () => {
    let emulator = await startEmulator({ dataDir: dir, seed: true });
    let client = clientFor(emulator.url);
    await client.createConnector({ name: 'kept', sourceType: SourceType.OSS, endpoint: 'e.example.com', accessKeyId: 'a', accessKeySecret: 's', bucketName: 'sample-bucket' });
    const tasksBefore = (await client.listTasks()).tasks.map((t) => t.id).sort();
    await emulator.close();

    emulator = await startEmulator({ dataDir: dir });
    try {
      client = clientFor(emulator.url);
      const names = (await client.listConnectors()).connectors.map((c) => c.name).sort();
      assert.deepEqual(names, ['kept', 'oss-sample', 's3-sample']);
      assert.deepEqual((await client.listTasks()).tasks.map((t) => t.id).sort(), tasksBefore);
      // New ids keep growing after a restart.
      await client.createTask({ connectorId: (await client.listConnectors()).connectors[0].id, volumeId: '5', uris: ['readme.txt'], intervalType: 4 });
      const ids = (await client.listTasks({ orderBy: 'id', isDesc: true })).tasks.map((t) => BigInt(t.id));
      assert.ok(ids[0] > ids[1]);
    } finally {
      await emulator.close();
    }
  });

  it('resets (and reseeds) only its own state', async () => {
    const emulator = await startEmulator({ dataDir: dir, seed: true });
    try {
      const client = clientFor(emulator.url);
      await client.createConnector({ name: 'gone', sourceType: SourceType.OSS, endpoint: 'e.example.com', accessKeyId: 'a', accessKeySecret: 's', bucketName: 'sample-bucket' });
      let res = await fetch(`${emulator.url}/_emulator/ingest/reset`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
      assert.equal(res.status, 200);
      assert.equal((await client.listConnectors()).total, 0);
      assert.deepEqual(await client.listConnectorFiles(100001).catch((e: Error) => e.message), 'connector 100001 does not exist');
      res = await fetch(`${emulator.url}/_emulator/ingest/reset`, { method: 'POST', body: '{"seed": true}', headers: { 'Content-Type': 'application/json' } });
      assert.equal(res.status, 200);
      const { connectors } = await client.listConnectors();
      assert.deepEqual(connectors.map((c) => c.name).sort(), ['oss-sample', 's3-sample']);
      assert.ok((await client.listConnectorFiles(connectors[0].id)).length > 3, 'the sample buckets are written again');
    } finally {
      await emulator.close();
    }
  });

  it('answers 401 with the envelope naming a missing user-id or uid; Access-Token is optional, as in the document\'s examples', async () => {
    const emulator = await startEmulator({ dataDir: dir });
    try {
      const get = (headers: Record<string, string>) => fetch(`${emulator.url}/task/list`, { headers });
      for (const [headers, named] of [
        [{}, /user-id, uid/],
        [{ 'user-id': 'u' }, /: uid$/],
        [{ uid: 'w:bob:x', 'Access-Token': 't' }, /: user-id$/],
        [{ 'user-id': ' ', uid: 'w:bob:x' }, /: user-id$/],
      ] as const) {
        const res = await get(headers);
        assert.equal(res.status, 401, JSON.stringify(headers));
        const body = (await res.json()) as { code: string; msg: string };
        assert.equal(body.code, 'UNAUTHORIZED');
        assert.match(body.msg, named);
      }
      // connectors/list's example sends no Access-Token, task/retry's sends it empty: both are answered.
      for (const headers of [{ 'user-id': 'u', uid: 'w:bob:x' }, { 'user-id': 'u', uid: 'w:bob:x', 'Access-Token': '' }] as Record<string, string>[]) {
        const res = await get(headers);
        assert.equal(res.status, 200, JSON.stringify(headers));
        assert.equal(((await res.json()) as { code: string }).code, 'OK');
      }
    } finally {
      await emulator.close();
    }
  });

  it('takes names such as __proto__ and constructor as connector names, file uris and directories', async () => {
    const emulator = await startEmulator({ dataDir: dir, seed: true });
    try {
      const bucket = join(dir, 'ingest', 'buckets', 'sample-bucket');
      mkdirSync(join(bucket, 'constructor'), { recursive: true });
      writeFileSync(join(bucket, '__proto__'), 'proto');
      writeFileSync(join(bucket, 'constructor', 'toString.csv'), 'a,b\n');
      const client = clientFor(emulator.url);
      for (const name of ['__proto__', 'constructor']) {
        await client.createConnector({ name, sourceType: SourceType.OSS, endpoint: 'e.example.com', accessKeyId: 'a', accessKeySecret: 's', bucketName: 'sample-bucket' });
      }
      const { connectors } = await client.listConnectors();
      assert.deepEqual(connectors.map((c) => c.name).sort(), ['__proto__', 'constructor', 'oss-sample', 's3-sample']);
      const proto = connectors.find((c) => c.name === '__proto__');
      assert.ok(proto);
      const files = await client.listConnectorFiles(proto.id);
      assert.deepEqual(
        files.filter((f) => ['__proto__', 'constructor', 'constructor/toString.csv'].includes(f.uri)).map((f) => [f.uri, f.type]),
        [['__proto__', 0], ['constructor', 10], ['constructor/toString.csv', 7]],
      );
      await client.createTask({ connectorId: proto.id, volumeId: '77', uris: ['__proto__', 'constructor', 'hasOwnProperty'], intervalType: 4 });
      const [task] = (await client.listTasks({ orderBy: 'created_at', isDesc: true, pageSize: 1 })).tasks;
      const taskFiles = (await client.listTaskFiles(task.id)).files.map((f) => f.name).sort();
      assert.deepEqual(taskFiles, ['__proto__', 'hasOwnProperty', 'toString.csv']);
    } finally {
      await emulator.close();
    }
  });
});
