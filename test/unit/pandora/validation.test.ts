// The validation table of api 003: every rule with a valid and an invalid case, the field named and the E18xxx code.
import * as assert from 'node:assert/strict';
import {
  formatIssue,
  issuesByField,
  validateBatchAction,
  validateDatasource,
  validateDatasourceUpdate,
  validateExport,
  validateExportSpec,
  validateHistoryQuery,
  validateJob,
  validateJobListQuery,
  validateName,
  validateRunParams,
  validateSchemaInfer,
  validateSchemaProbe,
  type Issue,
} from '../../../src/api/pandora/validation';

const schema = [{ key: 'host', valtype: 'string', required: true }];
const kodoDs = { region: 'nb', type: 'kodo', spec: { bucket: 'logs-1', fileType: 'json' }, schema };
const job = {
  srcs: [{ name: 'ds', type: 'DataSource', tableName: 'logs' }],
  computation: { type: 'SQL', code: 'SELECT host FROM logs' },
  container: { type: '1U2G', count: 1 },
  scheduler: { type: 'manual' },
};
const depend = { srcs: [{ name: 'up', type: 'Job', tableName: 'up_t' }], computation: { type: 'SQL', code: 'SELECT a FROM up_t' }, scheduler: { type: 'depend' } };
const kodoExport = { type: 'kodo', spec: { bucket: 'out-1', fileCount: 1 } };
const columns = ['host', 'hits'];

interface Row {
  rule: string;
  valid: () => Issue[];
  invalid: () => Issue[];
  field: string;
  code: string;
}

const row = (rule: string, valid: () => Issue[], invalid: () => Issue[], field: string, code: string): Row => ({ rule, valid, invalid, field, code });

