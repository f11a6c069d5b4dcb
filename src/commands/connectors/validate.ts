// Validate Connector: asks the backend whether it can reach the connector's bucket; a connector that is not valid is
// one click from its form (Edit on the warning).
import * as vscode from 'vscode';
import type { IngestCommandDeps } from '../loadTasks/deps';
import { connectorOf } from './connectorOf';

export async function validateConnector(deps: IngestCommandDeps, node?: unknown): Promise<boolean | undefined> {
  const connector = await connectorOf(deps, node, vscode.l10n.t('Validate Connector'));
  if (!connector) return undefined;
  const valid = await deps.client.validateConnector({ connectorId: connector.id, sourceType: connector.sourceType });
  if (valid) {
    void deps.notifier.show('info', vscode.l10n.t('Connector "{0}" is valid: the backend can reach its bucket.', connector.name));
    return valid;
  }
  const edit = vscode.l10n.t('Edit');
  // Not awaited: the command answers at once; Edit opens the form whenever it is pressed.
  void deps.notifier.show('warning', vscode.l10n.t('Connector "{0}" is not valid: the backend cannot reach its bucket.', connector.name), edit).then(async (choice) => {
    if (choice === edit) await vscode.commands.executeCommand('datahub.connectors.edit', { kind: 'connector', connector });
  });
  return valid;
}
