// A job's run history (page, size, sortBy endTime / -endTime, status, runId with -1 = the latest) and the
// batch actions stop / rerun, which follow the document's two state tables.
import { plainError } from './errors';
import { jsonBody, type PandoraHandler, type PandoraService } from './http';
import { checkBatchBody, checkHistoryQuery } from './requestRules';
import { permits, type BatchAction } from './runs';

export function addHistoryRoutes(service: PandoraService): void {
  service.route('GET', '/v2/jobs/:job/history', (c) => {
    const job = service.existingJob(c.params.job);
    const query = checkHistoryQuery(c.url.searchParams);
    let runs = job.runs.map((run) => service.clock.view(run));
    if (query.status) runs = runs.filter((r) => r.status === query.status);
    if (query.runId !== undefined) {
      const wanted = query.runId === -1 ? Math.max(0, ...job.runs.map((r) => r.runId)) : query.runId;
      runs = runs.filter((r) => r.runId === wanted);
    }
    // Without sortBy the document names no order: runs come in the order they were started.
    if (query.newestFirst !== undefined) {
      const direction = query.newestFirst ? -1 : 1;
      runs.sort((a, b) => direction * (Date.parse(a.endTime) - Date.parse(b.endTime) || a.runId - b.runId));
    }
    c.sendJson(200, { total: runs.length, history: runs.slice((query.page - 1) * query.size, query.page * query.size) });
  });

  const batch = (action: BatchAction): PandoraHandler => async (c) => {
    const { jobName, runId } = checkBatchBody(await jsonBody(c));
    const job = service.existingJob(jobName);
    const run = job.runs.find((r) => r.runId === runId);
    // Neither an unknown run nor a forbidden action has a code in the table: plain 404 / 400 texts.
    if (!run) throw plainError(404, `run ${runId} of job ${jobName} does not exist`);
    const preStatus = run.status;
    if (!permits(preStatus, action)) {
      throw plainError(400, `run ${runId} is ${preStatus}: ${action === 'stop' ? 'only a Running run can be stopped' : 'only a Successful, Failed or Canceled run can be rerun'}`);
    }
    if (action === 'stop') service.clock.cancel(run);
    else service.clock.rerun(job, run);
    service.save();
    c.sendJson(200, action === 'stop' ? { preStatus, postStatus: run.status } : { preStatus, postStatus: run.status, rerunCount: run.rerunCount });
  };
  service.route('POST', '/v2/batch/actions/stop', batch('stop'));
  service.route('POST', '/v2/batch/actions/rerun', batch('rerun'));
}
