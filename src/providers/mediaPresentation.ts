// How media tasks look: the backend's status codes as words, and the line shown beside a transfer.
import * as vscode from 'vscode';
import { formatBytes, percentOf } from '../transfer/format';
import { mediaViewState } from '../transfer/protocols/mediaShared';
import type { TransferRecord } from '../transfer/types';
import { stateWord } from './stateWords';
import { textTooltip } from './tooltips';
import { transferDescription, transferIcon } from './transferPresentation';

export function mediaStatusText(status: number | undefined): string {
  switch (status) {
    case 0:
      return stateWord('notStarted');
    case 1:
      return vscode.l10n.t('Chunking');
    case 2:
      return vscode.l10n.t('Encrypting');
    case 3:
      return vscode.l10n.t('Uploading');
    case 4:
      return vscode.l10n.t('Downloading');
    case 5:
      return vscode.l10n.t('Waiting for authorization');
    case 6:
      return vscode.l10n.t('Downloading key');
    case 7:
      return vscode.l10n.t('Composing');
    case 8:
      return stateWord('completed');
    case 9:
      return stateWord('failed');
    default:
      return vscode.l10n.t('Status {0}', String(status ?? '?'));
  }
}

/** A media transfer's line: the backend status with its percent while it runs, the engine's words otherwise. */
export function mediaTransferDescription(record: TransferRecord): string {
  const status = mediaViewState(record).mediaStatus;
  if (record.state === 'running' && typeof status === 'number') {
    if (status === 5) return mediaStatusText(status);
    return `${mediaStatusText(status)} · ${percentOf(record.progress.bytesDone, record.progress.bytesTotal)}%`;
  }
  if (record.state === 'completed') {
    const size = record.progress.bytesTotal;
    return size > 0 ? `${mediaStatusText(8)} · ${formatBytes(size)}` : mediaStatusText(8);
  }
  return transferDescription(record);
}

/** A logged task's line from the backend's answer: its status, with the percent while it is in progress. */
export function mediaTaskDescription(status: number | undefined, percent: number | undefined): string {
  if (status === undefined) return stateWord('unknown');
  const running = status > 0 && status < 8 && status !== 5;
  return running && percent !== undefined ? `${mediaStatusText(status)} · ${percent}%` : mediaStatusText(status);
}

/** A logged task's icon from the backend's status (a task in progress without a transfer here does not spin). */
export function mediaTaskIcon(status: number | undefined): vscode.ThemeIcon {
  if (status === 8) return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
  if (status === 9) return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
  if (status === 5) return new vscode.ThemeIcon('shield');
  if (status === 0 || status === undefined) return new vscode.ThemeIcon('circle-outline');
  return new vscode.ThemeIcon('sync');
}

export function mediaTransferIcon(record: TransferRecord): vscode.ThemeIcon {
  if (record.state === 'running' && mediaViewState(record).mediaStatus === 5) return new vscode.ThemeIcon('shield');
  return transferIcon(record);
}

/** `mediaTransfer:<state>:<hash|nohash>[:local]`. */
export function mediaTransferContextValue(record: TransferRecord, hasLocal: boolean): string {
  const hash = mediaViewState(record).hash ? 'hash' : 'nohash';
  return `mediaTransfer:${record.state}:${hash}${hasLocal ? ':local' : ''}`;
}

export function mediaTransferTooltip(record: TransferRecord, lines: [string, string | number | undefined][]): vscode.MarkdownString {
  return textTooltip(record.label, [...lines.map(([label, value]) => [label, value, 'code'] as const), [vscode.l10n.t('Error'), record.error]]);
}
