// How a Pandora command finds what it acts on: its tree node, or, from the palette, a quick pick of
// datasources, jobs (with their last run), exports or runs; and the modal confirmation of deletes.
import * as vscode from 'vscode';
import { ValidationError } from '../../api/errors';
import type { PandoraClient } from '../../api/pandora/client';
import { allows } from '../../api/pandora/runs';
import type { Datasource, HistoryRun, RunStatus } from '../../api/pandora/types';
import { isPandoraNode } from '../../providers/pandoraTree';
import { runStatusLabel } from '../../providers/pandoraPresentation';
import type { Notifier } from '../../platform/notifications';
import type { Prompts } from '../../platform/prompts';

const t = vscode.l10n.t;

/** The job a tree node or a job name names (the SQL editor's Start Job CodeLens passes a name). */
function jobOfArg(arg: unknown): string | undefined {
  if (isPandoraNode(arg, 'job')) return arg.job.name;
  if (isPandoraNode(arg, 'exports') || isPandoraNode(arg, 'history')) return arg.job;
  if (typeof arg === 'string' && arg) return arg;
  return undefined;
}

export function cancelled(): never {
  throw new vscode.CancellationError();
}

export class PandoraPickers {
  constructor(
    private readonly client: PandoraClient,
    private readonly prompts: Prompts,
    private readonly notifier: Notifier,
  ) {}

  async datasource(arg: unknown): Promise<Datasource> {
    if (isPandoraNode(arg, 'datasource')) return arg.datasource;
    const all = await this.client.listDatasources();
    if (all.length === 0) throw new ValidationError('datasource', t('there are no datasources yet'));
    const picked = await this.prompts.pick(all.map((d) => ({ label: d.name, description: `${d.type} · ${d.region}`, d })), { title: t('Pandora datasource'), placeHolder: t('Pick a datasource') });
    return picked?.d ?? cancelled();
  }

  /** A job name from its node, a job name (the SQL editor's Start Job CodeLens passes one), or a quick pick (optionally only jobs whose last run passes `filter`). */
  async job(arg: unknown, filter?: (status: RunStatus | undefined) => boolean): Promise<string> {
    const direct = jobOfArg(arg);
    if (direct) return direct;
    const items = await this.jobItems(filter);
    if (items.length === 0) throw new ValidationError('job', t('no job fits'));
    return this.pickJob(items);
  }

  /** A running job from its node or a quick pick of the running ones; undefined (and it says so) when none runs. */
  async runningJob(arg: unknown): Promise<string | undefined> {
    const direct = jobOfArg(arg);
    if (direct) return direct;
    const items = await this.jobItems((status) => status === 'Running');
    if (items.length === 0) {
      void this.notifier.show('info', t('No Pandora job is running.'));
      return undefined;
    }
    return this.pickJob(items);
  }

  private async jobItems(filter?: (status: RunStatus | undefined) => boolean): Promise<{ label: string; description: string; detail: string; status: RunStatus | undefined }[]> {
    const jobs = await this.client.listJobs();
    const lasts = await Promise.all(jobs.map((j) => this.client.history(j.name, { runId: -1 }).then((p) => p.history[0]).catch(() => undefined)));
    return jobs
      .map((j, i) => ({ label: j.name, description: lasts[i] ? runStatusLabel(lasts[i].status) : t('never run'), detail: j.computation.code.replace(/\s+/g, ' ').slice(0, 120), status: lasts[i]?.status }))
      .filter((item) => !filter || filter(item.status));
  }

  private async pickJob(items: readonly { label: string; description: string; detail: string }[]): Promise<string> {
    const picked = await this.prompts.pick(items, { title: t('Pandora job'), placeHolder: t('Pick a job'), matchOnDetail: true });
    return picked?.label ?? cancelled();
  }

  async export(arg: unknown): Promise<{ job: string; name: string }> {
    if (isPandoraNode(arg, 'export')) return { job: arg.job, name: arg.export.name };
    const job = await this.job(undefined);
    const exports = await this.client.listExports(job);
    if (exports.length === 0) throw new ValidationError('export', t('job {0} has no exports', job));
    const picked = await this.prompts.pick(exports.map((e) => ({ label: e.name, description: e.type })), { title: t('Export of {0}', job) });
    return { job, name: picked?.label ?? cancelled() };
  }

  /** A run from its node, or a job then one of its runs (those `action` allows; every run to show one). */
  async run(arg: unknown, action: 'stop' | 'rerun' | 'show'): Promise<{ job: string; run: HistoryRun }> {
    if (isPandoraNode(arg, 'run')) return { job: arg.job, run: arg.run };
    const job = await this.job(undefined);
    const page = await this.client.history(job, { page: 1, size: 50, sortBy: '-endTime' });
    const runs = page.history.filter((r) => action === 'show' || allows(r.status, action));
    if (runs.length === 0) throw new ValidationError('runId', action === 'stop' ? t('job {0} has no Running run', job) : action === 'rerun' ? t('job {0} has no run that can be rerun', job) : t('job {0} has not run yet', job));
    const picked = await this.prompts.pick(runs.map((r) => ({ label: t('Run {0}', r.runId), description: `${runStatusLabel(r.status)} · ${r.startTime ?? ''}`, r })), { title: t('Run of {0}', job) });
    return { job, run: picked?.r ?? cancelled() };
  }
}

/** A modal confirmation: true when the person chose Delete. */
export async function confirmDelete(prompts: Prompts, message: string): Promise<boolean> {
  const yes = t('Delete');
  return (await prompts.confirm(message, undefined, yes)) === yes;
}
