// Sample Pandora data for a first look (`npm start`): two datasources, a job with an export and a finished run.
import type { RunClock } from './runs';
import type { PandoraStore } from './store';

export function seedPandora(store: PandoraStore, clock: RunClock): void {
  if (!store.datasources.has('weblogs')) {
    store.datasources.set('weblogs', {
      region: 'nb',
      type: 'kodo',
      spec: { bucket: 'demo-logs', keyPrefixes: ['access/'], fileType: 'json' },
      schema: [
        { key: 'ts', valtype: 'date', required: true },
        { key: 'host', valtype: 'string', required: true },
        { key: 'status', valtype: 'long', required: false },
        { key: 'bytes', valtype: 'long', required: false },
        { key: 'latency', valtype: 'float', required: false },
      ],
    });
  }
  if (!store.datasources.has('orders')) {
    store.datasources.set('orders', {
      region: 'nb',
      type: 'hdfs',
      spec: { paths: ['hdfs://10.0.0.1:9000/warehouse/orders'], fileType: 'csv', delimiter: ',', containsHeader: true },
      schema: [
        { key: 'order_id', valtype: 'string', required: true },
        { key: 'amount', valtype: 'float', required: true },
        { key: 'created', valtype: 'date', required: true },
      ],
    });
  }
  if (store.jobs.has('daily_traffic')) return;
  const job = {
    body: {
      srcs: [{ name: 'weblogs', type: 'DataSource' as const, tableName: 'logs', fileFilter: '$(year)-$(mon)-$(day)' }],
      computation: { type: 'SQL', code: 'SELECT host, COUNT(*) AS hits, SUM(bytes) AS total_bytes\nFROM logs\nGROUP BY host' },
      container: { type: '2U4G', count: 2 },
      scheduler: { type: 'crontab', spec: { crontab: '0 0 1 * * ?' } },
      params: [{ name: 'region', default: 'east' }],
    },
    schema: [
      { key: 'host', valtype: 'string', required: false },
      { key: 'hits', valtype: 'long', required: false },
      { key: 'total_bytes', valtype: 'float', required: false },
    ],
    exports: new Map([['to_kodo', { type: 'kodo', spec: { bucket: 'demo-reports', keyPrefix: 'traffic/', format: 'csv', delimiter: ',', containsHeader: true, compression: 'gzip', fileCount: 1, saveMode: 'overwrite' } }]]),
    runs: [],
    nextRunId: 1,
  };
  store.jobs.set('daily_traffic', job);
  const run = clock.start(job, [{ name: 'region', value: 'east' }]);
  run.finishAt = Date.now();
  clock.settle(job);
}
