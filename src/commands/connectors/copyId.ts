// Copy Connector ID: onto the clipboard, with a short status bar note.
import * as vscode from 'vscode';
import type { IngestCommandDeps } from '../loadTasks/deps';
import { connectorOf } from './connectorOf';

export async function copyConnectorId(deps: IngestCommandDeps, node?: unknown): Promise<string | undefined> {
  const connector = await connectorOf(deps, node, vscode.l10n.t('Copy Connector ID'));
  if (!connector) return undefined;
  await vscode.env.clipboard.writeText(String(connector.id));
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied connector ID {0}', connector.id), 3000);
  return String(connector.id);
}
