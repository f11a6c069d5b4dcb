// The environment status bar item's click: the ways to switch between the local emulator and the configured hosts.
import * as vscode from 'vscode';
import type { Environment } from '../../platform/environment';
import type { LocalEmulator } from '../../platform/localEmulator';
import type { Prompts } from '../../platform/prompts';

export async function switchEnvironment(deps: { prompts: Prompts; environment: Environment; emulator: LocalEmulator }): Promise<unknown> {
  const current = deps.environment.current();
  const items: (vscode.QuickPickItem & { command: string })[] = [];
  if (deps.environment.canRestore()) items.push({ label: `$(cloud) ${vscode.l10n.t('Use Configured Hosts')}`, description: vscode.l10n.t('put back the endpoints the emulator replaced'), command: 'datahub.useConfiguredHosts' });
  if (deps.emulator.url) items.push({ label: `$(debug-stop) ${vscode.l10n.t('Stop Local Emulator')}`, description: deps.emulator.url, command: 'datahub.stopLocalEmulator' });
  else items.push({ label: `$(play) ${vscode.l10n.t('Start Local Emulator')}`, description: vscode.l10n.t('with sample data, on a free port'), command: 'datahub.startLocalEmulator' });
  items.push(
    { label: `$(server-environment) ${vscode.l10n.t('Use Local Emulator…')}`, description: vscode.l10n.t('one that runs already'), command: 'datahub.useLocalEmulator' },
    { label: `$(plug) ${vscode.l10n.t('Connect…')}`, description: vscode.l10n.t('a backend: endpoint, credentials, check'), command: 'datahub.connect' },
    { label: `$(gear) ${vscode.l10n.t('Open Endpoint Settings')}`, command: 'datahub.openEndpointSettings' },
  );
  const placeHolder = current.kind === 'emulator' ? vscode.l10n.t('The endpoints point at the emulator at {0}', current.url) : vscode.l10n.t('The endpoints point at your configured hosts');
  const picked = await deps.prompts.pick(items, { title: vscode.l10n.t('Datahub: Switch Environment'), placeHolder });
  return picked ? vscode.commands.executeCommand(picked.command) : undefined;
}
