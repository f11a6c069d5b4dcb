// What a job's SQL can read, against the in-process emulator: datasource tables, an upstream job's output schema
// as its table, a depend job's params taken from its upstream, the schemaInfer request, and the short cache.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import { ApiError } from '../../../src/api/errors';
import { silentLogger } from '../../../src/api/logger';
import { PandoraClient } from '../../../src/api/pandora/client';
import { JobSourcesCache } from '../../../src/languages/pandoraSql/jobSources';

describe('pandora-sql job sources', () => {
  let emu: RunningEmulator;
  let dir: string;
  let client: PandoraClient;
  let now = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pandora-sql-unit-'));
    emu = await startEmulator({ dataDir: dir });
    await fetch(`${emu.url}/_emulator/pandora/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ seed: true }) });
    client = new PandoraClient({ baseUrl: () => emu.url, auth: async () => ({ kind: 'keys', accessKey: 'demo-ak', secretKey: 'demo-sk' }), logger: silentLogger });
    await client.createJob('downstream', { srcs: [{ name: 'daily_traffic', type: 'Job', tableName: 'traffic' }], computation: { type: 'SQL', code: 'SELECT host FROM traffic' }, scheduler: { type: 'depend' } });
  });
  after(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a datasource source is its schema; the job\'s own params', async () => {
    const sources = await new JobSourcesCache(client, async () => 'demo-ak').get('daily_traffic');
    assert.deepEqual(sources.tables.map((t) => [t.tableName, t.type, t.source, t.fields.map((f) => f.key).join(',')]), [['logs', 'DataSource', 'weblogs', 'ts,host,status,bytes,latency']]);
    assert.deepEqual(sources.params, [{ name: 'region', default: 'east' }]);
  });

  it('an upstream job is a table of its inferred output; a depend job runs with its upstream\'s params', async () => {
    const cache = new JobSourcesCache(client, async () => 'demo-ak');
    const sources = await cache.get('downstream');
    assert.deepEqual(sources.tables.map((t) => [t.tableName, t.type, t.fields.map((f) => `${f.key}:${f.valtype}`).join(',')]), [['traffic', 'Job', 'host:string,hits:long,total_bytes:float']]);
    assert.deepEqual(sources.params, [{ name: 'region', default: 'east' }]);
    const request = await cache.inferRequest(sources, 'SELECT hits FROM traffic');
    assert.equal(request.appId, 'demo-ak');
    assert.deepEqual(request.computation, { type: 'sql', code: 'SELECT hits FROM traffic' });
    assert.equal(request.sourceSchemas[0].tableName, 'traffic');
    assert.deepEqual(JSON.parse(Buffer.from(request.sourceSchemas[0].schema, 'base64').toString('utf8')), [{ key: 'host', valtype: 'string' }, { key: 'hits', valtype: 'long' }, { key: 'total_bytes', valtype: 'float' }]);
    assert.deepEqual(await client.inferSchema(request), [{ key: 'hits', valtype: 'long', required: false }]);
  });

  it('answers from its cache for a while, asks again after that or when told to forget, and keeps no failure', async () => {
    let reads = 0;
    const counting = new Proxy(client, {
      get(target, prop, receiver) {
        if (prop === 'getJob') reads++;
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const cache = new JobSourcesCache(counting, async () => 'demo-ak', () => now);
    await cache.get('daily_traffic');
    await cache.get('daily_traffic');
    assert.equal(reads, 1);
    now += 15_000;
    await cache.get('daily_traffic');
    assert.equal(reads, 2);
    cache.invalidate('daily_traffic');
    await cache.get('daily_traffic');
    assert.equal(reads, 3);
    await assert.rejects(cache.get('no_such_job'), (err: unknown) => err instanceof ApiError && err.code === 'E18202');
    await assert.rejects(cache.get('no_such_job'), ApiError);
    assert.equal(reads, 5, 'a failed read is asked again');
  });
});
