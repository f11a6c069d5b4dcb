// Pandora run commands: stop / rerun a batch (the state tables), filter a job's Run History by status,
// show one run by its id (-1 = the latest), show more runs.
import * as vscode from 'vscode';
import { RUN_STATUSES } from '../../api/pandora/types';
import { isPandoraNode } from '../../providers/pandoraTree';
import { runStatusLabel } from '../../providers/pandoraPresentation';
import { showRunDetails } from '../../providers/pandoraRunDetails';
import type { PandoraCommandDeps } from './register';

const t = vscode.l10n.t;

/** A run id as typed: a whole number, -1 for the latest, or nothing (every run). */
export function parseRunId(text: string): number | undefined | 'invalid' {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (!/^-?\d+$/.test(trimmed) || Number(trimmed) < -1 || !Number.isSafeInteger(Number(trimmed))) return 'invalid';
  return Number(trimmed);
}

export function registerRunCommands(deps: PandoraCommandDeps): void {
  const { commands, client, tree, pickers, prompts, dialogs } = deps;

  commands.register('datahub.pandora.stopRun', async (arg?: unknown) => {
    const { job, run } = await pickers.run(arg, 'stop');
    const result = await client.stopRun(job, run.runId);
    tree.refresh();
    void vscode.window.showInformationMessage(t('Run {0} of {1}: {2} → {3}', run.runId, job, runStatusLabel(result.preStatus), runStatusLabel(result.postStatus)));
    return result;
  });
  commands.register('datahub.pandora.rerunRun', async (arg?: unknown) => {
    const { job, run } = await pickers.run(arg, 'rerun');
    const result = await client.rerunRun(job, run.runId);
    tree.refresh();
    void vscode.window.showInformationMessage(t('Run {0} of {1}: {2} → {3} (rerun {4})', run.runId, job, runStatusLabel(result.preStatus), runStatusLabel(result.postStatus), result.rerunCount ?? 0));
    return result;
  });
  commands.register('datahub.pandora.filterHistory', async (arg?: unknown) => {
    const job = await pickers.job(arg);
    const all = t('All statuses');
    const picked = await prompts.pick([{ label: all, status: undefined }, ...RUN_STATUSES.map((s) => ({ label: runStatusLabel(s), status: s }))], { title: t('Run History of {0}', job) });
    if (!picked) return;
    tree.setHistoryFilter(job, picked.status);
  });
  /** The history query for one run id (-1 = the latest); an empty answer shows every run again. */
  commands.register('datahub.pandora.findRun', async (arg?: unknown) => {
    const job = await pickers.job(arg);
    const text = await dialogs.input({
      title: t('Find a run of {0}', job),
      prompt: t('Run id; -1 for the latest run; empty to show every run'),
      value: tree.historyView(job).runId?.toString() ?? '',
      validate: (v) => (parseRunId(v) === 'invalid' ? t('A run id (a whole number) or -1 for the latest run.') : undefined),
    });
    if (text === undefined) return undefined;
    const parsed = parseRunId(text);
    const wanted = parsed === 'invalid' ? undefined : parsed;
    tree.setRunFilter(job, wanted);
    const page = await client.history(job, wanted === undefined ? {} : { runId: wanted });
    if (wanted !== undefined && page.history.length === 0) void vscode.window.showInformationMessage(t('Job {0} has no run {1}.', job, wanted));
    return page.history;
  });
  /** A run's details (status, times, message, params) in the Markdown preview; resolves to the document's URI. */
  commands.register('datahub.pandora.showRun', async (arg?: unknown) => {
    const { job, run } = await pickers.run(arg, 'show');
    return (await showRunDetails(deps.runDetails, job, run.runId)).toString();
  });
  commands.register('datahub.pandora.showMoreRuns', (arg?: unknown) => {
    if (isPandoraNode(arg, 'more')) tree.showMore(arg.job);
  });
}
