// The run history an existing job's editor shows (host side): reads the latest runs for the page's chart, reads them
// again while one is still going, and runs Stop / Rerun on a run the page selected through the run commands.
import * as vscode from 'vscode';
import type { PandoraClient } from '../api/pandora/client';
import { allows, isActive } from '../api/pandora/runs';
import type { HistoryRun } from '../api/pandora/types';
import { describeError } from '../platform/commands';
import { formatDuration, runStatusLabel } from '../providers/pandoraPresentation';
import type { RunBar, RunsMessage } from './jobEditorProtocol';

/** How many runs the chart shows (the latest ones). */
const RUNS_SHOWN = 30;
/** How often the runs are read again while one of them is still going. */
const POLL_MS = 5000;

const RUN_COMMANDS = { stop: 'datahub.pandora.stopRun', rerun: 'datahub.pandora.rerunRun' } as const;

/** A run as a bar: a run that is still going reaches `now`; one without a start begins at its batch time. */
export function runBar(run: HistoryRun, now: number): RunBar {
  const parse = (text: string | undefined): number | undefined => {
    const ms = text ? Date.parse(text) : Number.NaN;
    return Number.isNaN(ms) ? undefined : ms;
  };
  const active = isActive(run.status);
  const start = parse(run.startTime) ?? parse(run.batchTime) ?? now;
  const end = active ? Math.max(now, start) : Math.max(parse(run.endTime) ?? start, start);
  return {
    runId: run.runId,
    status: run.status,
    label: runStatusLabel(run.status),
    start,
    end,
    active,
    duration: formatDuration(Math.round((end - start) / 1000)),
    canStop: allows(run.status, 'stop'),
    canRerun: allows(run.status, 'rerun'),
  };
}

export class JobEditorRuns implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private loading: Promise<RunsMessage> | undefined;

  constructor(
    private readonly client: PandoraClient,
    private readonly post: (message: RunsMessage) => Thenable<unknown>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads the runs of `job` and sends them to the page; again in a while when one is still going. */
  refresh(job: string): Promise<RunsMessage> {
    // One read at a time: a refresh asked for meanwhile gets that read's runs.
    this.loading ??= this.load(job).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Reads the runs anew (after an action or when asked): a read already under way may predate what changed. */
  async reload(job: string): Promise<RunsMessage> {
    await this.loading;
    return this.refresh(job);
  }

  private async load(job: string): Promise<RunsMessage> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    let message: RunsMessage;
    try {
      const page = await this.client.history(job, { page: 1, size: RUNS_SHOWN, sortBy: '-endTime' });
      const now = this.now();
      message = { type: 'runs', runs: page.history.map((r) => runBar(r, now)) };
    } catch (err) {
      message = { type: 'runs', runs: [], error: describeError(err) };
    }
    if (this.disposed) return message;
    await this.post(message);
    if (message.runs.some((r) => r.active)) this.timer = setTimeout(() => void this.refresh(job), POLL_MS);
    return message;
  }

  /**
   * Stop or Rerun of run `runId` of `job` through the run commands (their checks, messages and tree refresh).
   * Undefined when it ran; else what is wrong, for the page to show.
   */
  async act(job: string, action: 'stop' | 'rerun', runId: number): Promise<string | undefined> {
    let run: HistoryRun | undefined;
    try {
      run = (await this.client.history(job, { runId })).history.find((r) => r.runId === runId);
    } catch (err) {
      return describeError(err);
    }
    if (!run) return vscode.l10n.t('Job {0} has no run {1}.', job, runId);
    if (!allows(run.status, action)) {
      await this.reload(job);
      return action === 'stop' ? vscode.l10n.t('Run {0} is {1}: only a running run can be stopped.', runId, runStatusLabel(run.status)) : vscode.l10n.t('Run {0} is {1}: only a completed, failed or canceled run can be rerun.', runId, runStatusLabel(run.status));
    }
    const result = await vscode.commands.executeCommand<unknown>(RUN_COMMANDS[action], { kind: 'run', job, run });
    await this.reload(job);
    // The command reported its own failure (a notification); the page says it did not happen.
    return result === undefined ? vscode.l10n.t('Run {0} was not changed; see the notification.', runId) : undefined;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
