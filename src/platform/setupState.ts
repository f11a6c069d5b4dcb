// What a backend view still needs before it can load (its endpoint, then its credentials), published as the context key
// `datahub.<backend>.missing` ('endpoint' | 'credentials' | '') that picks the view's welcome text.
import * as vscode from 'vscode';
import type { Backend, Settings } from './settings';

export type Missing = 'endpoint' | 'credentials' | '';

export function missingSetup(settings: Settings, backend: Backend, hasCredentials: boolean): Missing {
  if (!settings.baseUrl(backend)) return 'endpoint';
  return hasCredentials ? '' : 'credentials';
}

/** True when nothing is missing; sets the context key either way. */
export async function publishSetup(settings: Settings, backend: Backend, hasCredentials: boolean): Promise<boolean> {
  const missing = missingSetup(settings, backend, hasCredentials);
  await vscode.commands.executeCommand('setContext', `datahub.${backend}.missing`, missing);
  return missing === '';
}
