// Pause and Resume a load task (tree node, or picked among the tasks that can).
import * as vscode from 'vscode';
import { TaskStatus } from '../../api/ingest/types';
import type { IngestCommandDeps } from './deps';
import { taskOf } from './pickers';

export async function pauseLoadTask(deps: IngestCommandDeps, node?: unknown): Promise<boolean> {
  const task = await taskOf(deps, node, vscode.l10n.t('Pause Load Task'), [TaskStatus.Running]);
  if (!task) return false;
  await deps.client.pauseTask(task.id);
  deps.loadTasksTree.refresh();
  return true;
}

export async function resumeLoadTask(deps: IngestCommandDeps, node?: unknown): Promise<boolean> {
  const task = await taskOf(deps, node, vscode.l10n.t('Resume Load Task'), [TaskStatus.Pausing, TaskStatus.Paused]);
  if (!task) return false;
  await deps.client.resumeTask(task.id);
  deps.loadTasksTree.refresh();
  return true;
}
