// Wires the connectors area: the ingest client, the Connectors and Load Tasks views, their commands, the form and polling.
import * as vscode from 'vscode';
import { IngestClient, MULTI_VALUE_QUERIES, type MultiValueQuery } from '../api/ingest/client';
import { registerConnectorCommands } from '../commands/connectors';
import { registerLoadTaskCommands } from '../commands/loadTasks';
import type { CoreServices } from '../platform/core';
import { fileTypeLabel, intervalLabel, taskStatusLabel } from '../providers/connectorsPresentation';
import { ConnectorsTreeProvider, type ConnectorTreeNode } from '../providers/connectorsTree';
import { DETAILS_SCHEME, LoadTaskDetailsProvider } from '../providers/loadTasksDetails';
import { LoadTasksPoller } from '../providers/loadTasksPoller';
import { LoadTasksTreeProvider, type LoadTaskTreeNode } from '../providers/loadTasksTree';
import { openConnectorForm } from '../webviews/connectorForm';
import type { TreeSnapshotEntry } from '../extensionApi';

function numberSetting(key: string, fallback: number, min: number, max: number): number {
  const value = vscode.workspace.getConfiguration('datahub').get<number>(key, fallback);
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback;
}

export function activateConnectorsArea(core: CoreServices): void {
  const subs = core.context.subscriptions;
  const credentials = async (): Promise<{ userId?: string; accessToken?: string; uid?: string }> => ({
    userId: await core.credentials.get('ingest', 'userId'),
    accessToken: await core.credentials.get('ingest', 'accessToken'),
    uid: await core.credentials.get('ingest', 'uid'),
  });
  /**
   * Both views ask before loading; the answer also picks their welcome text (context key). user-id and
   * uid are needed; Access-Token is optional (001's own examples omit it or send it empty).
   */
  const credentialsReady = async (): Promise<boolean> => {
    const c = await credentials();
    const ready = !!(c.userId && c.uid);
    await vscode.commands.executeCommand('setContext', 'datahub.ingest.credentialsMissing', !ready);
    return ready;
  };
  const multiValueQuery = (): MultiValueQuery => {
    const value = vscode.workspace.getConfiguration('datahub').get<string>('ingest.multiValueQuery', 'repeat');
    return MULTI_VALUE_QUERIES.find((q) => q === value) ?? 'repeat';
  };
  const client = new IngestClient({ baseUrl: () => core.settings.baseUrl('ingest'), credentials, logger: core.logger, multiValueQuery, limits: () => core.settings.httpLimits() });

  const connectorsTree = new ConnectorsTreeProvider(client, credentialsReady);
  const loadTasksTree = new LoadTasksTreeProvider(client, credentialsReady, () => numberSetting('loadTasks.filesPageSize', 50, 1, 100));
  const details = new LoadTaskDetailsProvider(client);
  const connectorsView = vscode.window.createTreeView<ConnectorTreeNode>('datahub.connectors', { treeDataProvider: connectorsTree, canSelectMany: true, showCollapseAll: true });
  const loadTasksView = vscode.window.createTreeView<LoadTaskTreeNode>('datahub.loadTasks', { treeDataProvider: loadTasksTree, canSelectMany: true, showCollapseAll: true });
  const poller = new LoadTasksPoller(loadTasksView, loadTasksTree, () => numberSetting('loadTasks.pollSeconds', 3, 1, 60) * 1000);
  subs.push(connectorsTree, loadTasksTree, details, connectorsView, loadTasksView, poller, vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, details));

  const updateDescriptions = (): void => {
    const types = connectorsTree.fileTypeFilter;
    connectorsView.description = types.length ? vscode.l10n.t('Filtered: {0}', types.map(fileTypeLabel).join(', ')) : undefined;
    const f = loadTasksTree.filter;
    const parts = [...(f.status ?? []).map(taskStatusLabel), ...(f.intervalTypes ?? []).map((t) => intervalLabel(t, 1))];
    loadTasksView.description = parts.length ? vscode.l10n.t('Filtered: {0}', parts.join(', ')) : undefined;
  };

  const refreshAll = (): void => {
    connectorsTree.refresh();
    loadTasksTree.refresh();
  };
  subs.push(
    core.credentials.onDidChange(refreshAll),
    core.settings.onDidChange((e) => {
      if (e.affectsConfiguration('datahub.endpoints.ingest') || e.affectsConfiguration('datahub.loadTasks') || e.affectsConfiguration('datahub.ingest')) refreshAll();
    }),
  );

  const deps = {
    commands: core.commands,
    client,
    connectorsTree,
    loadTasksTree,
    details,
    state: core.context.globalState,
    updateDescriptions,
    openForm: (connector?: Parameters<typeof openConnectorForm>[1]) => {
      openConnectorForm({ extensionUri: core.context.extensionUri, client, logger: core.logger, onSaved: refreshAll }, connector);
    },
  };
  registerConnectorCommands(deps);
  registerLoadTaskCommands(deps);
  registerSnapshotCommands(core, connectorsTree, loadTasksTree);
}

type SnapshotEntry = TreeSnapshotEntry;

/**
 * Internal, undeclared commands (`datahub.internal.*`) that return what a tree shows, as the tree
 * would render it; the integration suites read the views through them.
 */
function registerSnapshotCommands(core: CoreServices, connectors: ConnectorsTreeProvider, loadTasks: LoadTasksTreeProvider): void {
  const snapshot = async <T>(provider: vscode.TreeDataProvider<T>, parent: T | undefined, depth: number): Promise<SnapshotEntry[]> => {
    const nodes = (await provider.getChildren(parent)) ?? [];
    const out: SnapshotEntry[] = [];
    for (const node of nodes) {
      const item = await provider.getTreeItem(node);
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip;
      const entry: SnapshotEntry = {
        node,
        id: item.id,
        label,
        description: typeof item.description === 'string' ? item.description : undefined,
        tooltip,
        contextValue: item.contextValue,
        icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
      };
      if (depth > 0 && item.collapsibleState !== vscode.TreeItemCollapsibleState.None) entry.children = await snapshot(provider, node, depth - 1);
      out.push(entry);
    }
    return out;
  };
  const depthOf = (arg: unknown): number => (typeof arg === 'number' && Number.isInteger(arg) && arg >= 0 && arg <= 5 ? arg : 1);
  core.commands.register('datahub.internal.connectorsSnapshot', (depth?: unknown) => snapshot(connectors, undefined, depthOf(depth)));
  core.commands.register('datahub.internal.loadTasksSnapshot', (depth?: unknown) => snapshot(loadTasks, undefined, depthOf(depth)));
}
