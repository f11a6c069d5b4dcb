// Wires the setup commands: Connect…, credentials, Sign Out, the local emulator (started or running), the environment
// status bar and its switch, the views' error-row actions, the log.
import * as vscode from 'vscode';
import { connect } from '../commands/setup/connect';
import { checkStartedEmulator } from '../commands/setup/emulatorGone';
import { startLocalEmulator, stopLocalEmulator, useConfiguredHosts } from '../commands/setup/localEmulatorCommands';
import { openEndpointSettings } from '../commands/setup/openEndpointSettings';
import { setCredentials } from '../commands/setup/setCredentials';
import { signOut } from '../commands/setup/signOut';
import { switchEnvironment } from '../commands/setup/switchEnvironment';
import { useLocalEmulator } from '../commands/setup/useLocalEmulator';
import type { CoreServices } from '../platform/core';
import { Environment } from '../platform/environment';
import { LocalEmulator } from '../platform/localEmulator';
import { EnvironmentStatusBar } from '../providers/environmentStatusBar';
import { backendArg, retryView } from '../providers/viewProblems';

export interface SetupArea {
  statusBar: EnvironmentStatusBar;
  emulator: LocalEmulator;
}

export function activateSetupArea(core: Pick<CoreServices, 'context' | 'commands' | 'credentials' | 'settings' | 'channel' | 'prompts' | 'logger' | 'notifier'>): SetupArea {
  const { context, commands, prompts, credentials, settings } = core;
  const environment = new Environment(settings, context.globalState, credentials);
  // Stopped with the extension: disposed with the subscriptions on deactivate.
  const emulator = new LocalEmulator(context.extensionPath, vscode.Uri.joinPath(context.globalStorageUri, 'emulator').fsPath, core.logger);
  const statusBar = new EnvironmentStatusBar(environment, settings, emulator);
  context.subscriptions.push(emulator, statusBar);
  const emulatorDeps = { emulator, environment };
  // The emulator Start Local Emulator ran stops with its window: after a reload (or a crash) say so and offer the ways on.
  const goneDeps = { environment, emulator, statusBar, notifier: core.notifier };
  const check = (): void => void checkStartedEmulator(goneDeps).catch((err: unknown) => core.logger.warn(`emulator check failed: ${String(err)}`));
  context.subscriptions.push(emulator.onDidExitUnexpectedly(check));
  check();

  commands.register('datahub.connect', (given?: unknown) => connect(core, backendArg(given)));
  commands.register('datahub.setCredentials', (given?: unknown) => setCredentials(core, backendArg(given)));
  commands.register('datahub.signOut', (given?: unknown) => signOut(core, backendArg(given)));
  commands.register('datahub.useLocalEmulator', () => useLocalEmulator({ prompts, environment }));
  commands.register('datahub.startLocalEmulator', () => startLocalEmulator(emulatorDeps));
  commands.register('datahub.stopLocalEmulator', () => stopLocalEmulator(emulatorDeps));
  commands.register('datahub.useConfiguredHosts', () => useConfiguredHosts(emulatorDeps));
  commands.register('datahub.switchEnvironment', () => switchEnvironment({ prompts, ...emulatorDeps }));
  commands.register('datahub.openEndpointSettings', (given?: unknown) => openEndpointSettings(backendArg(given)));
  commands.register('datahub.retryView', (node?: unknown) => retryView(node));
  commands.register('datahub.showLog', () => core.channel.show(true));
  return { statusBar, emulator };
}
