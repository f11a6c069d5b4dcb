// Start / Stop Local Emulator and Use Configured Hosts: the bundled emulator as a child process, and the way back.
import * as vscode from 'vscode';
import type { Environment } from '../../platform/environment';
import type { LocalEmulator } from '../../platform/localEmulator';
import { offerUndo } from './useLocalEmulator';

export interface EmulatorCommandDeps {
  emulator: LocalEmulator;
  environment: Environment;
}

/** Starts the emulator that comes with the extension (sample data, a free port) and points every backend at it; its URL. */
export async function startLocalEmulator(deps: EmulatorCommandDeps): Promise<string> {
  const url = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Starting the local emulator…') }, () => deps.emulator.start());
  // Demo credentials only where none is stored; Use Configured Hosts takes them out again.
  await deps.environment.pointAt(url, true, true);
  offerUndo(vscode.l10n.t('The local emulator runs at {0} with sample data; every Datahub backend points at it.', url));
  return url;
}

export async function stopLocalEmulator(deps: EmulatorCommandDeps): Promise<boolean> {
  const url = deps.emulator.url;
  if (!url) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No local emulator was started in this window.'));
    return false;
  }
  deps.emulator.stop();
  const current = deps.environment.current();
  // Endpoints left pointing at a stopped emulator would only fail: go back to the configured hosts.
  if (current.kind === 'emulator' && current.url === url) await deps.environment.restore();
  void vscode.window.showInformationMessage(vscode.l10n.t('The local emulator at {0} was stopped.', url));
  return true;
}

export async function useConfiguredHosts(deps: Pick<EmulatorCommandDeps, 'environment'>): Promise<boolean> {
  if (!(await deps.environment.restore())) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The endpoints already are your configured hosts: no emulator replaced them.'));
    return false;
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('The endpoints are back to your configured hosts.'));
  return true;
}
