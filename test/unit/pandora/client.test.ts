// The Pandora client against the in-process emulator: every endpoint of api 003, auth, errors with their E18xxx codes.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import { ApiError, ValidationError } from '../../../src/api/errors';
import { silentLogger } from '../../../src/api/logger';
import { PandoraClient, encodeBatchSchema, type PandoraAuth } from '../../../src/api/pandora/client';
import { httpDate, pandoraAuthorization } from '../../../src/api/pandora/sign';
import type { JobBody, KodoExportSpec } from '../../../src/api/pandora/types';
import { until } from '../helpers/until';

const DS_BODY = {
  region: 'nb',
  type: 'kodo' as const,
  spec: { bucket: 'unit-logs', fileType: 'json' as const },
  schema: [
    { key: 'host', valtype: 'string' as const, required: true },
    { key: 'bytes', valtype: 'long' as const, required: false },
  ],
};

function jobBody(code = 'SELECT host, COUNT(*) AS hits, SUM(bytes) AS total FROM logs GROUP BY host'): JobBody {
  return {
    srcs: [{ name: 'unit_ds', type: 'DataSource', tableName: 'logs' }],
    computation: { type: 'SQL', code },
    container: { type: '1U2G', count: 1 },
    scheduler: { type: 'manual' },
    params: [{ name: 'day', default: '01' }],
  };
}

async function rejects(p: Promise<unknown>, check: (e: ApiError) => void): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
    check(err);
    return;
  }
  assert.fail('expected a rejection');
}

/** Reads until `ok` holds (a state, polled with a deadline by the shared `until`). */
function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  return until('the history to reach the expected state', async () => {
    const v = await read();
    return ok(v) ? v : undefined;
  });
}

