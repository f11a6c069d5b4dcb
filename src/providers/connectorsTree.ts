// The Connectors view: OSS/S3 connectors → their source files (directories expand), with a file-type filter.
import * as vscode from 'vscode';
import type { IngestClient } from '../api/ingest/client';
import type { Connector, SourceFile } from '../api/ingest/types';
import { formatBytes } from '../transfer/format';
import { fileTypeIcon, fileTypeLabel, formatTime, SECRET_MASK, sourceTypeLabel } from './connectorsPresentation';
import { textTooltip } from './tooltips';
import { isProblemNode, problemItem, type ProblemNode, type ViewRecovery } from './viewProblems';

export interface ConnectorNode {
  kind: 'connector';
  connector: Connector;
}

export interface SourceFileNode {
  kind: 'sourceFile';
  connectorId: number;
  uri: string;
  name: string;
  size: number;
  type: number;
  isDirectory: boolean;
  children: SourceFileNode[];
}

export interface MessageNode {
  kind: 'message';
  id: string;
  label: string;
  icon: string;
  tooltip?: string;
}

export type ConnectorTreeNode = ConnectorNode | SourceFileNode | MessageNode | ProblemNode;

export function isConnectorNode(value: unknown): value is ConnectorNode {
  return !!value && typeof value === 'object' && (value as ConnectorNode).kind === 'connector' && typeof (value as ConnectorNode).connector?.id === 'number';
}

export function isSourceFileNode(value: unknown): value is SourceFileNode {
  return !!value && typeof value === 'object' && (value as SourceFileNode).kind === 'sourceFile' && typeof (value as SourceFileNode).uri === 'string';
}

/** Builds the directory hierarchy from the flat, recursive list; directories missing from the list are synthesized. */
export function buildFileTree(connectorId: number, files: readonly SourceFile[]): SourceFileNode[] {
  const roots: SourceFileNode[] = [];
  const dirs = new Map<string, SourceFileNode>();
  const dirNode = (path: string): SourceFileNode => {
    let node = dirs.get(path);
    if (node) return node;
    const name = path.split('/').pop() ?? path;
    node = { kind: 'sourceFile', connectorId, uri: path, name, size: 0, type: 10, isDirectory: true, children: [] };
    dirs.set(path, node);
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    (parent ? dirNode(parent).children : roots).push(node);
    return node;
  };
  for (const f of files) {
    const uri = f.uri.replace(/\/+$/, '');
    if (!uri) continue;
    if (f.type === 10) {
      dirNode(uri);
      continue;
    }
    const parent = uri.includes('/') ? uri.slice(0, uri.lastIndexOf('/')) : '';
    const node: SourceFileNode = { kind: 'sourceFile', connectorId, uri: f.uri, name: f.filename || uri.split('/').pop() || uri, size: f.size, type: f.type, isDirectory: false, children: [] };
    (parent ? dirNode(parent).children : roots).push(node);
  }
  const sort = (nodes: SourceFileNode[]): SourceFileNode[] => {
    nodes.sort((a, b) => (a.isDirectory !== b.isDirectory ? (a.isDirectory ? -1 : 1) : a.name.localeCompare(b.name)));
    for (const n of nodes) sort(n.children);
    return nodes;
  };
  return sort(roots);
}

