// Use Local Emulator…: points every backend's base URL (and the IPFS API) at a running emulator after checking it
// answers; the endpoints it replaces are kept for Use Configured Hosts (offered as Undo).
import * as vscode from 'vscode';
import { ValidationError } from '../../api/errors';
import type { Environment } from '../../platform/environment';
import type { Prompts } from '../../platform/prompts';

const DEFAULT_EMULATOR_URL = 'http://127.0.0.1:8787';

export async function useLocalEmulator(deps: { prompts: Prompts; environment: Environment }): Promise<boolean> {
  const answer = await deps.prompts.input({
    title: vscode.l10n.t('Datahub: Use Local Emulator'),
    prompt: vscode.l10n.t('URL of a running emulator (Datahub: Start Local Emulator starts the one that comes with the extension)'),
    value: DEFAULT_EMULATOR_URL,
    ignoreFocusOut: true,
    validateInput: (v) => (/^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(v.trim()) ? undefined : vscode.l10n.t('Enter an http(s) URL such as {0}', DEFAULT_EMULATOR_URL)),
  });
  if (!answer) return false;
  const url = answer.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+$/.test(url)) throw new ValidationError('url', vscode.l10n.t('"{0}" is not an http(s) URL', url));
  const health = await fetch(`${url}/_emulator/health`, { signal: AbortSignal.timeout(5000) }).catch((e: unknown) => e as Error);
  if (health instanceof Error || !health.ok) {
    const start = vscode.l10n.t('Start Local Emulator');
    const reason = health instanceof Error ? health.message : `HTTP ${health.status}`;
    void vscode.window.showErrorMessage(vscode.l10n.t('No Datahub emulator answers at {0} ({1}). Start Local Emulator runs the one that comes with the extension.', url, reason), start).then((choice) => {
      if (choice === start) void vscode.commands.executeCommand('datahub.startLocalEmulator');
    });
    return false;
  }
  await deps.environment.pointAt(url, false);
  offerUndo(vscode.l10n.t('Every Datahub backend now points at the emulator at {0}.', url));
  return true;
}

/** The notification after a switch to an emulator, with Undo (Use Configured Hosts). */
export function offerUndo(message: string): void {
  const undo = vscode.l10n.t('Undo');
  void vscode.window.showInformationMessage(message, undo).then((choice) => {
    if (choice === undo) void vscode.commands.executeCommand('datahub.useConfiguredHosts');
  });
}
