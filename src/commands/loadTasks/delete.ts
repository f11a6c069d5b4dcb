// Delete Load Task: after a modal confirmation; the loaded files stay in the volume.
import * as vscode from 'vscode';
import type { IngestCommandDeps } from './deps';
import { taskOf } from './pickers';

export async function deleteLoadTask(deps: IngestCommandDeps, node?: unknown): Promise<boolean> {
  const task = await taskOf(deps, node, vscode.l10n.t('Delete Load Task'));
  if (!task) return false;
  const del = vscode.l10n.t('Delete');
  const choice = await deps.prompts.confirm(
    vscode.l10n.t('Delete the load task {0} ({1})?', task.volume_name || task.id, task.id),
    vscode.l10n.t('Files already loaded stay in the volume; the task and its history are removed.'),
    del,
  );
  if (choice !== del) return false;
  await deps.client.deleteTask(task.id);
  deps.loadTasksTree.refresh();
  deps.connectorsTree.refresh();
  return true;
}