export class ConnectorsTreeProvider implements vscode.TreeDataProvider<ConnectorTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ConnectorTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private fileTypes: number[] = [];
  private connectors: Connector[] = [];
  private readonly files = new Map<number, Promise<SourceFileNode[]>>();

  constructor(
    private readonly client: IngestClient,
    /** False when a credential is missing; the view then shows its "set credentials" welcome. */
    private readonly credentialsReady: () => Promise<boolean>,
    /** Error rows, and the refresh that brings the view back when the backend answers again. */
    private readonly recovery: ViewRecovery,
  ) {}

  dispose(): void {
    this.changed.dispose();
  }

  refresh(): void {
    this.files.clear();
    this.changed.fire(undefined);
  }

  get fileTypeFilter(): readonly number[] {
    return this.fileTypes;
  }

  setFileTypeFilter(types: readonly number[]): void {
    this.fileTypes = [...types];
    this.refresh();
  }

  /** The connectors of the last load (for quick picks). */
  get loadedConnectors(): readonly Connector[] {
    return this.connectors;
  }

  getTreeItem(node: ConnectorTreeNode): vscode.TreeItem {
    if (isProblemNode(node)) return problemItem(node);
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.tooltip = node.tooltip;
      item.contextValue = 'message';
      return item;
    }
    if (node.kind === 'connector') return connectorItem(node.connector);
    const item = new vscode.TreeItem(node.name, node.isDirectory ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `connector:${node.connectorId}:file:${node.uri}`;
    item.iconPath = fileTypeIcon(node.type);
    item.description = node.isDirectory ? (node.children.length === 1 ? vscode.l10n.t('1 item') : vscode.l10n.t('{0} items', node.children.length)) : formatBytes(node.size);
    item.tooltip = textTooltip(node.uri, [
      [vscode.l10n.t('Type'), fileTypeLabel(node.type)],
      [vscode.l10n.t('Size'), node.isDirectory ? undefined : `${formatBytes(node.size)} (${node.size})`],
    ]);
    item.contextValue = node.isDirectory ? 'sourceFile:dir' : 'sourceFile:file';
    return item;
  }

  async getChildren(node?: ConnectorTreeNode): Promise<ConnectorTreeNode[]> {
    if (!node) return this.roots();
    if (node.kind === 'sourceFile') return node.children;
    if (node.kind !== 'connector') return [];
    try {
      const files = await this.filesOf(node.connector.id);
      if (files.length === 0) {
        const label = this.fileTypes.length ? vscode.l10n.t('No file of the filtered types') : vscode.l10n.t('No files in this bucket');
        return [{ kind: 'message', id: `connector:${node.connector.id}:empty`, label, icon: 'info' }];
      }
      return files;
    } catch (err) {
      this.files.delete(node.connector.id);
      return [this.recovery.row(`connector:${node.connector.id}:error`, err)];
    }
  }

  /** Every source file of a connector (flat, directories included), honouring the file-type filter. */
  async filesOf(connectorId: number): Promise<SourceFileNode[]> {
    let pending = this.files.get(connectorId);
    if (!pending) {
      pending = this.client.listConnectorFiles(connectorId, this.fileTypes).then((files) => buildFileTree(connectorId, files));
      this.files.set(connectorId, pending);
    }
    return pending;
  }

  private async roots(): Promise<ConnectorTreeNode[]> {
    this.files.clear();
    if (!(await this.credentialsReady())) {
      this.connectors = [];
      return [];
    }
    try {
      const { connectors } = await this.client.listConnectors();
      this.connectors = connectors;
      return connectors.map((connector) => ({ kind: 'connector', connector }));
    } catch (err) {
      this.connectors = [];
      return [this.recovery.row('connectors:error', err)];
    }
  }
}

function connectorItem(c: Connector): vscode.TreeItem {
  const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `connector:${c.id}`;
  item.iconPath = new vscode.ThemeIcon(c.sourceType === 5 ? 'server' : 'cloud', c.status && c.status !== 'active' ? new vscode.ThemeColor('errorForeground') : undefined);
  const tasks = c.relatedTaskCount === 1 ? vscode.l10n.t('1 task') : vscode.l10n.t('{0} tasks', c.relatedTaskCount);
  item.description = [sourceTypeLabel(c.sourceType), c.status, tasks].filter(Boolean).join(' · ');
  item.contextValue = `connector:${c.sourceType === 5 ? 's3' : 'oss'}`;
  item.tooltip = connectorTooltip(c);
  return item;
}

/** The connector's details; the secret appears only as a mask. */
export function connectorTooltip(c: Connector): vscode.MarkdownString {
  const rows: [string, string][] = [
    [vscode.l10n.t('ID'), String(c.id)],
    [vscode.l10n.t('Type'), sourceTypeLabel(c.sourceType)],
    [vscode.l10n.t('Status'), c.status],
    [vscode.l10n.t('Endpoint'), c.endpoint],
    [vscode.l10n.t('Bucket'), c.bucketName],
    [vscode.l10n.t('Access key ID'), c.accessKeyId],
    [vscode.l10n.t('Access key secret'), c.secretSet ? SECRET_MASK : vscode.l10n.t('(not set)')],
  ];
  if (c.region !== undefined) rows.push([vscode.l10n.t('Region'), c.region]);
  if (c.pathStyle !== undefined) rows.push([vscode.l10n.t('Addressing'), c.pathStyle ? vscode.l10n.t('path style') : vscode.l10n.t('virtual host')]);
  rows.push([vscode.l10n.t('Created by'), c.username], [vscode.l10n.t('Created'), formatTime(c.createdAt)], [vscode.l10n.t('Updated'), formatTime(c.updatedAt)]);
  if (c.relatedTaskIds.length) rows.push([vscode.l10n.t('Load tasks'), c.relatedTaskIds.join(', ')]);
  return textTooltip(c.name, rows);
}
