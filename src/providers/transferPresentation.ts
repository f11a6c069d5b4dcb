// How a transfer looks in the UI: its description line, icon and context value, one place for all views.
import * as vscode from 'vscode';
import { formatBytes, formatDuration, formatRate, percentOf } from '../transfer/format';
import type { TransferRecord } from '../transfer/types';
import { textTooltip } from './tooltips';

export function transferDescription(record: TransferRecord): string {
  const p = record.progress;
  const percent = percentOf(p.bytesDone, p.bytesTotal);
  switch (record.state) {
    case 'queued':
      return vscode.l10n.t('Queued');
    case 'running': {
      if (p.phase === 'hashing') return vscode.l10n.t('Hashing {0}%', percent);
      if (p.phase === 'waiting for authorization') return vscode.l10n.t('Waiting for authorization');
      const parts = [`${percent}%`];
      if (p.bytesPerSecond > 0) parts.push(formatRate(p.bytesPerSecond));
      if (p.etaSeconds !== undefined && p.bytesPerSecond > 0) parts.push(vscode.l10n.t('{0} left', formatDuration(p.etaSeconds)));
      return parts.join(' · ');
    }
    case 'paused':
      return vscode.l10n.t('Paused · {0}%', percent);
    case 'completed':
      if (checkedBySizeOnly(record)) return vscode.l10n.t('Completed · 100% · {0} · checked by size only', formatBytes(p.bytesTotal));
      return vscode.l10n.t('Completed · 100% · {0}', formatBytes(p.bytesTotal));
    case 'failed':
      return vscode.l10n.t('Failed: {0}', record.error ?? vscode.l10n.t('unknown error'));
    case 'cancelled':
      return vscode.l10n.t('Cancelled');
  }
}

export function transferIcon(record: TransferRecord): vscode.ThemeIcon {
  switch (record.state) {
    case 'queued':
      return new vscode.ThemeIcon('clock');
    case 'running':
      return new vscode.ThemeIcon('sync~spin');
    case 'paused':
      return new vscode.ThemeIcon('debug-pause');
    case 'completed':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'cancelled':
      return new vscode.ThemeIcon('circle-slash');
  }
}

/** `transfer:<state>:<direction>[:local]` so that menus can match with viewItem =~ /.../. */
export function transferContextValue(record: TransferRecord): string {
  return `transfer:${record.state}:${record.direction}${record.localPath ? ':local' : ''}`;
}

export function transferTooltip(record: TransferRecord): vscode.MarkdownString {
  const subtask = record.params.subtaskId;
  return textTooltip(
    record.label,
    [
      [vscode.l10n.t('Protocol'), record.protocol, 'code'],
      [vscode.l10n.t('Subtask'), typeof subtask === 'string' ? subtask : undefined, 'code'],
      [vscode.l10n.t('Local path'), record.localPath],
      [vscode.l10n.t('Size'), formatBytes(record.progress.bytesTotal)],
      [vscode.l10n.t('Error'), record.error],
    ],
    checkedBySizeOnly(record) ? [vscode.l10n.t("Integrity: checked by size only — the store's ETag is neither an MD5 nor a multipart ETag whose part size could be found.")] : [],
  );
}

/** A finished download whose bytes could be checked only by their size (see the download protocol's integrity check). */
function checkedBySizeOnly(record: TransferRecord): boolean {
  return record.state === 'completed' && record.checkpoint.integrity === 'size';
}
