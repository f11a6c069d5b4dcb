// Copy ID on a Pandora row: a job's or an export's name (their ids in api 003), a run's id; onto the clipboard.
import * as vscode from 'vscode';
import { isPandoraNode } from '../../providers/pandoraTree';

/** The id of the row, or undefined for a row without one. */
export function pandoraIdOf(node: unknown): string | undefined {
  if (isPandoraNode(node, 'job')) return node.job.name;
  if (isPandoraNode(node, 'export')) return node.export.name;
  if (isPandoraNode(node, 'run')) return String(node.run.runId);
  if (isPandoraNode(node, 'datasource')) return node.datasource.name;
  return undefined;
}

export async function copyPandoraId(node: unknown): Promise<string | undefined> {
  const id = pandoraIdOf(node);
  if (id === undefined) return undefined;
  await vscode.env.clipboard.writeText(id);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', id), 3000);
  return id;
}