describe('pandora client ↔ emulator', () => {
  let emu: RunningEmulator;
  let dir: string;
  let auth: PandoraAuth | undefined = { kind: 'keys', accessKey: 'demo-ak', secretKey: 'demo-sk' };
  let clockShiftMs = 0;
  let client: PandoraClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pandora-unit-'));
    emu = await startEmulator({ dataDir: dir });
    await fetch(`${emu.url}/_emulator/pandora/config`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ runMs: 150 }) });
    client = new PandoraClient({ baseUrl: () => emu.url, auth: async () => auth, logger: silentLogger, now: () => new Date(Date.now() + clockShiftMs) });
  });
  after(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    auth = { kind: 'keys', accessKey: 'demo-ak', secretKey: 'demo-sk' };
    clockShiftMs = 0;
  });

  it('refuses a wrong secret, an unknown key and a Date 16 minutes off with 401 bad token; 14 minutes is accepted', async () => {
    auth = { kind: 'keys', accessKey: 'demo-ak', secretKey: 'wrong' };
    await rejects(client.listDatasources(), (e) => {
      assert.equal(e.httpStatus, 401);
      assert.match(e.message, /bad token/);
    });
    auth = { kind: 'keys', accessKey: 'nobody', secretKey: 'demo-sk' };
    await rejects(client.listDatasources(), (e) => assert.equal(e.httpStatus, 401));
    auth = { kind: 'keys', accessKey: 'demo-ak', secretKey: 'demo-sk' };
    clockShiftMs = -16 * 60_000;
    await rejects(client.listDatasources(), (e) => assert.equal(e.httpStatus, 401));
    clockShiftMs = 14 * 60_000;
    assert.ok(Array.isArray(await client.listDatasources()));
  });

  it('accepts a configured pre-made token sent as the whole Authorization value', async () => {
    auth = { kind: 'token', token: 'Pandora demo-token' };
    assert.ok(Array.isArray(await client.listDatasources()));
    auth = { kind: 'token', token: 'Pandora other-token' };
    await rejects(client.listDatasources(), (e) => assert.equal(e.httpStatus, 401));
  });

  it('the accepted keys are configurable', async () => {
    await fetch(`${emu.url}/_emulator/pandora/config`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ keys: [{ accessKey: 'ak2', secretKey: 'sk2' }] }) });
    try {
      await rejects(client.listDatasources(), (e) => assert.equal(e.httpStatus, 401));
      auth = { kind: 'keys', accessKey: 'ak2', secretKey: 'sk2' };
      assert.ok(Array.isArray(await client.listDatasources()));
    } finally {
      await fetch(`${emu.url}/_emulator/pandora/config`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ keys: [{ accessKey: 'demo-ak', secretKey: 'demo-sk' }] }) });
    }
  });

  it('without credentials nothing is sent', async () => {
    auth = undefined;
    const before = (await (await fetch(`${emu.url}/_emulator/state`)).json()) as { counters: Record<string, number> };
    await rejects(client.listDatasources(), (e) => assert.equal(e.code, 'NO_CREDENTIALS'));
    const after = (await (await fetch(`${emu.url}/_emulator/state`)).json()) as { counters: Record<string, number> };
    assert.equal(after.counters.pandora_requests ?? 0, before.counters.pandora_requests ?? 0);
  });

  it('datasources: create, get, list, update (adding a field), delete; E18101 / E18102 / E18110 / E18112', async () => {
    await client.createDatasource('unit_ds', DS_BODY);
    await rejects(client.createDatasource('unit_ds', DS_BODY), (e) => {
      assert.equal(e.httpStatus, 409);
      assert.equal(e.code, 'E18101');
      assert.match(e.message, /already exists/);
    });
    const got = await client.getDatasource('unit_ds');
    assert.deepEqual(got.schema.map((f) => f.key), ['host', 'bytes']);
    assert.ok((await client.listDatasources()).some((d) => d.name === 'unit_ds' && d.type === 'kodo'));
    await client.updateDatasource('unit_ds', { spec: DS_BODY.spec, schema: [...DS_BODY.schema, { key: 'ms', valtype: 'float', required: false }] });
    assert.equal((await client.getDatasource('unit_ds')).schema.length, 3);
    // Dropping a field is refused before sending.
    await assert.rejects(client.updateDatasource('unit_ds', { spec: DS_BODY.spec, schema: DS_BODY.schema }), (e: unknown) => e instanceof ValidationError && /cannot be removed/.test(e.message));
    await rejects(client.getDatasource('missing_ds'), (e) => {
      assert.equal(e.httpStatus, 404);
      assert.equal(e.code, 'E18102');
    });
  });

  it('validation refuses before sending, naming the field', async () => {
    await assert.rejects(client.createDatasource('1bad', DS_BODY), (e: unknown) => e instanceof ValidationError && e.field === 'name');
    await assert.rejects(client.createJob('ok_name', { ...jobBody(), container: { type: '16U64G', count: 7 } }), (e: unknown) => e instanceof ValidationError && e.field === 'container.count');
  });

  it('the emulator applies the same rules with the document codes when a request bypasses the client', async () => {
    // A raw signed request with a bad container count: the server answers E18214 / 400.
    const date = httpDate();
    const body = JSON.stringify({ ...jobBody(), container: { type: '4U8G', count: 26 } });
    const res = await fetch(`${emu.url}/v2/jobs/raw_job`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', Date: date, Authorization: pandoraAuthorization({ method: 'POST', path: '/v2/jobs/raw_job', contentType: 'application/json', date }, { accessKey: 'demo-ak', secretKey: 'demo-sk' }) },
    });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /^E18214: container\.count/);
  });

  it('jobs: create (schema inferred), get, list by srcDatasource / srcJob, update (full replacement), start, stop, delete', async () => {
    await client.createJob('unit_job', jobBody());
    const job = await client.getJob('unit_job');
    assert.deepEqual(job.schema, [{ key: 'host', valtype: 'string' }, { key: 'hits', valtype: 'long' }, { key: 'total', valtype: 'float' }]);
    await rejects(client.createJob('unit_job', jobBody()), (e) => assert.equal(e.code, 'E18201'));
    await client.createJob('unit_down', {
      srcs: [{ name: 'unit_job', type: 'Job', tableName: 'agg' }],
      computation: { type: 'SQL', code: 'SELECT host FROM agg' },
      scheduler: { type: 'depend' },
    });
    assert.deepEqual((await client.listJobs({ srcDatasource: 'unit_ds' })).map((j) => j.name), ['unit_job']);
    assert.deepEqual((await client.listJobs({ srcJob: 'unit_job' })).map((j) => j.name), ['unit_down']);
    assert.ok((await client.listJobs()).length >= 2);
    await assert.rejects(client.listJobs({ srcDatasource: 'a', srcJob: 'b' }), ValidationError);
    // A table name used upstream is refused (note 2).
    await assert.rejects(
      client.createJob('unit_dup', { srcs: [{ name: 'unit_job', type: 'Job', tableName: 'logs' }], computation: { type: 'SQL', code: 'SELECT host FROM logs' }, scheduler: { type: 'depend' } }),
      (e: unknown) => e instanceof ValidationError && e.field === 'srcs[0].tableName',
    );
    // Update = full replacement.
    const full = await client.getJob('unit_job');
    await client.updateJob('unit_job', { srcs: full.srcs, computation: { type: 'SQL', code: 'SELECT host, bytes FROM logs' }, container: full.container, scheduler: { type: 'loop', spec: { loop: '5m' } }, params: full.params });
    const updated = await client.getJob('unit_job');
    assert.equal(updated.scheduler.type, 'loop');
    assert.deepEqual(updated.schema?.map((f) => f.key), ['host', 'bytes']);
    // Bad SQL is E18209 from the server.
    await rejects(client.updateJob('unit_job', { ...jobBody('DELETE FROM logs') }), (e) => assert.equal(e.code, 'E18209'));
    // Deleting an upstream job or a read datasource is E18112.
    await rejects(client.deleteJob('unit_job'), (e) => assert.equal(e.code, 'E18112'));
    await rejects(client.deleteDatasource('unit_ds'), (e) => assert.equal(e.code, 'E18112'));
    await client.deleteJob('unit_down');
    await rejects(client.getJob('unit_down'), (e) => {
      assert.equal(e.httpStatus, 404);
      assert.equal(e.code, 'E18202');
    });
  });

  it('runs: start with params → Running → Successful; a failing marker → Failed; stop job → Canceled; history filters', async () => {
    await client.startJob('unit_job', [{ name: 'day', value: '24' }]);
    let page = await client.history('unit_job', { runId: -1 });
    assert.equal(page.history[0].status, 'Running');
    page = await waitFor(() => client.history('unit_job', { runId: -1 }), (p) => p.history[0]?.status === 'Successful');
    assert.equal(page.history[0].status, 'Successful');
    const state = (await (await fetch(`${emu.url}/_emulator/state`)).json()) as { pandora: { jobs: Record<string, { runs: { params: { name: string; value: string }[] }[] }> } };
    assert.deepEqual(state.pandora.jobs.unit_job.runs[0].params, [{ name: 'day', value: '24' }]);
    await rejects(client.startJob('unit_job', [{ name: 'nope', value: '1' }]), (e) => assert.equal(e.code, 'E18007'));

    await client.createJob('unit_fail', jobBody('SELECT host /* emulator:fail */ FROM logs'));
    await client.startJob('unit_fail');
    const failed = await waitFor(() => client.history('unit_fail', { runId: -1 }), (p) => p.history[0]?.status === 'Failed');
    assert.equal(failed.history[0].status, 'Failed');

    await client.createJob('unit_slow', jobBody('SELECT host /* emulator:slow */ FROM logs'));
    await client.startJob('unit_slow');
    await client.stopJob('unit_slow');
    assert.equal((await client.history('unit_slow', { runId: -1 })).history[0].status, 'Canceled');

    await client.startJob('unit_job');
    await waitFor(() => client.history('unit_job', { runId: -1 }), (p) => p.history[0]?.status === 'Successful');
    await client.startJob('unit_job');
    await waitFor(() => client.history('unit_job', { runId: -1 }), (p) => p.history[0]?.status === 'Successful');
    // Newest first by default: the documented -endTime.
    const all = await client.history('unit_job');
    assert.equal(all.total, 3);
    assert.deepEqual(all.history.map((r) => r.runId), [3, 2, 1]);
    const asc = await client.history('unit_job', { sortBy: 'endTime', page: 2, size: 2 });
    assert.deepEqual(asc.history.map((r) => r.runId), [3]);
    const ok = await client.history('unit_job', { status: 'Successful' });
    assert.ok(ok.history.every((r) => r.status === 'Successful'));
    assert.equal((await client.history('unit_job', { runId: 2 })).history[0].runId, 2);
    await assert.rejects(client.history('unit_job', { sortBy: 'runId' as never }), ValidationError);
  });

  it('batch stop / rerun follow the state table', async () => {
    await client.startJob('unit_slow');
    const latest = (await client.history('unit_slow', { runId: -1 })).history[0];
    assert.equal(latest.status, 'Running');
    await rejects(client.rerunRun('unit_slow', latest.runId), (e) => assert.equal(e.httpStatus, 400));
    assert.deepEqual(await client.stopRun('unit_slow', latest.runId), { preStatus: 'Running', postStatus: 'Canceled' });
    await rejects(client.stopRun('unit_slow', latest.runId), (e) => {
      assert.equal(e.httpStatus, 400);
      assert.match(e.message, /Canceled/);
    });
    const rerun = await client.rerunRun('unit_slow', latest.runId);
    assert.deepEqual(rerun, { preStatus: 'Canceled', postStatus: 'Running', rerunCount: 1 });
    await client.stopRun('unit_slow', latest.runId);
    assert.equal((await client.rerunRun('unit_slow', latest.runId)).rerunCount, 2);
    await rejects(client.stopRun('unit_slow', 999), (e) => assert.equal(e.httpStatus, 404));
    await client.stopJob('unit_slow');
  });

  it('exports: create each type, get, list, update, delete; unknown columns are E18111', async () => {
    await client.createExport('unit_job', 'to_kodo', { type: 'kodo', spec: { bucket: 'out-bucket', format: 'parquet', compression: 'snappy', fileCount: 3, partitionBy: ['host'] } });
    await client.createExport('unit_job', 'to_hdfs', { type: 'hdfs', spec: { path: 'hdfs://h:9000/out', format: 'orc', compression: 'zlib', fileCount: 1 } });
    await client.createExport('unit_job', 'to_http', { type: 'http', spec: { host: '127.0.0.1:7758', uri: '/ingest', format: 'json' } });
    await client.createExport('unit_job', 'to_logdb', { type: 'logdb', spec: { destRepoName: 'repo', doc: { h: 'host' } } });
    await client.createExport('unit_job', 'to_tsdb', { type: 'tsdb', spec: { destRepoName: 'ts', series: 's', tags: { h: 'host' }, fields: { b: 'bytes' } } });
    await client.createExport('unit_job', 'to_report', { type: 'report', spec: { database: 'db', table: 't', columns: { c: 'host' }, saveMode: 'append' } });
    assert.deepEqual((await client.listExports('unit_job')).map((e) => e.name).sort(), ['to_hdfs', 'to_http', 'to_kodo', 'to_logdb', 'to_report', 'to_tsdb']);
    const got = await client.getExport('unit_job', 'to_kodo');
    assert.equal(got.type, 'kodo');
    await client.updateExport('unit_job', 'to_kodo', 'kodo', { bucket: 'out-bucket', format: 'json', compression: 'gzip', fileCount: 10 });
    assert.equal(((await client.getExport('unit_job', 'to_kodo')).spec as KodoExportSpec).fileCount, 10);
    await rejects(client.createExport('unit_job', 'to_kodo', { type: 'http', spec: { host: 'h.example', uri: '/x' } }), (e) => assert.equal(e.code, 'E18301'));
    await rejects(client.createExport('unit_job', 'bad_col', { type: 'logdb', spec: { destRepoName: 'repo', doc: { h: 'nope' } } }), (e) => {
      assert.equal(e.code, 'E18111');
      assert.equal(e.httpStatus, 404);
    });
    await assert.rejects(client.createExport('unit_job', 'bad_cmp', { type: 'kodo', spec: { bucket: 'out-bucket', format: 'orc', compression: 'gzip', fileCount: 1 } }), (e: unknown) => e instanceof ValidationError && e.field === 'spec.compression');
    await client.deleteExport('unit_job', 'to_http');
    await rejects(client.getExport('unit_job', 'to_http'), (e) => assert.equal(e.code, 'E18302'));
  });

  it('schemas: probe a source and infer a SQL output schema', async () => {
    assert.deepEqual(await client.probeSchema({ type: 'kodo', spec: { bucket: 'unit-logs', fileType: 'json' } }), [{ key: 'host', valtype: 'string' }, { key: 'bytes', valtype: 'long' }, { key: 'ms', valtype: 'float' }]);
    assert.deepEqual(await client.probeSchema({ type: 'hdfs', spec: { paths: ['hdfs://x/y'], fileType: 'text' } }), [{ key: 'text', valtype: 'string' }]);
    await assert.rejects(client.probeSchema({ type: 'kodo', spec: { bucket: 'unit-logs', fileType: 'csv' } }), ValidationError);
    const schema = await client.inferSchema({
      appId: 'demo-ak',
      computation: { type: 'sql', code: 'select t.host as h, avg(bytes) mean, count(1), upper(host) AS u, bytes from t where bytes > $(day)' },
      sourceSchemas: [{ type: 'batch', tableName: 't', schema: encodeBatchSchema(DS_BODY.schema) }],
    });
    assert.deepEqual(schema.map((f) => [f.key, f.valtype]), [['h', 'string'], ['mean', 'float'], ['count(1)', 'long'], ['u', 'string'], ['bytes', 'long']]);
    await rejects(client.inferSchema({ appId: 'a', computation: { type: 'sql', code: 'select x from other' }, sourceSchemas: [{ type: 'batch', tableName: 't', schema: encodeBatchSchema(DS_BODY.schema) }] }), (e) => assert.equal(e.code, 'E18209'));
  });

  it('names the document gives no rule: a job and an export named 中文 / a b / constructor / __proto__, signed over the decoded path', async () => {
    for (const name of ['中文', 'a b', 'constructor', '__proto__']) {
      await client.createJob(name, jobBody('SELECT host FROM logs'));
      assert.equal((await client.getJob(name)).name, name);
      await client.createExport(name, name, { type: 'http', spec: { host: 'h.example', uri: '/x' } });
      assert.equal((await client.getExport(name, name)).type, 'http');
      await client.startJob(name, [{ name: 'year', value: '2024' }]);
      assert.equal((await client.history(name, { runId: -1 })).history[0].runId, 1);
      assert.ok((await client.listJobs()).some((j) => j.name === name));
    }
    await rejects(client.getJob('toString'), (e) => assert.deepEqual([e.httpStatus, e.code], [404, 'E18202']));
    await assert.rejects(client.createJob('a/b', jobBody()), (e: unknown) => e instanceof ValidationError && e.field === 'name');
    for (const name of ['中文', 'a b', 'constructor', '__proto__']) await client.deleteJob(name);
  });

  it('signs the percent-encoded path only when datahub.pandora.signedPath says asSent (the emulator then refuses 中文)', async () => {
    const asSent = new PandoraClient({ baseUrl: () => emu.url, auth: async () => auth, logger: silentLogger, signedPath: () => 'asSent' });
    assert.ok(Array.isArray(await asSent.listJobs()), 'an ASCII path reads the same either way');
    await rejects(asSent.getJob('中文'), (e) => assert.equal(e.httpStatus, 401));
  });

  it('deletes: exports, jobs and then the datasource', async () => {
    for (const name of ['unit_job', 'unit_fail', 'unit_slow']) await client.deleteJob(name);
    await client.deleteDatasource('unit_ds');
    assert.ok(!(await client.listDatasources()).some((d) => d.name === 'unit_ds'));
  });
});
