// Show Load Task Details: the task, its file counts and failures and its connector as a read-only JSON document.
import * as vscode from 'vscode';
import { taskDetailsUri, type LoadTaskDetailsProvider } from '../../providers/loadTasksDetails';
import type { IngestCommandDeps } from './deps';
import { taskOf } from './pickers';

/** Returns the document's URI. */
export async function showLoadTaskDetails(deps: IngestCommandDeps, details: LoadTaskDetailsProvider, node?: unknown): Promise<string | undefined> {
  const task = await taskOf(deps, node, vscode.l10n.t('Show Load Task Details'));
  if (!task) return undefined;
  const uri = taskDetailsUri(task.id);
  details.reload(uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(doc, 'json');
  await vscode.window.showTextDocument(doc, { preview: true });
  return uri.toString();
}
