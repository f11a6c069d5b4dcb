// The Transfers view: one item per transfer of the shared engine, newest first; a folder upload's row has one child
// row per file. With no transfer, rows that say what to do (and that files can be dropped here) instead of a welcome
// text: VS Code gives a view's welcome content no drop target, a tree's rows have one. Only the rows whose look
// changed are redrawn, a running row's progress at most every 2 s (see docs/architecture.md, "The Transfers view").
import * as vscode from 'vscode';
import type { TransferEngine } from '../transfer/engine';
import { uploadFileRows } from '../transfer/protocols/datahubUploadState';
import type { TransferRecord } from '../transfer/types';
import { shortLabel } from './shortLabel';
import { fileOrder, fileTreeItem, FolderFileNodes, hasFileRows, TransferFileNode } from './transferFiles';
import { transferContextValue, transferDescription, transferIcon, transferTooltip } from './transferPresentation';
import { fileRowSignature, RowRedraws, rowSignature, type Row, type RowSignature } from './transferRowSignature';

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

function transferItem(record: TransferRecord): vscode.TreeItem {
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

/** What a transfer's row shows; its phase while it runs (hashing, uploading, waiting…) is news at once. */
function transferSignature(record: TransferRecord, item = transferItem(record)): RowSignature {
  const icon = item.iconPath instanceof vscode.ThemeIcon ? `${item.iconPath.id} ${item.iconPath.color?.id ?? ''}` : '';
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const tooltip = typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
  const description = typeof item.description === 'string' ? item.description : '';
  const phase = record.state === 'running' ? `${record.progress.phase ?? ''} ${record.progress.stalled === true ? 'stalled' : ''}` : undefined;
  return rowSignature({ label, description, tooltip, icon, contextValue: item.contextValue ?? '', collapsible: item.collapsibleState ?? 0, phase });
}

/** Whether the two lists hold the same nodes (the very objects) in the same order. */
function sameNodes(a: readonly TransfersNode[], b: readonly TransfersNode[]): boolean {
  return a.length === b.length && a.every((node, i) => node === b[i]);
}

/**
 * The whole tree is redrawn (`fire(undefined)`) only when its rows change: a transfer added, removed, or given a new
 * record object, or a folder's files changing. Otherwise only the rows whose look changed are fired, with the very
 * node objects the view was given: VS Code finds a fired row by its node object (not by TreeItem.id) and ignores one
 * it does not know, so the provider keeps one node per row (the engine's record; one TransferFileNode per file).
 */
export class TransfersTreeProvider implements vscode.TreeDataProvider<TransfersNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TransfersNode | TransfersNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };
  private readonly redraws: RowRedraws<TransfersNode>;
  /** The top rows the view was given (or told to read again) last, in order; undefined until it first asks. */
  private top: readonly TransfersNode[] | undefined;
  /** The file rows of each folder upload whose files the view asked for. */
  private readonly folders = new Map<string, FolderFileNodes>();

  constructor(private readonly engine: TransferEngine) {
    this.redraws = new RowRedraws<TransfersNode>(
      (nodes) => this.changed.fire(nodes),
      () => this.review(),
    );
    // Every engine event (progress up to 10 times a second) is reviewed; what the view redraws is decided there.
    this.subscription = engine.onDidChange(() => this.review());
  }

  getChildren(element?: TransfersNode): TransfersNode[] {
    if (!element) {
      const records = this.engine.list();
      this.top = records.length > 0 ? records : HINTS;
      return [...this.top];
    }
    if (element instanceof TransferFileNode || element instanceof TransfersHint) return [];
    // The record as it is now: the view may hold the one of an earlier refresh.
    const record = this.engine.get(element.id) ?? element;
    if (!hasFileRows(record)) return [];
    return this.folder(record.id).update(record);
  }

  getParent(element: TransfersNode): TransfersNode | undefined {
    return element instanceof TransferFileNode ? this.engine.get(element.transferId) : undefined;
  }

  getTreeItem(node: TransfersNode): vscode.TreeItem {
    if (node instanceof TransfersHint) return hintItem(node);
    if (node instanceof TransferFileNode) {
      this.redraws.drawn(node.id, fileRowSignature(node.file));
      return fileTreeItem(node);
    }
    const item = transferItem(node);
    this.redraws.drawn(node.id, transferSignature(node, item));
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.redraws.dispose();
    this.changed.dispose();
  }

  private folder(id: string): FolderFileNodes {
    const known = this.folders.get(id);
    if (known) return known;
    const folder = new FolderFileNodes(id);
    this.folders.set(id, folder);
    return folder;
  }

  /** After an engine event (or when a deferred redraw is due): the whole tree, the rows whose look changed, or nothing. */
  private review(): void {
    if (!this.top) return;
    const records = this.engine.list();
    const top = records.length > 0 ? records : HINTS;
    if (!sameNodes(top, this.top)) return this.redrawAll(records);
    const rows: Row<TransfersNode>[] = [];
    for (const record of records) {
      rows.push({ id: record.id, node: record, signature: transferSignature(record) });
      const folder = this.folders.get(record.id);
      // A transfer that neither runs nor changed state since its files were read changes no file row.
      if (!folder || (folder.state === record.state && record.state !== 'running' && record.state !== 'queued')) continue;
      const files = hasFileRows(record) ? uploadFileRows(record) : [];
      if (fileOrder(files) !== folder.order) return this.redrawAll(records);
      for (const node of folder.update(record, files)) rows.push({ id: node.id, node, signature: fileRowSignature(node.file) });
    }
    this.redraws.review(rows);
  }

  /** Tells the view to read every row again; remembers what it will read, so that the next event is not news. */
  private redrawAll(records: readonly TransferRecord[]): void {
    this.top = records.length > 0 ? records : HINTS;
    const ids = new Set<string>();
    for (const record of records) {
      ids.add(record.id);
      const folder = this.folders.get(record.id);
      if (folder) for (const node of folder.update(record)) ids.add(node.id);
    }
    for (const id of [...this.folders.keys()]) if (!ids.has(id)) this.folders.delete(id);
    this.redraws.keepOnly(ids);
    this.changed.fire(undefined);
  }
}
