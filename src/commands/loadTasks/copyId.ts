// Copy ID on a Load Tasks row: the task's id, or a task file's id; onto the clipboard.
import * as vscode from 'vscode';
import { isTaskFileNode, isTaskNode } from '../../providers/loadTasksTree';

export async function copyLoadTaskId(node: unknown): Promise<string | undefined> {
  const id = isTaskNode(node) ? node.task.id : isTaskFileNode(node) ? node.file.id : undefined;
  if (id === undefined) return undefined;
  await vscode.env.clipboard.writeText(id);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', id), 3000);
  return id;
}
