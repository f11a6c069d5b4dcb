// The status bar item shown while this window's transfers run: "$(cloud-upload) 2 · 42% · 85 MB/s"; hidden when idle.
// Also the short "Uploading …" message of a transfer just started, which goes when the transfer ends.
import * as vscode from 'vscode';
import { isFinished, WAITING_FOR_NETWORK, type TransferEngine } from '../transfer/engine';
import { formatRate, percentOf } from '../transfer/format';

/** How long a start message stays when the transfer runs on. */
const ANNOUNCE_MS = 4000;

export class TransferStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: { dispose(): void };
  private shown = false;
  /** The start messages on the status bar now, by transfer id. */
  private readonly messages = new Map<string, { text: string; dispose(): void }>();

  constructor(private readonly engine: TransferEngine) {
    this.item = vscode.window.createStatusBarItem('datahub.transfers', vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('Datahub Transfers');
    this.item.command = 'datahub.transfers.focus';
    this.subscription = engine.onDidChange(() => this.update());
    this.update();
  }

  update(): void {
    // Only what this window runs: a transfer another window or process runs is counted there, not here too.
    const running = this.engine.list().filter((r) => r.state === 'running' && !r.elsewhere);
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

  /**
   * Shows `text` ("Uploading …") on the status bar for a few seconds after transfer `id` starts, and not a moment
   * after it ends: a failure within those seconds must not leave "Uploading" on the status bar.
   */
  announce(id: string, text: string, forMs = ANNOUNCE_MS): void {
    this.messages.get(id)?.dispose();
    const message = vscode.window.setStatusBarMessage(text);
    const timer = setTimeout(() => dispose(), forMs);
    const settled = this.engine.onDidChange(() => {
      const record = this.engine.get(id);
      if (!record || isFinished(record.state)) dispose();
    });
    const dispose = (): void => {
      clearTimeout(timer);
      settled.dispose();
      message.dispose();
      if (this.messages.get(id) === entry) this.messages.delete(id);
    };
    const entry = { text, dispose };
    this.messages.set(id, entry);
  }

  /** What the item shows now, whether it is visible, and the start messages shown beside it. */
  state(): { text: string; visible: boolean; messages: string[] } {
    return { text: this.item.text, visible: this.shown, messages: [...this.messages.values()].map((m) => m.text) };
  }

  dispose(): void {
    for (const message of [...this.messages.values()]) message.dispose();
    this.subscription.dispose();
    this.item.dispose();
  }
}
