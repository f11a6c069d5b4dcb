// The client and the emulator read document 003 separately (neither imports the other). Here both readings
// meet the document: each case states what 003 says and why, and both sides must say the same. Where the
// document contradicts itself the client's choice is recorded as such (it must be accepted by either reading).
import * as assert from 'node:assert/strict';
import { HttpError } from '../../../emulator/router';
import { tableCodes, statusOfCode } from '../../../emulator/pandora/errors';
import { crontabProblem } from '../../../emulator/pandora/crontab';
import { checkNewDatasource } from '../../../emulator/pandora/datasourceRules';
import { checkExportSpec } from '../../../emulator/pandora/exportRules';
import { checkJob, type JobLookup } from '../../../emulator/pandora/jobRules';
import { RUN_STATES } from '../../../emulator/pandora/model';
import { checkHistoryQuery, checkStartParams } from '../../../emulator/pandora/requestRules';
import { permits } from '../../../emulator/pandora/runs';
import { PANDORA_CODES } from '../../../src/api/pandora/codes';
import { allows } from '../../../src/api/pandora/runs';
import { RUN_STATUSES } from '../../../src/api/pandora/types';
import { isCrontab, validateDatasource, validateExportSpec, validateHistoryQuery, validateJob, validateRunParams, type Issue } from '../../../src/api/pandora/validation';

const SCHEMA = [{ key: 'host', valtype: 'string', required: true }];
const DS = { region: 'nb', type: 'kodo', spec: { bucket: 'logs-1', fileType: 'json' }, schema: SCHEMA };
const JOB = { srcs: [{ name: 'ds', type: 'DataSource', tableName: 'logs' }], computation: { type: 'SQL', code: 'SELECT host FROM logs' }, container: { type: '1U2G', count: 1 }, scheduler: { type: 'manual' } };
const LOOKUP: JobLookup = { datasource: (n) => (n === 'ds' ? { region: 'nb', type: 'kodo', spec: {}, schema: SCHEMA } : undefined), job: () => undefined };
const COLUMNS = ['host', 'hits'];

/** undefined when the emulator accepts, else the E18xxx code it answers with. */
function emulatorCode(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    assert.ok(err instanceof HttpError, String(err));
    return /^E18\d{3}/.exec((err.body as { error: string }).error)?.[0] ?? String(err.status);
  }
}

const clientCode = (issues: Issue[]): string | undefined => issues[0]?.code;

interface Case {
  /** What document 003 says, and where. */
  document: string;
  accepted: boolean;
  client: () => string | undefined;
  emulator: () => string | undefined;
}

const job = (name: string, extra: Record<string, unknown> = {}): Case['client'][] => [() => clientCode(validateJob(name, { ...JOB, ...extra })), () => emulatorCode(() => checkJob(name, { ...JOB, ...extra }, LOOKUP))];
const cron = (spec: string): Case['client'][] => job('j', { scheduler: { type: 'crontab', spec: { crontab: spec } } });
const exportSpec = (type: string, spec: Record<string, unknown>): Case['client'][] => [() => clientCode(validateExportSpec(type, spec, COLUMNS)), () => emulatorCode(() => checkExportSpec(type, spec, new Set(COLUMNS)))];
const datasource = (name: string, body: Record<string, unknown>): Case['client'][] => [() => clientCode(validateDatasource(name, body)), () => emulatorCode(() => checkNewDatasource(name, body))];
const history = (query: Record<string, string | number>): Case['client'][] => [
  () => clientCode(validateHistoryQuery(query)),
  () => emulatorCode(() => checkHistoryQuery(new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])))),
];
const make = (document: string, accepted: boolean, [client, emulator]: Case['client'][]): Case => ({ document, accepted, client, emulator });