const rows: Row[] = [
  // names
  row('resource name ^[a-zA-Z_][a-zA-Z0-9_]{0,127}$', () => validateName('name', '_a1'), () => validateName('name', '1a'), 'name', 'E18103'),
  row('resource name at most 128 characters', () => validateName('name', 'a'.repeat(128)), () => validateName('name', 'a'.repeat(129)), 'name', 'E18103'),
  row('resource name required', () => validateName('name', 'x'), () => validateName('name', ''), 'name', 'E18103'),
  // datasources
  row('region nb only', () => validateDatasource('ds', kodoDs), () => validateDatasource('ds', { ...kodoDs, region: 'z0' }), 'region', 'E18212'),
  row('type kodo|hdfs|fusion', () => validateDatasource('ds', { ...kodoDs, type: 'fusion', spec: { domains: ['cdn.example.com'] } }), () => validateDatasource('ds', { ...kodoDs, type: 'mysql' }), 'type', 'E18109'),
  row('kodo bucket 4–63 letters, digits, hyphens', () => validateDatasource('ds', kodoDs), () => validateDatasource('ds', { ...kodoDs, spec: { bucket: 'ab', fileType: 'json' } }), 'spec.bucket', 'E18007'),
  row('kodo keyPrefixes without \\ < >', () => validateDatasource('ds', { ...kodoDs, spec: { ...kodoDs.spec, keyPrefixes: ['a/b-'] } }), () => validateDatasource('ds', { ...kodoDs, spec: { ...kodoDs.spec, keyPrefixes: ['a<b'] } }), 'spec.keyPrefixes[0]', 'E18007'),
  row('fileType json|csv|text|parquet', () => validateDatasource('ds', { ...kodoDs, spec: { bucket: 'logs-1', fileType: 'parquet' } }), () => validateDatasource('ds', { ...kodoDs, spec: { bucket: 'logs-1', fileType: 'xml' } }), 'spec.fileType', 'E18007'),
  row('csv needs a delimiter', () => validateDatasource('ds', { ...kodoDs, spec: { bucket: 'logs-1', fileType: 'csv', delimiter: ',', containsHeader: false } }), () => validateDatasource('ds', { ...kodoDs, spec: { bucket: 'logs-1', fileType: 'csv', containsHeader: false } }), 'spec.delimiter', 'E18007'),
  row('csv needs containsHeader', () => validateDatasource('ds', { ...kodoDs, spec: { bucket: 'logs-1', fileType: 'csv', delimiter: '\t', containsHeader: true } }), () => validateDatasource('ds', { ...kodoDs, spec: { bucket: 'logs-1', fileType: 'csv', delimiter: ',' } }), 'spec.containsHeader', 'E18007'),
  row('hdfs needs paths', () => validateDatasource('ds', { ...kodoDs, type: 'hdfs', spec: { paths: ['hdfs://h/p'], fileType: 'text' } }), () => validateDatasource('ds', { ...kodoDs, type: 'hdfs', spec: { paths: [], fileType: 'text' } }), 'spec.paths', 'E18007'),
  row('fusion: exactly one domain', () => validateDatasource('ds', { ...kodoDs, type: 'fusion', spec: { domains: ['a.com'] } }), () => validateDatasource('ds', { ...kodoDs, type: 'fusion', spec: { domains: ['a.com', 'b.com'] } }), 'spec.domains', 'E18007'),
  row('schema not empty', () => validateDatasource('ds', kodoDs), () => validateDatasource('ds', { ...kodoDs, schema: [] }), 'schema', 'E18105'),
  row('schema key follows the name rule', () => validateDatasource('ds', kodoDs), () => validateDatasource('ds', { ...kodoDs, schema: [{ key: 'a-b', valtype: 'string', required: true }] }), 'schema[0].key', 'E18106'),
  row('schema keys unique', () => validateDatasource('ds', { ...kodoDs, schema: [...schema, { key: 'b', valtype: 'long', required: false }] }), () => validateDatasource('ds', { ...kodoDs, schema: [...schema, { key: 'host', valtype: 'long', required: false }] }), 'schema[1].key', 'E18106'),
  row('schema.required is required (必填)', () => validateDatasource('ds', kodoDs), () => validateDatasource('ds', { ...kodoDs, schema: [{ key: 'a', valtype: 'long' }] }), 'schema[0].required', 'E18110'),
  row('valtype boolean|long|date|float|string', () => validateDatasource('ds', { ...kodoDs, schema: [{ key: 'a', valtype: 'boolean', required: true }] }), () => validateDatasource('ds', { ...kodoDs, schema: [{ key: 'a', valtype: 'int', required: true }] }), 'schema[0].valtype', 'E18107'),
  row('update may not drop a field', () => validateDatasourceUpdate({ type: 'kodo', schema: schema as never }, { spec: kodoDs.spec, schema: [...schema, { key: 'n', valtype: 'long', required: false }] }), () => validateDatasourceUpdate({ type: 'kodo', schema: schema as never }, { spec: kodoDs.spec, schema: [{ key: 'n', valtype: 'long', required: false }] }), 'schema', 'E18110'),
  row('update may not retype a field', () => validateDatasourceUpdate({ type: 'kodo', schema: schema as never }, { spec: kodoDs.spec, schema }), () => validateDatasourceUpdate({ type: 'kodo', schema: schema as never }, { spec: kodoDs.spec, schema: [{ key: 'host', valtype: 'long', required: true }] }), 'schema', 'E18110'),
  // jobs
  // The document gives job and export names no rule: only what cannot be one URL path segment is refused.
  row('job name: any text but . / .. / a slash / control characters', () => validateJob('job-1 中文', job), () => validateJob('a/b', job), 'name', 'E18207'),
  row('job name: no control characters', () => validateJob('constructor', job), () => validateJob('a\u0007b', job), 'name', 'E18207'),
  row('job name: not ..', () => validateJob('__proto__', job), () => validateJob('..', job), 'name', 'E18207'),
  row('a job source is a job name, a datasource source a datasource name', () => validateJob('j', { ...job, srcs: [...job.srcs, { name: '上游 job', type: 'Job', tableName: 'u' }] }), () => validateJob('j', { ...job, srcs: [{ name: 'ds-1', type: 'DataSource', tableName: 't' }] }), 'srcs[0].name', 'E18207'),
  row('srcs not empty', () => validateJob('j', job), () => validateJob('j', { ...job, srcs: [] }), 'srcs', 'E18207'),
  row('srcs.type DataSource|Job', () => validateJob('j', job), () => validateJob('j', { ...job, srcs: [{ name: 'ds', type: 'Table', tableName: 't' }] }), 'srcs[0].type', 'E18207'),
  row('at most one job among srcs', () => validateJob('j', { ...job, srcs: [...job.srcs, { name: 'up', type: 'Job', tableName: 'u' }] }), () => validateJob('j', { ...job, srcs: [{ name: 'a', type: 'Job', tableName: 'a' }, { name: 'b', type: 'Job', tableName: 'b' }] }), 'srcs', 'E18108'),
  row('tableName ^[a-zA-Z][a-zA-Z0-9_]{0,127}$', () => validateJob('j', job), () => validateJob('j', { ...job, srcs: [{ name: 'ds', type: 'DataSource', tableName: '_t' }] }), 'srcs[0].tableName', 'E18207'),
  row('tableName unique within the job', () => validateJob('j', { ...job, srcs: [...job.srcs, { name: 'ds2', type: 'DataSource', tableName: 'logs2' }] }), () => validateJob('j', { ...job, srcs: [...job.srcs, { name: 'ds2', type: 'DataSource', tableName: 'logs' }] }), 'srcs[1].tableName', 'E18207'),
  row('tableName unique across upstreams', () => validateJob('j', job, { upstreamTableNames: ['other'] }), () => validateJob('j', job, { upstreamTableNames: ['logs'] }), 'srcs[0].tableName', 'E18207'),
  row('fileFilter at most 64 characters', () => validateJob('j', { ...job, srcs: [{ ...job.srcs[0], fileFilter: 'f'.repeat(64) }] }), () => validateJob('j', { ...job, srcs: [{ ...job.srcs[0], fileFilter: 'f'.repeat(65) }] }), 'srcs[0].fileFilter', 'E18008'),
  row('computation type SQL', () => validateJob('j', { ...job, computation: { type: 'sql', code: 'SELECT 1' } }), () => validateJob('j', { ...job, computation: { type: 'python', code: 'x' } }), 'computation.type', 'E18203'),
  row('computation code required', () => validateJob('j', job), () => validateJob('j', { ...job, computation: { type: 'SQL', code: '  ' } }), 'computation.code', 'E18209'),
  row('container type from the list', () => validateJob('j', { ...job, container: { type: '16U64G', count: 6 } }), () => validateJob('j', { ...job, container: { type: '3U6G', count: 1 } }), 'container.type', 'E18213'),
  row('container count ≥ 1', () => validateJob('j', job), () => validateJob('j', { ...job, container: { type: '1U2G', count: 0 } }), 'container.count', 'E18214'),
  row('cores × count ≤ 100', () => validateJob('j', { ...job, container: { type: '4U8G', count: 25 } }), () => validateJob('j', { ...job, container: { type: '4U8G', count: 26 } }), 'container.count', 'E18214'),
  row('container required unless depend', () => validateJob('j', depend), () => validateJob('j', { ...job, container: undefined }), 'container.type', 'E18213'),
  row('scheduler type crontab|loop|manual|depend', () => validateJob('j', job), () => validateJob('j', { ...job, scheduler: { type: 'hourly' } }), 'scheduler.type', 'E18207'),
  row('crontab needs spec.crontab', () => validateJob('j', { ...job, scheduler: { type: 'crontab', spec: { crontab: '0 0 0/1 * * ?' } } }), () => validateJob('j', { ...job, scheduler: { type: 'crontab' } }), 'scheduler.spec.crontab', 'E18208'),
  row('crontab: the six-field format of the document, seconds first', () => validateJob('j', { ...job, scheduler: { type: 'crontab', spec: { crontab: '0 0 0/1 * * ?' } } }), () => validateJob('j', { ...job, scheduler: { type: 'crontab', spec: { crontab: 'a b c d e f' } } }), 'scheduler.spec.crontab', 'E18208'),
  row('crontab: five Unix fields are not the document\'s format', () => validateJob('j', { ...job, scheduler: { type: 'crontab', spec: { crontab: '0 */5 * * * ?' } } }), () => validateJob('j', { ...job, scheduler: { type: 'crontab', spec: { crontab: '*/5 * * * *' } } }), 'scheduler.spec.crontab', 'E18208'),
  row('crontab: hours 0–23', () => validateJob('j', { ...job, scheduler: { type: 'crontab', spec: { crontab: '0 30 23 * * ?' } } }), () => validateJob('j', { ...job, scheduler: { type: 'crontab', spec: { crontab: '0 0 24 * * ?' } } }), 'scheduler.spec.crontab', 'E18208'),
  row('crontab: seconds 0–59, steps within the range', () => validateJob('j', { ...job, scheduler: { type: 'crontab', spec: { crontab: '0/15 * * * * ?' } } }), () => validateJob('j', { ...job, scheduler: { type: 'crontab', spec: { crontab: '60 * * * * ?' } } }), 'scheduler.spec.crontab', 'E18208'),
  row('crontab: months 1–12 or JAN–DEC, weekdays 1–7 or SUN–SAT, an optional year', () => validateJob('j', { ...job, scheduler: { type: 'crontab', spec: { crontab: '0 0 12 ? JAN-MAR MON-FRI 2030' } } }), () => validateJob('j', { ...job, scheduler: { type: 'crontab', spec: { crontab: '0 0 12 ? 13 *' } } }), 'scheduler.spec.crontab', 'E18208'),
  row('crontab: ? only in the day fields; L, W and # forms', () => validateJob('j', { ...job, scheduler: { type: 'crontab', spec: { crontab: '0 15 10 L-2 * ?' } } }), () => validateJob('j', { ...job, scheduler: { type: 'crontab', spec: { crontab: '? 0 0 * * ?' } } }), 'scheduler.spec.crontab', 'E18208'),
  row('crontab: day-of-week forms 6L and 6#3', () => validateJob('j', { ...job, scheduler: { type: 'crontab', spec: { crontab: '0 0 1 ? * 6#3' } } }), () => validateJob('j', { ...job, scheduler: { type: 'crontab', spec: { crontab: '0 0 1 ? * 8L' } } }), 'scheduler.spec.crontab', 'E18208'),
  row('loop needs spec.loop like 5m / 1h', () => validateJob('j', { ...job, scheduler: { type: 'loop', spec: { loop: '1h' } } }), () => validateJob('j', { ...job, scheduler: { type: 'loop', spec: { loop: '5s' } } }), 'scheduler.spec.loop', 'E18208'),
  row('depend: exactly one job source', () => validateJob('j', depend), () => validateJob('j', { ...depend, srcs: [{ name: 'ds', type: 'DataSource', tableName: 't' }] }), 'srcs', 'E18207'),
  row('depend: no container', () => validateJob('j', depend), () => validateJob('j', { ...depend, container: { type: '1U2G', count: 1 } }), 'container.type', 'E18207'),
  row('depend: no scheduler spec', () => validateJob('j', depend), () => validateJob('j', { ...depend, scheduler: { type: 'depend', spec: { loop: '5m' } } }), 'scheduler.spec', 'E18207'),
  row('depend: no params', () => validateJob('j', { ...depend, params: [] }), () => validateJob('j', { ...depend, params: [{ name: 'p', default: '' }] }), 'params', 'E18207'),
  row('param name ^[a-zA-Z_][a-zA-Z0-9_]{0,63}$', () => validateJob('j', { ...job, params: [{ name: '_p', default: 'x' }] }), () => validateJob('j', { ...job, params: [{ name: 'p'.repeat(65), default: 'x' }] }), 'params[0].name', 'E18207'),
  row('param names unique', () => validateJob('j', { ...job, params: [{ name: 'a', default: '' }, { name: 'b', default: '' }] }), () => validateJob('j', { ...job, params: [{ name: 'a', default: '' }, { name: 'a', default: '' }] }), 'params[1].name', 'E18207'),
  row('param default at most 64 characters', () => validateJob('j', { ...job, params: [{ name: 'p', default: 'd'.repeat(64) }] }), () => validateJob('j', { ...job, params: [{ name: 'p', default: 'd'.repeat(65) }] }), 'params[0].default', 'E18008'),
  row('run params: declared names and the built-in variables', () => validateRunParams([{ name: 'year', value: '2024' }], ['day', 'year']), () => validateRunParams([{ name: 'years', value: '1' }], ['day', 'year']), 'params[0].name', 'E18007'),
  row('run params: declared names only', () => validateRunParams([{ name: 'day', value: '1' }], ['day']), () => validateRunParams([{ name: 'other', value: '1' }], ['day']), 'params[0].name', 'E18007'),
  row('run params: value is text', () => validateRunParams([{ name: 'day', value: '' }]), () => validateRunParams([{ name: 'day', value: 1 }]), 'params[0].value', 'E18007'),
  // exports
  row('export type from the list', () => validateExport('e', kodoExport), () => validateExport('e', { type: 'mysql', spec: {} }), 'type', 'E18303'),
  row('export name: no rule in the document but one path segment', () => validateExport('e 1-导出', kodoExport), () => validateExport('.', kodoExport), 'name', 'E18303'),
  row('kodo export bucket required (no naming rule: the 4–63 rule is the datasource\'s)', () => validateExportSpec('kodo', { bucket: 'b.1', fileCount: 1 }), () => validateExportSpec('kodo', { fileCount: 1 }), 'spec.bucket', 'E18303'),
  row('kodo keyPrefix without : \\ < >', () => validateExportSpec('kodo', { bucket: 'b-123', keyPrefix: 'out/$(year)-', fileCount: 1 }), () => validateExportSpec('kodo', { bucket: 'b-123', keyPrefix: 'a:b', fileCount: 1 }), 'spec.keyPrefix', 'E18303'),
  row('fileCount required', () => validateExportSpec('kodo', { bucket: 'b-123', fileCount: 1 }), () => validateExportSpec('kodo', { bucket: 'b-123' }), 'spec.fileCount', 'E18303'),
  row('fileCount 1–1000', () => validateExportSpec('hdfs', { path: '/p', fileCount: 1000 }), () => validateExportSpec('hdfs', { path: '/p', fileCount: 1001 }), 'spec.fileCount', 'E18303'),
  row('format json|csv|text|orc|parquet', () => validateExportSpec('kodo', { bucket: 'b-123', format: 'orc', fileCount: 1 }), () => validateExportSpec('kodo', { bucket: 'b-123', format: 'avro', fileCount: 1 }), 'spec.format', 'E18303'),
  row('json/csv/text compression: none bzip2 gzip lz4 snappy deflate', () => validateExportSpec('kodo', { bucket: 'b-123', format: 'text', compression: 'deflate', fileCount: 1 }), () => validateExportSpec('kodo', { bucket: 'b-123', format: 'json', compression: 'zlib', fileCount: 1 }), 'spec.compression', 'E18303'),
  row('orc compression: none snappy zlib lzo', () => validateExportSpec('hdfs', { path: '/p', format: 'orc', compression: 'lzo', fileCount: 1 }), () => validateExportSpec('hdfs', { path: '/p', format: 'orc', compression: 'gzip', fileCount: 1 }), 'spec.compression', 'E18303'),
  row('parquet compression: none snappy gzip lzo', () => validateExportSpec('kodo', { bucket: 'b-123', format: 'parquet', compression: 'gzip', fileCount: 1 }), () => validateExportSpec('kodo', { bucket: 'b-123', format: 'parquet', compression: 'bzip2', fileCount: 1 }), 'spec.compression', 'E18303'),
  row('csv export needs a delimiter', () => validateExportSpec('hdfs', { path: '/p', format: 'csv', delimiter: ',', fileCount: 1 }), () => validateExportSpec('hdfs', { path: '/p', format: 'csv', fileCount: 1 }), 'spec.delimiter', 'E18303'),
  row('kodo csv export needs containsHeader', () => validateExportSpec('kodo', { bucket: 'b-123', format: 'csv', delimiter: ',', containsHeader: false, fileCount: 1 }), () => validateExportSpec('kodo', { bucket: 'b-123', format: 'csv', delimiter: ',', fileCount: 1 }), 'spec.containsHeader', 'E18303'),
  row('saveMode overwrite|append|errorIfExists|ignore', () => validateExportSpec('kodo', { bucket: 'b-123', saveMode: 'errorIfExists', fileCount: 1 }), () => validateExportSpec('kodo', { bucket: 'b-123', saveMode: 'replace', fileCount: 1 }), 'spec.saveMode', 'E18303'),
  row('retention is a whole number', () => validateExportSpec('kodo', { bucket: 'b-123', retention: 30, fileCount: 1 }), () => validateExportSpec('kodo', { bucket: 'b-123', retention: 1.5, fileCount: 1 }), 'spec.retention', 'E18303'),
  row('partitionBy names output columns', () => validateExportSpec('kodo', { bucket: 'b-123', partitionBy: ['host'], fileCount: 1 }, columns), () => validateExportSpec('kodo', { bucket: 'b-123', partitionBy: ['nope'], fileCount: 1 }, columns), 'spec.partitionBy[0]', 'E18111'),
  row('hdfs path without \\ < >', () => validateExportSpec('hdfs', { path: 'hdfs://h:9000/out/$(day)', fileCount: 1 }), () => validateExportSpec('hdfs', { path: 'a<b', fileCount: 1 }), 'spec.path', 'E18303'),
  row('http host', () => validateExportSpec('http', { host: 'https://pipeline.qiniu.com', uri: '/a' }), () => validateExportSpec('http', { host: 'not a host', uri: '/a' }), 'spec.host', 'E18303'),
  row('http uri starts with /', () => validateExportSpec('http', { host: '127.0.0.1:7758', uri: '/test/repos' }), () => validateExportSpec('http', { host: '127.0.0.1:7758', uri: 'test' }), 'spec.uri', 'E18303'),
  row('http format text|json', () => validateExportSpec('http', { host: 'h.com', uri: '/a', format: 'json' }), () => validateExportSpec('http', { host: 'h.com', uri: '/a', format: 'csv' }), 'spec.format', 'E18303'),
  row('logdb destRepoName required', () => validateExportSpec('logdb', { destRepoName: 'r', doc: { a: 'host' } }), () => validateExportSpec('logdb', { doc: { a: 'host' } }), 'spec.destRepoName', 'E18303'),
  row('logdb doc not empty', () => validateExportSpec('logdb', { destRepoName: 'r', doc: { a: 'host' } }), () => validateExportSpec('logdb', { destRepoName: 'r', doc: {} }), 'spec.doc', 'E18303'),
  row('logdb omitInvalid boolean', () => validateExportSpec('logdb', { destRepoName: 'r', omitInvalid: true, doc: { a: 'host' } }), () => validateExportSpec('logdb', { destRepoName: 'r', omitInvalid: 'yes', doc: { a: 'host' } }), 'spec.omitInvalid', 'E18303'),
  row('mapping values are output columns', () => validateExportSpec('logdb', { destRepoName: 'r', doc: { a: 'hits' } }, columns), () => validateExportSpec('logdb', { destRepoName: 'r', doc: { a: 'x' } }, columns), 'spec.doc.a', 'E18111'),
  row('tsdb series optional (the table does not list it), text when given', () => validateExportSpec('tsdb', { destRepoName: 'r', tags: { t: 'host' }, fields: { f: 'hits' } }), () => validateExportSpec('tsdb', { destRepoName: 'r', series: 5, tags: { t: 'host' }, fields: { f: 'hits' } }), 'spec.series', 'E18303'),
  row('tsdb tags required', () => validateExportSpec('tsdb', { destRepoName: 'r', series: 's', tags: { t: 'host' }, fields: { f: 'hits' } }), () => validateExportSpec('tsdb', { destRepoName: 'r', series: 's', fields: { f: 'hits' } }), 'spec.tags', 'E18303'),
  row('tsdb fields required', () => validateExportSpec('tsdb', { destRepoName: 'r', series: 's', tags: { t: 'host' }, fields: { f: 'hits' } }), () => validateExportSpec('tsdb', { destRepoName: 'r', series: 's', tags: { t: 'host' }, fields: {} }), 'spec.fields', 'E18303'),
  row('tsdb timestamp is an output column', () => validateExportSpec('tsdb', { destRepoName: 'r', series: 's', tags: { t: 'host' }, fields: { f: 'hits' }, timestamp: 'hits' }, columns), () => validateExportSpec('tsdb', { destRepoName: 'r', series: 's', tags: { t: 'host' }, fields: { f: 'hits' }, timestamp: 'when' }, columns), 'spec.timestamp', 'E18111'),
  row('report database required', () => validateExportSpec('report', { database: 'd', table: 't', columns: { c: 'host' } }), () => validateExportSpec('report', { table: 't', columns: { c: 'host' } }), 'spec.database', 'E18303'),
  row('report table required', () => validateExportSpec('report', { database: 'd', table: 't', columns: { c: 'host' } }), () => validateExportSpec('report', { database: 'd', columns: { c: 'host' } }), 'spec.table', 'E18303'),
  row('report columns required', () => validateExportSpec('report', { database: 'd', table: 't', columns: { c: 'host' } }), () => validateExportSpec('report', { database: 'd', table: 't', columns: {} }), 'spec.columns', 'E18303'),
  row('report saveMode overwrite|append', () => validateExportSpec('report', { database: 'd', table: 't', columns: { c: 'host' }, saveMode: 'append' }), () => validateExportSpec('report', { database: 'd', table: 't', columns: { c: 'host' }, saveMode: 'ignore' }), 'spec.saveMode', 'E18303'),
  row('report autoCreation boolean', () => validateExportSpec('report', { database: 'd', table: 't', columns: { c: 'host' }, autoCreation: false }), () => validateExportSpec('report', { database: 'd', table: 't', columns: { c: 'host' }, autoCreation: 'no' }), 'spec.autoCreation', 'E18303'),
  // queries and actions
  row('job list: srcDatasource and srcJob not both', () => validateJobListQuery({ srcJob: 'a' }), () => validateJobListQuery({ srcDatasource: 'a', srcJob: 'b' }), 'srcJob', 'E18007'),
  row('history page ≥ 1', () => validateHistoryQuery({ page: 1 }), () => validateHistoryQuery({ page: 0 }), 'page', 'E18007'),
  row('history size ≥ 1', () => validateHistoryQuery({ size: 20 }), () => validateHistoryQuery({ size: -1 }), 'size', 'E18007'),
  row('history sortBy -endTime', () => validateHistoryQuery({ sortBy: '-endTime' }), () => validateHistoryQuery({ sortBy: 'name' }), 'sortBy', 'E18007'),
  row('history sortBy endTime; runId is not a documented sort key', () => validateHistoryQuery({ sortBy: 'endTime' }), () => validateHistoryQuery({ sortBy: '-runId' }), 'sortBy', 'E18007'),
  row('history status from the run statuses', () => validateHistoryQuery({ status: 'Canceled' }), () => validateHistoryQuery({ status: 'Done' }), 'status', 'E18007'),
  row('history runId ≥ -1', () => validateHistoryQuery({ runId: -1 }), () => validateHistoryQuery({ runId: -2 }), 'runId', 'E18007'),
  row('batch runId required', () => validateBatchAction({ jobName: 'j', runId: '3' }), () => validateBatchAction({ jobName: 'j' }), 'runId', 'E18007'),
  row('batch jobName is a job name', () => validateBatchAction({ jobName: 'j k', runId: 3 }), () => validateBatchAction({ jobName: 'j/k', runId: 3 }), 'jobName', 'E18007'),
  row('schema probe: fileType json|parquet|text', () => validateSchemaProbe({ type: 'Kodo', spec: { bucket: 'b-123', fileType: 'parquet' } }), () => validateSchemaProbe({ type: 'Kodo', spec: { bucket: 'b-123', fileType: 'csv' } }), 'spec.fileType', 'E18007'),
  row('schemaInfer: source type batch|streaming', () => validateSchemaInfer({ appId: 'a', computation: { type: 'sql', code: 'select 1' }, sourceSchemas: [{ type: 'batch', tableName: 't', schema: 'W10=' }] }), () => validateSchemaInfer({ appId: 'a', computation: { type: 'sql', code: 'select 1' }, sourceSchemas: [{ type: 'kodo', tableName: 't', schema: 'W10=' }] }), 'sourceSchemas[0].type', 'E18007'),
];

describe('pandora validation table', () => {
  for (const r of rows) {
    it(r.rule, () => {
      assert.deepEqual(r.valid(), [], 'the valid case has no issue');
      const issues = r.invalid();
      const hit = issues.find((i) => i.field === r.field);
      assert.ok(hit, `expected an issue on ${r.field}, got ${JSON.stringify(issues)}`);
      assert.equal(hit.code, r.code);
      assert.ok(formatIssue(hit).length > 3);
    });
  }

  it('formats messages with their arguments and translates the template', () => {
    const [issue] = validateJob('j', { ...job, container: { type: '4U8G', count: 26 } });
    assert.equal(formatIssue(issue), '4U8G × 26 = 104 cores; at most 100 are allowed.');
    assert.equal(formatIssue(issue, () => '{0}×{1}={2}>{3}'), '4U8G×26=104>100');
    assert.deepEqual(Object.keys(issuesByField([...validateName('name', ''), ...validateName('name', '1')])), ['name']);
  });
});
