// The rows under a folder upload's row in the Transfers view: one per file, with its own state and progress.
import * as vscode from 'vscode';
import { formatBytes, percentOf } from '../transfer/format';
import { DATAHUB_UPLOAD_KIND } from '../transfer/protocols/datahubUpload';
import { uploadFileRows, type DatahubUploadCheckpoint, type DatahubUploadParams, type UploadFileRow } from '../transfer/protocols/datahubUploadState';
import { isTransferOf, type TransferRecord } from '../transfer/types';
import { shortLabel } from './shortLabel';
import { stateIcon } from './transferPresentation';

/**
 * One file of a transfer, as a tree node: what a child row's context menu passes to a command. The view keeps the
 * same node for a file while its row is shown (VS Code knows a row by its node object), and `file` is brought up to
 * date in it.
 */
export class TransferFileNode {
  /** Unique in the view and the same on every refresh (the transfer's id and the file's name), so nothing collapses. */
  readonly id: string;

  constructor(
    readonly transferId: string,
    public file: UploadFileRow,
  ) {
    this.id = `${transferId}/file/${file.name}`;
  }

  /** The local file, for Reveal in Explorer. */
  get path(): string {
    return this.file.path;
  }
}

/** Whether the transfer's row has a row per file under it: an upload of more than one file (a folder). */
export function hasFileRows(record: TransferRecord): record is TransferRecord<DatahubUploadParams, DatahubUploadCheckpoint> {
  return isTransferOf(DATAHUB_UPLOAD_KIND, record) && record.params.files.length > 1;
}

/**
 * The file nodes of one folder upload's row, the same object for a file on every ask, each with its file as the
 * record has it now; `order` is their names in order, to tell when the rows themselves change.
 */
export class FolderFileNodes {
  private readonly nodes = new Map<string, TransferFileNode>();
  order = '';
  /** The transfer's state when its files were last read: a transfer that does not run changes no file row. */
  state: TransferRecord['state'] | undefined;

  constructor(readonly transferId: string) {}

  /** The nodes as the record has them now; `rows` (from uploadFileRows) when the caller read them already. */
  update(record: TransferRecord, rows = hasFileRows(record) ? uploadFileRows(record) : []): TransferFileNode[] {
    this.state = record.state;
    this.order = fileOrder(rows);
    const nodes = rows.map((row) => {
      const node = this.nodes.get(row.name) ?? new TransferFileNode(record.id, row);
      node.file = row;
      return node;
    });
    this.nodes.clear();
    for (const node of nodes) this.nodes.set(node.file.name, node);
    return nodes;
  }

  /** The nodes the view was given last, in order. */
  current(): TransferFileNode[] {
    return [...this.nodes.values()];
  }
}

/** The names of `rows` in order, as one key. */
export function fileOrder(rows: readonly UploadFileRow[]): string {
  return JSON.stringify(rows.map((row) => row.name));
}

/** "Uploading 42%", "Hashing 10%", "Completed · 100% · 3 MB", "Failed: <reason>", "Queued". */
export function fileDescription(file: UploadFileRow): string {
  const percent = percentOf(file.done, file.size);
  switch (file.state) {
    case 'queued':
      return file.done > 0 ? vscode.l10n.t('Queued · {0}%', percent) : vscode.l10n.t('Queued');
    case 'hashing':
      return vscode.l10n.t('Hashing {0}%', percent);
    case 'uploading':
      return vscode.l10n.t('Uploading {0}%', percent);
    case 'completed':
      return vscode.l10n.t('Completed · 100% · {0}', formatBytes(file.size));
    case 'failed':
      return file.error !== undefined ? vscode.l10n.t('Failed: {0}', file.error) : vscode.l10n.t('Not uploaded · {0}%', percent);
    case 'paused':
      return vscode.l10n.t('Paused · {0}%', percent);
    case 'cancelled':
      return vscode.l10n.t('Cancelled');
  }
}

function fileIcon(file: UploadFileRow): vscode.ThemeIcon {
  return stateIcon(file.state === 'hashing' || file.state === 'uploading' ? 'running' : file.state);
}

/**
 * `transferFile:<state>:local`: menus offer Reveal in Explorer (`:local$`), never a control of the transfer
 * (`^transfer:`) — the engine pauses, cancels and retries a transfer as a whole.
 */
export function fileContextValue(file: UploadFileRow): string {
  return `transferFile:${file.state}:local`;
}

export function fileTreeItem(node: TransferFileNode): vscode.TreeItem {
  const { file } = node;
  const item = new vscode.TreeItem(shortLabel(file.name), vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = fileDescription(file);
  item.iconPath = fileIcon(file);
  item.contextValue = fileContextValue(file);
  const lines = [file.name, `${vscode.l10n.t('State')}: ${item.description}`, `${vscode.l10n.t('Progress')}: ${formatBytes(file.done)} / ${formatBytes(file.size)}`, `${vscode.l10n.t('Local file')}: ${file.path}`];
  item.tooltip = lines.join('\n');
  item.accessibilityInformation = { label: vscode.l10n.t('File {0}, {1}', file.name, item.description), role: 'treeitem' };
  return item;
}
