// Sample Pandora data for a first look (`npm start`): two datasources, a job with an export and a finished run.
import type { PandoraStore } from './store';

export function seedPandora(store: PandoraStore): void {
  const s = store.state;
  s.datasources.weblogs ??= {
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
  };
  s.datasources.orders ??= {
    region: 'nb',
    type: 'hdfs',
    spec: { paths: ['hdfs://10.0.0.1:9000/warehouse/orders'], fileType: 'csv', delimiter: ',', containsHeader: true },
    schema: [
      { key: 'order_id', valtype: 'string', required: true },
      { key: 'amount', valtype: 'float', required: true },
      { key: 'created', valtype: 'date', required: true },
    ],
  };
  if (!s.jobs.daily_traffic) {
    s.jobs.daily_traffic = {
      body: {
        srcs: [{ name: 'weblogs', type: 'DataSource', tableName: 'logs', fileFilter: '$(year)-$(mon)-$(day)' }],
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
      exports: { to_kodo: { type: 'kodo', spec: { bucket: 'demo-reports', keyPrefix: 'traffic/', format: 'csv', delimiter: ',', containsHeader: true, compression: 'gzip', fileCount: 1, saveMode: 'overwrite' } } },
      runs: [],
      nextRunId: 1,
    };
    const job = s.jobs.daily_traffic;
    const run = store.startRun(job, [{ name: 'region', value: 'east' }]);
    run.finishAt = Date.now();
    store.settle(job);
  }
}
