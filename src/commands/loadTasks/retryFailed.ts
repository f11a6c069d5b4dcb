// Retry Failed Files: the failed file nodes selected, or every failed file of a task; returns how many are retried.
import * as vscode from 'vscode';
import { FileStatus } from '../../api/ingest/types';
import { isTaskFileNode } from '../../providers/loadTasksTree';
import type { IngestCommandDeps } from './deps';
import { taskOf } from './pickers';

export async function retryFailedFiles(deps: IngestCommandDeps, node?: unknown, nodes?: unknown): Promise<number> {
  const selected = (Array.isArray(nodes) ? nodes : [node]).filter(isTaskFileNode).filter((n) => n.file.status === FileStatus.Failed);
  let retried = 0;
  if (selected.length > 0) {
    const byTask = new Map<string, string[]>();
    for (const n of selected) byTask.set(n.taskId, [...(byTask.get(n.taskId) ?? []), n.file.id]);
    for (const [taskId, ids] of byTask) await deps.client.retryTask(taskId, ids);
    retried = selected.length;
  } else {
    const task = await taskOf(deps, isTaskFileNode(node) ? undefined : node, vscode.l10n.t('Retry Failed Files'));
    if (!task) return 0;
    const ids = await deps.client.failedFileIds(task.id);
    if (ids.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No failed file in this task.'));
      return 0;
    }
    await deps.client.retryTask(task.id, ids);
    retried = ids.length;
  }
  void vscode.window.showInformationMessage(retried === 1 ? vscode.l10n.t('Retrying 1 failed file.') : vscode.l10n.t('Retrying {0} failed files.', retried));
  deps.loadTasksTree.refresh();
  return retried;
}
