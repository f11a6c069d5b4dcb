// Open Settings from a view's welcome or error row: the Settings editor at the endpoint of that view's backend.
import * as vscode from 'vscode';
import { isBackend } from './setCredentials';

export async function openEndpointSettings(given?: unknown): Promise<void> {
  const backend = isBackend(given) ? given : undefined;
  // The endpoints are User settings only (scope application): the query finds them there.
  await vscode.commands.executeCommand('workbench.action.openSettings', backend ? `datahub.endpoints.${backend}` : 'datahub.endpoints');
}
