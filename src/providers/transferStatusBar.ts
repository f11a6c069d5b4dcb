// The status bar item shown while transfers run: "$(cloud-upload) 2 · 42% · 85 MB/s"; hidden when idle.
import * as vscode from 'vscode';
import { WAITING_FOR_NETWORK, type TransferEngine } from '../transfer/engine';
import { formatRate, percentOf } from '../transfer/format';

export class TransferStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: { dispose(): void };
  private shown = false;

  constructor(private readonly engine: TransferEngine) {
    this.item = vscode.window.createStatusBarItem('datahub.transfers', vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('Datahub Transfers');
    this.item.command = 'datahub.transfers.focus';
    this.subscription = engine.onDidChange(() => this.update());
    this.update();
  }

  update(): void {
    const running = this.engine.list().filter((r) => r.state === 'running');
    if (running.length === 0) {
      this.item.hide();
      this.shown = false;
      return;
    }
    // A transfer waiting for someone else (an authorization) moves no bytes: it counts, but not in the percent.
    const moving = running.filter((r) => r.progress.phase !== 'waiting for authorization');
    const done = moving.reduce((s, r) => s + r.progress.bytesDone, 0);
    const total = moving.reduce((s, r) => s + r.progress.bytesTotal, 0);
    const rate = moving.reduce((s, r) => s + r.progress.bytesPerSecond, 0);
    const icon = running.some((r) => r.direction === 'upload') ? '$(cloud-upload)' : '$(cloud-download)';
    const parts = [`${icon} ${running.length}`, moving.length ? `${percentOf(done, total)}%` : vscode.l10n.t('waiting')];
    if (rate > 0) parts.push(formatRate(rate));
    // Said only when it holds for every running transfer: one slow transfer among moving ones is no news here.
    if (moving.length > 0 && moving.every((r) => r.progress.phase === WAITING_FOR_NETWORK)) parts.push(vscode.l10n.t('waiting for network'));
    else if (moving.length > 0 && moving.every((r) => r.progress.stalled || r.progress.phase === WAITING_FOR_NETWORK)) parts.push(vscode.l10n.t('stalled'));
    this.item.text = parts.join(' · ');
    this.item.tooltip = vscode.l10n.t('{0} Datahub transfers running — click to show them', running.length);
    this.item.show();
    this.shown = true;
  }

  /** What the item shows now, and whether it is visible. */
  state(): { text: string; visible: boolean } {
    return { text: this.item.text, visible: this.shown };
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
