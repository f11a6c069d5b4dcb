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
