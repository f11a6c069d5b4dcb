// The Transfers view: one item per transfer of the shared engine, newest first; a folder upload's row has one child
// row per file. With no transfer, rows that say what to do (and that files can be dropped here) instead of a welcome
// text: VS Code gives a view's welcome content no drop target, a tree's rows have one.
import * as vscode from 'vscode';
import type { TransferEngine } from '../transfer/engine';
import type { TransferRecord } from '../transfer/types';
import { shortLabel } from './shortLabel';
import { fileTreeItem, hasFileRows, TransferFileNode, transferFileNodes } from './transferFiles';
import { transferContextValue, transferDescription, transferIcon, transferTooltip } from './transferPresentation';

/** A row of the empty view: a command to start a transfer with. */
export class TransfersHint {
  constructor(
    readonly id: 'upload' | 'download',
    readonly command: string,
  ) {}
}

const HINTS = [new TransfersHint('upload', 'datahub.upload'), new TransfersHint('download', 'datahub.download')];

/** A transfer (its record, what the transfer commands take), one file of it, or a row of the empty view. */
export type TransfersNode = TransferRecord | TransferFileNode | TransfersHint;

function hintItem(hint: TransfersHint): vscode.TreeItem {
  const upload = hint.id === 'upload';
  const item = new vscode.TreeItem(upload ? vscode.l10n.t('Drop files here or choose Upload to Datahub…') : vscode.l10n.t('Download Subtask Input…'));
  item.id = `hint:${hint.id}`;
  item.iconPath = new vscode.ThemeIcon(upload ? 'cloud-upload' : 'cloud-download');
  item.contextValue = `transfers:hint:${hint.id}`;
  item.command = { command: hint.command, title: typeof item.label === 'string' ? item.label : '' };
  item.tooltip = upload
    ? vscode.l10n.t('No transfers yet. Drop files or folders from the Explorer onto this view, right-click one in the Explorer and choose “Upload to Datahub…”, or click here to choose them.')
    : vscode.l10n.t('Download the input file of a subtask into a folder you choose.');
  return item;
}

export class TransfersTreeProvider implements vscode.TreeDataProvider<TransfersNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TransfersNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly engine: TransferEngine) {
    this.subscription = engine.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(element?: TransfersNode): TransfersNode[] {
    if (!element) {
      const records = this.engine.list();
      return records.length > 0 ? records : HINTS;
    }
    if (element instanceof TransferFileNode || element instanceof TransfersHint) return [];
    // The record as it is now: the view may hold the one of an earlier refresh.
    const record = this.engine.get(element.id) ?? element;
    return transferFileNodes(record);
  }

  getParent(element: TransfersNode): TransfersNode | undefined {
    return element instanceof TransferFileNode ? this.engine.get(element.transferId) : undefined;
  }

  getTreeItem(node: TransfersNode): vscode.TreeItem {
    if (node instanceof TransferFileNode) return fileTreeItem(node);
    if (node instanceof TransfersHint) return hintItem(node);
    const record = node;
    // A long name is shortened (the tooltip has it whole), so that the progress after it stays in view.
    const item = new vscode.TreeItem(shortLabel(record.label), hasFileRows(record) ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = record.id;
    item.description = transferDescription(record);
    item.iconPath = transferIcon(record);
    item.contextValue = transferContextValue(record);
    item.tooltip = transferTooltip(record);
    item.accessibilityInformation = { label: `${record.label}, ${item.description}` };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
