// The emulated Pandora account: datasources, jobs with their exports and runs, kept on disk as JSON.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasourceBody, ExportBody, JobBody, RunParam, RunStatus, SchemaField } from '../../src/api/pandora/types';

export interface RunRecord {
  runId: number;
  batchTime: string;
  startTime: string;
  endTime?: string;
  status: RunStatus;
  message: string;
  params: RunParam[];
  /** When a Running run settles (ms since epoch) and how. */
  finishAt: number;
  outcome: 'Successful' | 'Failed';
  rerunCount: number;
}

export interface JobRecord {
  body: JobBody;
  schema: SchemaField[];
  exports: Record<string, ExportBody>;
  runs: RunRecord[];
  nextRunId: number;
}

export interface PandoraState {
  datasources: Record<string, DatasourceBody>;
  jobs: Record<string, JobRecord>;
}

/** SQL markers the tests use: a run fails, or runs long enough to be stopped. */
export const FAIL_MARKER = '/* emulator:fail */';
export const SLOW_MARKER = '/* emulator:slow */';

export class PandoraStore {
  state: PandoraState = { datasources: {}, jobs: {} };
  private readonly file: string;

  constructor(dir: string, private readonly runMs: () => number, private readonly now: () => number = Date.now) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'state.json');
    try {
      this.state = JSON.parse(readFileSync(this.file, 'utf8')) as PandoraState;
    } catch {
      // First start: empty account.
    }
  }

  save(): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.file);
  }

  reset(): void {
    this.state = { datasources: {}, jobs: {} };
    this.save();
  }

  /** Settles runs whose time is up: Running → Successful or Failed. */
  settle(job: JobRecord): void {
    const now = this.now();
    for (const run of job.runs) {
      if (run.status === 'Running' && now >= run.finishAt) {
        run.status = run.outcome;
        run.endTime = new Date(run.finishAt).toISOString();
        run.message = run.outcome === 'Successful' ? 'run succeeded' : 'run failed: the SQL carries the emulator:fail marker';
      }
    }
  }

  private schedule(job: JobRecord, run: RunRecord): void {
    const code = job.body.computation.code;
    const now = this.now();
    run.status = 'Running';
    run.startTime = new Date(now).toISOString();
    run.endTime = undefined;
    run.message = 'running';
    run.outcome = code.includes(FAIL_MARKER) ? 'Failed' : 'Successful';
    run.finishAt = now + (code.includes(SLOW_MARKER) ? 10 * 60_000 : this.runMs());
  }

  startRun(job: JobRecord, params: RunParam[]): RunRecord {
    const run: RunRecord = {
      runId: job.nextRunId++,
      batchTime: new Date(this.now()).toISOString(),
      startTime: '',
      status: 'Ready',
      message: '',
      params,
      finishAt: 0,
      outcome: 'Successful',
      rerunCount: 0,
    };
    this.schedule(job, run);
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
    this.schedule(job, run);
  }

  /** The history entry as the API shows it (duration in seconds; a Running run ends "now"). */
  view(run: RunRecord): Record<string, unknown> {
    const end = run.endTime ?? new Date(this.now()).toISOString();
    return {
      runId: run.runId,
      batchTime: run.batchTime,
      startTime: run.startTime,
      endTime: end,
      duration: Math.max(0, Math.round((Date.parse(end) - Date.parse(run.startTime)) / 1000)),
      status: run.status,
      message: run.message,
    };
  }
}
