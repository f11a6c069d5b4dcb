// Show Load Task Details: the task, its files, failures and connector as a readable Markdown preview.
import * as vscode from 'vscode';
import { taskDetailsUri, type LoadTaskDetailsProvider } from '../../providers/loadTasksDetails';
import { isTaskNode } from '../../providers/loadTasksTree';
import type { IngestCommandDeps } from './deps';
import { taskOf } from './pickers';

/** Returns the document's URI. */
export async function showLoadTaskDetails(deps: IngestCommandDeps, details: LoadTaskDetailsProvider, node?: unknown): Promise<string | undefined> {
  const task = await taskOf(deps, node, vscode.l10n.t('Show Load Task Details'));
  if (!task) return undefined;
  // The row's label (distinct among tasks into one volume) names the tab.
  const label = (isTaskNode(node) ? node.label : undefined) ?? (task.volume_name || task.name || task.id);
  const uri = taskDetailsUri(task.id, label);
  details.reload(uri);
  await vscode.commands.executeCommand('markdown.showPreview', uri);
  return uri.toString();
}
