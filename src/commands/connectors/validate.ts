// Validate Connector: asks the backend whether it can reach the connector's bucket.
import * as vscode from 'vscode';
import type { IngestCommandDeps } from '../loadTasks/deps';
import { connectorOf } from './connectorOf';

export async function validateConnector(deps: IngestCommandDeps, node?: unknown): Promise<boolean | undefined> {
  const connector = await connectorOf(deps, node, vscode.l10n.t('Validate Connector'));
  if (!connector) return undefined;
  const valid = await deps.client.validateConnector({ connectorId: connector.id, sourceType: connector.sourceType });
  if (valid) void vscode.window.showInformationMessage(vscode.l10n.t('Connector "{0}" is valid: the backend can reach its bucket.', connector.name));
  else void vscode.window.showWarningMessage(vscode.l10n.t('Connector "{0}" is not valid: the backend cannot reach its bucket. Edit it to fix the settings.', connector.name));
  return valid;
}
