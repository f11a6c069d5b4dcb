// The status bar item that says where the endpoints point (the local emulator or the configured hosts); a click switches.
import * as vscode from 'vscode';
import type { Environment } from '../platform/environment';
import type { LocalEmulator } from '../platform/localEmulator';
import { BACKENDS, type Settings } from '../platform/settings';
import { hostOf } from '../platform/backendProblem';

export class EnvironmentStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('datahub.environment', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The started emulator found not running (the endpoints still point at it). */
  private gone: string | undefined;

  constructor(
    private readonly environment: Environment,
    private readonly settings: Settings,
    private readonly emulator: LocalEmulator,
  ) {
    this.item.name = vscode.l10n.t('Datahub Environment');
    this.item.command = 'datahub.switchEnvironment';
    this.subscriptions.push(
      settings.onDidChange((e) => {
        if (e.affectsConfiguration('datahub.endpoints') || e.affectsConfiguration('datahub.ipfs')) this.update();
      }),
      emulator.onDidChange(() => this.update()),
    );
    this.update();
    this.item.show();
  }

  /** What the item shows (and the context keys menus read). */
  state(): { text: string; tooltip: string } {
    return { text: this.item.text, tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : '' };
  }

  /** Says that the endpoints point at the started emulator at `url`, which does not answer. */
  emulatorGone(url: string): void {
    this.gone = url;
    this.update();
  }

  private update(): void {
    const current = this.environment.current();
    const running = this.emulator.url;
    // Gone until the endpoints move or it runs again.
    if (this.gone && (current.kind !== 'emulator' || current.url !== this.gone || running === this.gone)) this.gone = undefined;
    this.item.backgroundColor = this.gone ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    if (this.gone) {
      this.item.text = `$(warning) ${vscode.l10n.t('Datahub: Emulator Not Running')}`;
      this.item.tooltip = [
        vscode.l10n.t('Every backend points at the local emulator at {0}, which is not running (it stops with the window that started it).', this.gone),
        vscode.l10n.t('Click to start it again or to use your configured hosts.'),
      ].join('\n');
    } else if (current.kind === 'emulator') {
      const ours = running === current.url;
      this.item.text = `$(server-environment) ${vscode.l10n.t('Datahub: Local Emulator')}`;
      this.item.tooltip = [
        ours ? vscode.l10n.t('Every backend points at the local emulator at {0}, started in this window.', current.url) : vscode.l10n.t('Every backend points at the emulator at {0}.', current.url),
        vscode.l10n.t('Click to switch.'),
      ].join('\n');
    } else {
      this.item.text = `$(cloud) ${vscode.l10n.t('Datahub: Configured Hosts')}`;
      const lines = BACKENDS.map((b) => `${b}: ${this.settings.baseUrl(b) ? hostOf(this.settings.baseUrl(b)) : vscode.l10n.t('(not set)')}`);
      this.item.tooltip = [vscode.l10n.t('The endpoints point at your configured hosts:'), ...lines, vscode.l10n.t('Click to switch.')].join('\n');
    }
    void vscode.commands.executeCommand('setContext', 'datahub.environment', current.kind);
    void vscode.commands.executeCommand('setContext', 'datahub.localEmulatorRunning', running !== undefined);
    void vscode.commands.executeCommand('setContext', 'datahub.canUseConfiguredHosts', this.environment.canRestore());
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
