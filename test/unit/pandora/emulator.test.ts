// The emulated Pandora on its own (raw signed HTTP, no client): what document 003 says, where the old emulator
// (which borrowed the client's code) said otherwise — names, crontab, tsdb series, sortBy, the decoded-path
// signature, names that are also Object members.
import * as assert from 'node:assert/strict';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { rawPandora, type RawAnswer } from './emulatorRaw';

const DS = { region: 'nb', type: 'kodo', spec: { bucket: 'raw-logs', fileType: 'json' }, schema: [{ key: 'host', valtype: 'string', required: true }, { key: 'bytes', valtype: 'long', required: false }] };
const jobBody = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  srcs: [{ name: 'raw_ds', type: 'DataSource', tableName: 'logs' }],
  computation: { type: 'SQL', code: 'SELECT host, bytes FROM logs' },
  container: { type: '1U2G', count: 1 },
  scheduler: { type: 'manual' },
  ...extra,
});
const enc = encodeURIComponent;

function code(answer: RawAnswer): string | undefined {
  return /^E18\d{3}/.exec(answer.body.error ?? '')?.[0];
}

describe('emulated Pandora, from document 003 alone', () => {
  let emu: TestEmulator;
  let call: ReturnType<typeof rawPandora>;

  before(async () => {
    emu = await startTestEmulator(['pandora']);
    call = rawPandora(emu.url);
    await emu.admin('POST', '/_emulator/pandora/config', { runMs: 0 });
    assert.equal((await call('POST', '/v2/datasources/raw_ds', { body: DS })).status, 200);
  });
  after(() => emu.close());

  it('signature: the service signs the decoded path (req.URL.Path); the percent-encoded path is refused', async () => {
    const path = `/v2/jobs/${enc('中文')}`;
    assert.equal((await call('POST', path, { body: jobBody() })).status, 200, 'signed over /v2/jobs/中文');
    const asSent = await call('GET', path, { signPath: path });
    assert.equal(asSent.status, 401);
    assert.equal(asSent.body.error, 'bad token');
    assert.equal((await call('GET', path)).status, 200);
    assert.equal((await call('GET', path, { secretKey: 'wrong' })).status, 401);
  });

  it('job and export names: the document gives them no rule (job-1, a b, 中文 are accepted)', async () => {
    for (const name of ['job-1', 'a b', 'x.y']) assert.equal((await call('POST', `/v2/jobs/${enc(name)}`, { body: jobBody() })).status, 200, name);
    const created = await call('POST', `/v2/jobs/job-1/exports/${enc('导出 1')}`, { body: { type: 'http', spec: { host: 'h.example', uri: '/x' } } });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    // The datasource name keeps its documented rule: E18103.
    assert.equal(code(await call('POST', '/v2/datasources/ds-1', { body: DS })), 'E18103');
  });

  it('names that are also Object members are plain data: constructor, __proto__, toString', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const missingJob = await call('GET', `/v2/jobs/${name}`);
      assert.deepEqual([missingJob.status, code(missingJob)], [404, 'E18202'], `GET job ${name}: ${JSON.stringify(missingJob.body)}`);
      const missingDs = await call('GET', `/v2/datasources/${name}`);
      assert.deepEqual([missingDs.status, code(missingDs)], [404, 'E18102'], `GET datasource ${name}`);
      const missingExport = await call('GET', `/v2/jobs/job-1/exports/${name}`);
      assert.deepEqual([missingExport.status, code(missingExport)], [404, 'E18302'], `GET export ${name}`);
      assert.equal((await call('POST', `/v2/jobs/${name}/actions/start`)).status, 404);
    }
    for (const name of ['constructor', '__proto__']) {
      assert.equal((await call('POST', `/v2/datasources/${name}`, { body: DS })).status, 200);
      assert.equal((await call('POST', `/v2/jobs/${name}`, { body: jobBody({ srcs: [{ name, type: 'DataSource', tableName: 'constructor' }], computation: { type: 'SQL', code: 'SELECT host FROM constructor' } }) })).status, 200);
      assert.equal((await call('POST', `/v2/jobs/${name}/exports/${name}`, { body: { type: 'http', spec: { host: 'h', uri: '/' } } })).status, 200);
      const job = await call('GET', `/v2/jobs/${name}`);
      assert.deepEqual(job.body.schema, [{ key: 'host', valtype: 'string' }]);
      assert.equal((await call('GET', `/v2/jobs/${name}/exports/${name}`)).body.type, 'http');
    }
    const listed = (await call('GET', '/v2/jobs')).body.jobs as { name: string }[];
    assert.ok(['constructor', '__proto__'].every((n) => listed.some((j) => j.name === n)));
    const state = await emu.admin<{ pandora: { jobs: Record<string, unknown> } }>('GET', '/_emulator/state');
    assert.ok(Object.hasOwn(state.pandora.jobs, '__proto__') && Object.hasOwn(state.pandora.jobs, 'constructor'));
  });

  it('crontab: six or seven fields, seconds first, each in range (E18208)', async () => {
    const cron = (crontab: string) => call('PUT', '/v2/jobs/job-1', { body: jobBody({ scheduler: { type: 'crontab', spec: { crontab } } }) });
    assert.equal((await cron('0 0 0/1 * * ?')).status, 200);
    assert.equal((await cron('0 0 12 ? JAN-MAR MON-FRI 2030')).status, 200);
    for (const bad of ['a b c d e f', '*/5 * * * *', '0 0 24 * * ?', '0 0 0 32 * ?', '? 0 0 * * ?', '0 0 0 * * 8']) {
      const answer = await cron(bad);
      assert.deepEqual([answer.status, code(answer)], [400, 'E18208'], bad);
    }
  });

  it('loop: the table asks for spec.loop, its note lets it be left out (run continuously): both pass', async () => {
    assert.equal((await call('PUT', '/v2/jobs/job-1', { body: jobBody({ scheduler: { type: 'loop' } }) })).status, 200);
    assert.equal((await call('PUT', '/v2/jobs/job-1', { body: jobBody({ scheduler: { type: 'loop', spec: { loop: '5m' } } }) })).status, 200);
    assert.equal(code(await call('PUT', '/v2/jobs/job-1', { body: jobBody({ scheduler: { type: 'loop', spec: { loop: '5s' } } }) })), 'E18208');
  });

  it('tsdb: series is not in the table, so it is optional; tags and fields are required', async () => {
    const tsdb = (spec: Record<string, unknown>) => call('POST', `/v2/jobs/job-1/exports/ts_${Math.random().toString(36).slice(2)}`, { body: { type: 'tsdb', spec } });
    assert.equal((await tsdb({ destRepoName: 'r', tags: { h: 'host' }, fields: { b: 'bytes' } })).status, 200);
    assert.equal(code(await tsdb({ destRepoName: 'r', tags: { h: 'host' } })), 'E18303');
    assert.equal(code(await tsdb({ destRepoName: 'r', tags: { h: 'nope' }, fields: { b: 'bytes' } })), 'E18111');
  });

  it('schema.required is 必填: a datasource field without it is refused (E18110)', async () => {
    const answer = await call('POST', '/v2/datasources/no_required', { body: { ...DS, schema: [{ key: 'host', valtype: 'string' }] } });
    assert.deepEqual([answer.status, code(answer)], [400, 'E18110']);
  });

  it('history: sortBy endTime / -endTime only; -endTime is newest end first (a rerun moves its run up)', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await call('POST', '/v2/jobs/job-1/actions/start')).status, 200);
    // Run 1 is rerun once the clock has passed run 3's end (runMs 0: a run ends when it starts), so it ends last.
    const ends = ((await call('GET', '/v2/jobs/job-1/history?sortBy=-endTime')).body.history as { endTime: string }[]).map((r) => Date.parse(r.endTime));
    while (Date.now() <= Math.max(...ends)) await new Promise((r) => setImmediate(r));
    const rerun = await call('POST', '/v2/batch/actions/rerun', { body: { jobName: 'job-1', runId: '1' } });
    assert.equal(rerun.status, 200, JSON.stringify(rerun.body));
    const ids = async (sortBy: string): Promise<number[]> => ((await call('GET', `/v2/jobs/job-1/history?sortBy=${sortBy}`)).body.history as { runId: number }[]).map((r) => r.runId);
    assert.deepEqual(await ids('-endTime'), [1, 3, 2]);
    assert.deepEqual(await ids('endTime'), [2, 3, 1]);
    for (const key of ['-runId', 'runId', 'startTime', 'name']) {
      const answer = await call('GET', `/v2/jobs/job-1/history?sortBy=${key}`);
      assert.deepEqual([answer.status, code(answer)], [400, 'E18007'], key);
    }
    const one = await call('GET', '/v2/jobs/job-1/history?runId=2');
    assert.deepEqual((one.body.history as { runId: number }[]).map((r) => r.runId), [2]);
    const latest = await call('GET', '/v2/jobs/job-1/history?runId=-1');
    assert.deepEqual((latest.body.history as { runId: number }[]).map((r) => r.runId), [3]);
  });

  it('start: the built-in variables $(year)… may be set besides the job\'s params; anything else is E18007', async () => {
    await call('PUT', '/v2/jobs/job-1', { body: jobBody({ params: [{ name: 'region', default: 'east' }] }) });
    const started = await call('POST', '/v2/jobs/job-1/actions/start', { body: { params: [{ name: 'year', value: '2024' }, { name: 'mon', value: '06' }] } });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const state = await emu.admin<{ pandora: { jobs: Record<string, { runs: { runId: number; params: unknown }[] }> } }>('GET', '/_emulator/state');
    const run = state.pandora.jobs['job-1'].runs.find((r) => r.runId === started.body.runId);
    assert.deepEqual(run?.params, [{ name: 'region', value: 'east' }, { name: 'year', value: '2024' }, { name: 'mon', value: '06' }]);
    assert.equal(code(await call('POST', '/v2/jobs/job-1/actions/start', { body: { params: [{ name: 'week', value: '1' }] } })), 'E18007');
  });
});
