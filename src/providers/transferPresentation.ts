// How a transfer looks in the UI: its description line, icon and context value, one place for all views.
import * as vscode from 'vscode';
import { isFinished, WAITING_FOR_NETWORK } from '../transfer/engine';
import { formatBytes, formatDuration, formatRate, percentOf } from '../transfer/format';
import { DATAHUB_DOWNLOAD_KIND } from '../transfer/protocols/datahubDownload';
import { DATAHUB_UPLOAD_KIND } from '../transfer/protocols/datahubUpload';
import { isTransferOf, type TransferRecord, type TransferState } from '../transfer/types';
import { stateWord } from './stateWords';

/** Where another window or process runs the transfer, for its line and tooltip. */
function elsewhereText(record: TransferRecord): string | undefined {
  const owner = record.elsewhere;
  if (!owner) return undefined;
  return owner.kind === 'window' ? vscode.l10n.t('Running in another window') : vscode.l10n.t('Running in another process (pid {0})', owner.pid);
}

export function transferDescription(record: TransferRecord): string {
  const p = record.progress;
  const percent = percentOf(p.bytesDone, p.bytesTotal);
  const elsewhere = elsewhereText(record);
  if (elsewhere && !isFinished(record.state)) return `${elsewhere} · ${percent}%`;
  switch (record.state) {
    case 'queued':
      return vscode.l10n.t('Queued');
    case 'running': {
      if (p.phase === 'hashing') return vscode.l10n.t('Hashing {0}%', percentOf(p.phaseDone ?? 0, p.phaseTotal ?? 0));
      if (p.phase === 'waiting for authorization') return vscode.l10n.t('Waiting for authorization');
      if (p.phase === WAITING_FOR_NETWORK) return waitingText(percent, p.nextAttemptAt);
      if (p.stalled) return vscode.l10n.t('{0}% · stalled', percent);
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

/** "42% · waiting for network · next try 10:42:07". */
function waitingText(percent: number, nextAttemptAt: number | undefined): string {
  if (nextAttemptAt === undefined) return vscode.l10n.t('{0}% · waiting for network', percent);
  return vscode.l10n.t('{0}% · waiting for network · next try {1}', percent, new Date(nextAttemptAt).toLocaleTimeString());
}

export function transferIcon(record: TransferRecord): vscode.ThemeIcon {
  if (record.elsewhere && !isFinished(record.state)) return new vscode.ThemeIcon('multiple-windows');
  if (record.state === 'running') {
    if (record.progress.phase === WAITING_FOR_NETWORK) return new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    if (record.progress.stalled) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  }
  return stateIcon(record.state);
}

/** The icon of a state, the same on a transfer's row and on the row of one of its files. */
export function stateIcon(state: TransferState): vscode.ThemeIcon {
  switch (state) {
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

/**
 * `transfer:<state>:<direction>[:local]` so that menus can match with viewItem =~ /.../; a transfer another window or
 * process owns is `transfer:elsewhere:…` whatever its state, so that no control (pause, cancel, retry) is offered.
 */
export function transferContextValue(record: TransferRecord): string {
  return `transfer:${record.elsewhere ? 'elsewhere' : record.state}:${record.direction}${record.localPath ? ':local' : ''}`;
}

/** The Datahub subtask the transfer works on, when it is a Datahub upload or download. */
function subtaskOf(record: TransferRecord): string | undefined {
  return isTransferOf(DATAHUB_UPLOAD_KIND, record) || isTransferOf(DATAHUB_DOWNLOAD_KIND, record) ? record.params.subtaskId : undefined;
}

/**
 * Plain text (not Markdown: nothing to escape, so an id reads as it is, never `demo\-subtask`): the full name, then
 * state, progress, where it goes, when it started; no protocol names.
 */
export function transferTooltip(record: TransferRecord): string {
  const p = record.progress;
  const subtask = subtaskOf(record);
  const progress = [`${percentOf(p.bytesDone, p.bytesTotal)}%`, `${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)}`];
  if (record.state === 'running' && p.bytesPerSecond > 0) progress.push(formatRate(p.bytesPerSecond));
  if (record.state === 'running' && p.bytesPerSecond > 0 && p.etaSeconds !== undefined) progress.push(vscode.l10n.t('{0} left', formatDuration(p.etaSeconds)));
  const lines: [string, string | undefined][] = [
    [vscode.l10n.t('State'), record.state === 'running' ? `${stateWord(record.state)} · ${transferDescription(record)}` : stateWord(record.state)],
    [vscode.l10n.t('Progress'), progress.join(' · ')],
    [record.direction === 'upload' ? vscode.l10n.t('Destination') : vscode.l10n.t('Source'), subtask ? vscode.l10n.t('subtask {0}', subtask) : undefined],
    [record.direction === 'upload' ? vscode.l10n.t('Local file') : vscode.l10n.t('Saved to'), record.localPath],
    [vscode.l10n.t('Started'), new Date(record.createdAt).toLocaleString()],
    [vscode.l10n.t('Finished'), record.finishedAt !== undefined ? new Date(record.finishedAt).toLocaleString() : undefined],
    [vscode.l10n.t('Owner'), elsewhereText(record)],
    [vscode.l10n.t('Error'), record.error],
  ];
  const text = [record.label, ...lines.filter(([, value]) => value).map(([label, value]) => `${label}: ${value ?? ''}`)];
  if (checkedBySizeOnly(record)) text.push(vscode.l10n.t("Integrity: checked by size only — the store's ETag is neither an MD5 nor a multipart ETag whose part size could be found."));
  return text.join('\n');
}

/** A finished download whose bytes could be checked only by their size (see the download protocol's integrity check). */
function checkedBySizeOnly(record: TransferRecord): boolean {
  return record.state === 'completed' && isTransferOf(DATAHUB_DOWNLOAD_KIND, record) && record.checkpoint.integrity === 'size';
}
