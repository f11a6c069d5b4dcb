// Runs (batches) of a job: the two state tables of 停止批次任务 / 重跑批次任务 and how the emulator moves a run
// through them (Running settles to Successful or Failed after a while; SQL markers choose which).
import type { JobRecord, RunRecord, RunState } from './model';

/** 说明 tables: which action each state allows (Restarting / Cancelling: 不允许任何操作). */
const ALLOWED: Record<RunState, { stop: boolean; rerun: boolean }> = {
  Ready: { stop: false, rerun: false },
  Successful: { stop: false, rerun: true },
  Failed: { stop: false, rerun: true },
  Running: { stop: true, rerun: false },
  Canceled: { stop: false, rerun: true },
  Restarting: { stop: false, rerun: false },
  Cancelling: { stop: false, rerun: false },
};

export type BatchAction = 'stop' | 'rerun';

export function permits(state: RunState, action: BatchAction): boolean {
  return ALLOWED[state][action];
}

/** SQL markers the tests use: a run fails, or runs long enough to be stopped. */
export const FAIL_MARKER = '/* emulator:fail */';
export const SLOW_MARKER = '/* emulator:slow */';

export class RunClock {
  constructor(private readonly runMs: () => number, private readonly now: () => number = Date.now) {}

  /** Running runs whose time is up become Successful or Failed. */
  settle(job: JobRecord): void {
    const now = this.now();
    for (const run of job.runs) {
      if (run.status !== 'Running' || now < run.finishAt) continue;
      run.status = run.outcome;
      run.endTime = new Date(run.finishAt).toISOString();
      run.message = run.outcome === 'Successful' ? 'run succeeded' : 'run failed: the SQL carries the emulator:fail marker';
    }
  }

  private launch(job: JobRecord, run: RunRecord): void {
    const code = job.body.computation.code;
    const now = this.now();
    run.status = 'Running';
    run.startTime = new Date(now).toISOString();
    run.endTime = undefined;
    run.message = 'running';
    run.outcome = code.includes(FAIL_MARKER) ? 'Failed' : 'Successful';
    run.finishAt = now + (code.includes(SLOW_MARKER) ? 10 * 60_000 : this.runMs());
  }

  start(job: JobRecord, params: RunRecord['params']): RunRecord {
    const run: RunRecord = { runId: job.nextRunId++, batchTime: new Date(this.now()).toISOString(), startTime: '', status: 'Ready', message: '', params, finishAt: 0, outcome: 'Successful', rerunCount: 0 };
    this.launch(job, run);
    job.runs.push(run);
    return run;
  }

  cancel(run: RunRecord): void {
    run.status = 'Canceled';
    run.endTime = new Date(this.now()).toISOString();
    run.message = 'canceled by the user';
  }

  rerun(job: JobRecord, run: RunRecord): void {
    run.rerunCount++;
    this.launch(job, run);
  }

  /** The history entry (endTime of a Running run = now, 如果为Running，则为当前时间; duration in seconds). */
  view(run: RunRecord): { runId: number; batchTime: string; startTime: string; endTime: string; duration: number; status: RunState; message: string } {
    const endTime = run.endTime ?? new Date(this.now()).toISOString();
    const duration = Math.max(0, Math.round((Date.parse(endTime) - Date.parse(run.startTime)) / 1000));
    return { runId: run.runId, batchTime: run.batchTime, startTime: run.startTime, endTime, duration, status: run.status, message: run.message };
  }
}