const CASES: Case[] = [
  make('创建离线计算任务 gives <JobName> no naming rule: job-1 is a job name', true, job('job-1')),
  make('no rule for job names: 中文 is a job name', true, job('中文')),
  make('DataSourceName: ^[a-zA-Z_][a-zA-Z0-9_]{0,127}$ — ds-1 is refused', false, datasource('ds-1', DS)),
  make('schema.required is 必填 (required)', false, datasource('ds', { ...DS, schema: [{ key: 'host', valtype: 'string' }] })),
  make('csv: delimiter 为必填项', false, datasource('ds', { ...DS, spec: { bucket: 'logs-1', fileType: 'csv', containsHeader: true } })),
  make('the crontab example is 0 0 0/1 * * ?', true, cron('0 0 0/1 * * ?')),
  make('a b c d e f is no crontab', false, cron('a b c d e f')),
  make('the example\'s format has seconds first: a five-field Unix crontab is not it', false, cron('*/5 * * * *')),
  make('hours run 0–23', false, cron('0 0 24 * * ?')),
  make('? in day-of-month or day-of-week, months by name', true, cron('0 0 12 ? JAN-MAR MON-FRI')),
  make('规格 * 数量 <= 100U: 4U8G × 26 = 104U', false, job('j', { container: { type: '4U8G', count: 26 } })),
  make('fileFilter: 0–64 characters', false, job('j', { srcs: [{ ...JOB.srcs[0], fileFilter: 'f'.repeat(65) }] })),
  make('tsdb: series is in the request syntax, not in the table — optional', true, exportSpec('tsdb', { destRepoName: 'r', tags: { t: 'host' }, fields: { f: 'hits' } })),
  make('tsdb: tags is 是 (required)', false, exportSpec('tsdb', { destRepoName: 'r', fields: { f: 'hits' } })),
  make('an export\'s bucket has no naming rule (the 4–63 rule is the datasource\'s)', true, exportSpec('kodo', { bucket: 'b.1', fileCount: 1 })),
  make('注1: orc takes none, snappy, zlib, lzo', false, exportSpec('kodo', { bucket: 'b', format: 'orc', compression: 'gzip', fileCount: 1 })),
  make('fileCount: greater than 0, at most 1000', false, exportSpec('hdfs', { path: '/p', fileCount: 1001 })),
  make('sortBy: -endTime is descending', true, history({ sortBy: '-endTime' })),
  make('sortBy: only endTime and -endTime are documented', false, history({ sortBy: '-runId' })),
  make('runId: -1 is the latest run', true, history({ runId: -1 })),
  make('start params are magic variables: the built-in $(year) may be given a value', true, [
    () => clientCode(validateRunParams([{ name: 'year', value: '2024' }], ['region', 'year', 'mon', 'day', 'hour', 'min', 'sec'])),
    () => emulatorCode(() => checkStartParams({ params: [{ name: 'year', value: '2024' }] }, { ...JOB, scheduler: { type: 'manual' }, srcs: [], params: [{ name: 'region', default: '' }] })),
  ]),
];

describe('client and emulator, each against document 003', () => {
  for (const c of CASES) {
    it(`${c.accepted ? 'accepts' : 'refuses'}: ${c.document}`, () => {
      const client = c.client();
      const emulator = c.emulator();
      assert.equal(client === undefined, c.accepted, `client: ${client ?? 'accepted'}`);
      assert.equal(emulator === undefined, c.accepted, `emulator: ${emulator ?? 'accepted'}`);
      if (!c.accepted) assert.equal(client, emulator, 'both name the same E18xxx code');
    });
  }

  it('the E18xxx table: both transcriptions list the same codes with the same HTTP statuses', () => {
    assert.deepEqual(Object.keys(PANDORA_CODES).sort(), tableCodes().sort());
    for (const [codeName, entry] of Object.entries(PANDORA_CODES)) assert.equal(statusOfCode(codeName), entry.status, codeName);
  });

  it('the run state tables: stop only from Running, rerun from Successful / Failed / Canceled, on both sides', () => {
    assert.deepEqual([...RUN_STATUSES].sort(), [...RUN_STATES].sort());
    for (const state of RUN_STATES) for (const action of ['stop', 'rerun'] as const) assert.equal(allows(state, action), permits(state, action), `${action} from ${state}`);
  });

  it('loop: the table requires spec.loop, its note lets it be left out; the client always sends one, which both readings accept', () => {
    const loop = (spec?: Record<string, string>) => job('j', { scheduler: { type: 'loop', ...(spec ? { spec } : {}) } });
    const [clientMissing, emulatorMissing] = loop();
    assert.equal(clientMissing(), 'E18208', 'the client asks for a loop value (the table)');
    assert.equal(emulatorMissing(), undefined, 'the emulator lets it be left out (the note)');
    for (const value of ['0', '5m', '1h']) for (const side of loop({ loop: value })) assert.equal(side(), undefined, value);
  });

  it('the two crontab checks agree on a spread of expressions', () => {
    const specs = ['0 0 0/1 * * ?', '0/15 * * * * ?', '0 15 10 L * ?', '0 15 10 ? * 6L', '0 15 10 ? * 6#3', '0 0 12 1W * ? 2030', '60 * * * * ?', '0 60 * * * ?', '0 0 0 0 * ?', '0 0 0 * 0 ?', '0 0 0 ? * 0', '0 0 0 * * ? 1969', '* * * * * * * *', '0 0 1-5/2 * * ?', '0 0 0 ? * SUN,SAT', '0 0 0/0 * * ?'];
    for (const spec of specs) assert.equal(isCrontab(spec), crontabProblem(spec) === undefined, spec);
  });
});
