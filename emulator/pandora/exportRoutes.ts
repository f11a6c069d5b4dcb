// /v2/jobs/<job>/exports: create, update (the spec of the export's own type), get, list, delete.
import { pandoraError } from './errors';
import { checkExportUpdate, checkNewExport } from './exportRules';
import { jsonBody, type PandoraService } from './http';
import type { ExportRecord, JobRecord } from './model';

function exportOf(job: JobRecord, name: string): ExportRecord {
  const record = job.exports.get(name);
  if (!record) throw pandoraError('E18302', `export ${name} does not exist`);
  return record;
}

const columnsOf = (job: JobRecord): Set<string> => new Set(job.schema.map((f) => f.key));

export function addExportRoutes(service: PandoraService): void {
  service.route('POST', '/v2/jobs/:job/exports/:name', async (c) => {
    const job = service.existingJob(c.params.job);
    const record = checkNewExport(await jsonBody(c), columnsOf(job));
    if (job.exports.has(c.params.name)) throw pandoraError('E18301', `export ${c.params.name} already exists`);
    job.exports.set(c.params.name, record);
    service.save();
    c.sendJson(200, {});
  });
  service.route('PUT', '/v2/jobs/:job/exports/:name', async (c) => {
    const job = service.existingJob(c.params.job);
    const record = exportOf(job, c.params.name);
    record.spec = checkExportUpdate(record, await jsonBody(c), columnsOf(job));
    service.save();
    c.sendJson(200, {});
  });
  service.route('GET', '/v2/jobs/:job/exports/:name', (c) => {
    c.sendJson(200, exportOf(service.existingJob(c.params.job), c.params.name));
  });
  service.route('GET', '/v2/jobs/:job/exports', (c) => {
    c.sendJson(200, { exports: [...service.existingJob(c.params.job).exports].map(([name, e]) => ({ name, ...e })) });
  });
  service.route('DELETE', '/v2/jobs/:job/exports/:name', (c) => {
    const job = service.existingJob(c.params.job);
    exportOf(job, c.params.name);
    job.exports.delete(c.params.name);
    service.save();
    c.sendJson(200, {});
  });
}
