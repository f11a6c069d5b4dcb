// Filter Load Tasks…: statuses and intervals picked together; nothing picked shows every task.
import * as vscode from 'vscode';
import { IntervalType, TaskStatus } from '../../api/ingest/types';
import type { Prompts } from '../../platform/prompts';
import { intervalLabel, taskStatusLabel } from '../../providers/connectorsPresentation';
import type { LoadTaskFilter, LoadTasksTreeProvider } from '../../providers/loadTasksTree';

function filterItems(filter: LoadTaskFilter): (vscode.QuickPickItem & { status?: number; intervalType?: number })[] {
  const statusItems = [TaskStatus.Running, TaskStatus.Pausing, TaskStatus.Paused, TaskStatus.Finished].map((s) => ({
    label: taskStatusLabel(s),
    description: vscode.l10n.t('status'),
    picked: filter.status?.includes(s) ?? false,
    status: s,
  }));
  const intervalItems = [IntervalType.Once, IntervalType.Daily, IntervalType.Hourly, IntervalType.Minutely].map((t) => ({
    label: intervalLabel(t, 1),
    description: vscode.l10n.t('interval'),
    picked: filter.intervalTypes?.includes(t) ?? false,
    intervalType: t,
  }));
  return [
    { label: vscode.l10n.t('Status'), kind: vscode.QuickPickItemKind.Separator },
    ...statusItems,
    { label: vscode.l10n.t('Interval'), kind: vscode.QuickPickItemKind.Separator },
    ...intervalItems,
  ];
}

/** Returns the filter now applied, or undefined when the picker was dismissed. */
export async function filterLoadTasks(deps: { prompts: Prompts; loadTasksTree: LoadTasksTreeProvider }, updateDescriptions: () => void): Promise<LoadTaskFilter | undefined> {
  const picked = await deps.prompts.pickMany(filterItems(deps.loadTasksTree.filter), {
    title: vscode.l10n.t('Filter Load Tasks'),
    placeHolder: vscode.l10n.t('Show tasks with these statuses and intervals (none = all)'),
  });
  if (!picked) return undefined;
  deps.loadTasksTree.setFilter({
    status: picked.flatMap((p) => (p.status !== undefined ? [p.status] : [])),
    intervalTypes: picked.flatMap((p) => (p.intervalType !== undefined ? [p.intervalType] : [])),
  });
  updateDescriptions();
  return deps.loadTasksTree.filter;
}
