// Which runs failed since the Pandora view last listed the jobs: the tree polls while a run is active, and each
// listing is compared with the one before, so a person hears of a failure without watching the row (no vscode).
import type { HistoryRun, RunStatus } from '../api/pandora/types';

export interface FailedRun {
  job: string;
  run: HistoryRun;
}

export class RunWatch {
  /** The latest run of each job as last seen. */
  private readonly seen = new Map<string, { runId: number; status: RunStatus }>();
  private primed = false;

  /**
   * Takes a listing (each job with its latest run, if known) and returns the runs that failed since the previous
   * one: a run seen active that is now Failed, or a run not seen before that is already Failed. The first listing
   * only records: failures from before the window opened were not seen happening.
   */
  observe(listing: readonly { job: string; last?: HistoryRun }[]): FailedRun[] {
    const failed: FailedRun[] = [];
    for (const { job, last } of listing) {
      if (!last) continue;
      const before = this.seen.get(job);
      this.seen.set(job, { runId: last.runId, status: last.status });
      if (!this.primed || last.status !== 'Failed') continue;
      if (before && before.runId === last.runId && before.status === 'Failed') continue;
      failed.push({ job, run: last });
    }
    this.primed = true;
    return failed;
  }
}
