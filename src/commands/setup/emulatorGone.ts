// The endpoints still point at the emulator Start Local Emulator ran, but it is gone: it stops with the window that
// started it, so after a reload (or a crash) every view would only say "Cannot reach". Checked on activation and when
// the emulator exits by itself: the status bar says so and a notification offers Start Local Emulator / Use
// Configured Hosts. Not restarted by itself: a start wipes the emulator's data for fresh samples and takes a new port,
// and with several windows open each would start its own — the person decides.
import * as vscode from 'vscode';
import type { Environment } from '../../platform/environment';
import type { LocalEmulator } from '../../platform/localEmulator';
import type { Notifier } from '../../platform/notifications';
import type { EnvironmentStatusBar } from '../../providers/environmentStatusBar';

/** How long the health check waits for the emulator to answer. */
const HEALTH_TIMEOUT_MS = 3000;

export interface EmulatorGoneDeps {
  environment: Environment;
  emulator: LocalEmulator;
  statusBar: EnvironmentStatusBar;
  notifier: Notifier;
}

/** True when the endpoints point at a started emulator that does not answer (the notification is then shown). */
export async function checkStartedEmulator(deps: EmulatorGoneDeps): Promise<boolean> {
  const url = deps.environment.startedEmulator();
  // Nothing started, or it runs in this window.
  if (!url || deps.emulator.url === url) return false;
  // Another window may run it (the settings are shared): then it answers.
  if (await answers(url)) return false;
  // The person may have switched while the check waited.
  if (deps.environment.startedEmulator() !== url || deps.emulator.url === url) return false;
  deps.statusBar.emulatorGone(url);
  const start = vscode.l10n.t('Start Local Emulator');
  const hosts = vscode.l10n.t('Use Configured Hosts');
  const message = vscode.l10n.t('The endpoints point at the local emulator at {0}, which is not running: it stops with the window that started it. Start it again (fresh sample data, on a new port) or go back to your configured hosts.', url);
  void deps.notifier.show('warning', message, start, hosts).then((choice) => {
    if (choice === start) void vscode.commands.executeCommand('datahub.startLocalEmulator');
    else if (choice === hosts) void vscode.commands.executeCommand('datahub.useConfiguredHosts');
  });
  return true;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/_emulator/health`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    return response.ok;
  } catch {
    return false;
  }
}
