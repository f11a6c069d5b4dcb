// The Transfers view: one item per transfer of the shared engine, newest first.
import * as vscode from 'vscode';
import type { TransferEngine } from '../transfer/engine';
import type { TransferRecord } from '../transfer/types';
import { shortLabel } from './shortLabel';
import { transferContextValue, transferDescription, transferIcon, transferTooltip } from './transferPresentation';

export class TransfersTreeProvider implements vscode.TreeDataProvider<TransferRecord>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TransferRecord | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly engine: TransferEngine) {
    this.subscription = engine.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(element?: TransferRecord): TransferRecord[] {
    return element ? [] : this.engine.list();
  }

  getTreeItem(record: TransferRecord): vscode.TreeItem {
    // A long name is shortened (the tooltip has it whole), so that the progress after it stays in view.
    const item = new vscode.TreeItem(shortLabel(record.label), vscode.TreeItemCollapsibleState.None);
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
