// Wires the connectors area: the ingest client, the Connectors and Load Tasks views, their commands, the form and polling.
import * as vscode from 'vscode';
import { IngestClient } from '../api/ingest/client';
import { isDecimalId } from '../api/ingest/validation';
import { ValidationError } from '../api/errors';
import { connectorOf } from '../commands/connectors/connectorOf';
import { copyConnectorId } from '../commands/connectors/copyId';
import { filterFileTypes } from '../commands/connectors/filterFileTypes';
import { validateConnector } from '../commands/connectors/validate';
import { copyLoadTaskId } from '../commands/loadTasks/copyId';
import { createLoadTask } from '../commands/loadTasks/createLoadTask';
import { deleteLoadTask } from '../commands/loadTasks/delete';
import type { IngestCommandDeps } from '../commands/loadTasks/deps';
import { editLoadTask } from '../commands/loadTasks/edit';
import { filterLoadTasks } from '../commands/loadTasks/filter';
import { pauseLoadTask, resumeLoadTask } from '../commands/loadTasks/pauseResume';
import { retryFailedFiles } from '../commands/loadTasks/retryFailed';
import { showLoadTaskDetails } from '../commands/loadTasks/showDetails';
import type { CoreServices } from '../platform/core';
import { fileTypeLabel, intervalLabel, taskStatusLabel } from '../providers/connectorsPresentation';
import { ConnectorsTreeProvider, type ConnectorTreeNode } from '../providers/connectorsTree';
import { DETAILS_SCHEME, LoadTaskDetailsProvider } from '../providers/loadTasksDetails';
import { LoadTasksPoller } from '../providers/loadTasksPoller';
import { LoadTasksTreeProvider, type LoadTaskTreeNode } from '../providers/loadTasksTree';
import { ViewRecovery } from '../providers/viewProblems';
import { publishSetup } from '../platform/setupState';
import { CONNECTOR_FORM_VIEW_TYPE, openConnectorForm, reviveConnectorForm, type ConnectorFormDeps, type ConnectorFormPanel } from '../webviews/connectorForm';
import { PanelRegistry } from '../webviews/registry';

export interface ConnectorsArea {
  connectorsTree: ConnectorsTreeProvider;
  loadTasksTree: LoadTasksTreeProvider;
}

export function activateConnectorsArea(core: Pick<CoreServices, 'context' | 'commands' | 'settings' | 'credentials' | 'logger' | 'prompts' | 'notifier' | 'pages'>): ConnectorsArea {
  const { context, commands, settings } = core;
  const subs = context.subscriptions;
  const credentials = async (): Promise<{ userId?: string; accessToken?: string; uid?: string }> => ({
    userId: await core.credentials.get('ingest', 'userId'),
    accessToken: await core.credentials.get('ingest', 'accessToken'),
    uid: await core.credentials.get('ingest', 'uid'),
  });
  /**
   * Both views ask before loading; the answer also picks their welcome text (context key `datahub.ingest.missing`:
   * the endpoint, else the credentials). user-id and uid are needed; Access-Token is optional (001's own examples
   * omit it or send it empty).
   */
  const credentialsReady = async (): Promise<boolean> => {
    const c = await credentials();
    return publishSetup(settings, 'ingest', !!(c.userId && c.uid));
  };
  const client = new IngestClient({
    baseUrl: () => settings.baseUrl('ingest'),
    credentials,
    logger: core.logger,
    multiValueQuery: () => settings.ingestMultiValueQuery(),
    limits: () => settings.httpLimits(),
  });

  const recovery = (command: string, refresh: () => void): ViewRecovery => new ViewRecovery('ingest', () => settings.baseUrl('ingest'), command, refresh, () => settings.viewRetrySeconds());
  const connectorsRecovery = recovery('datahub.connectors.refresh', () => connectorsTree.refresh());
  const loadTasksRecovery = recovery('datahub.loadTasks.refresh', () => loadTasksTree.refresh());
  const connectorsTree = new ConnectorsTreeProvider(client, credentialsReady, connectorsRecovery);
  const loadTasksTree = new LoadTasksTreeProvider(client, credentialsReady, () => settings.loadTaskFilesPageSize(), loadTasksRecovery);
  const details = new LoadTaskDetailsProvider(client);
  const connectorsView = vscode.window.createTreeView<ConnectorTreeNode>('datahub.connectors', { treeDataProvider: connectorsTree, canSelectMany: true, showCollapseAll: true });
  const loadTasksView = vscode.window.createTreeView<LoadTaskTreeNode>('datahub.loadTasks', { treeDataProvider: loadTasksTree, canSelectMany: true, showCollapseAll: true });
  const poller = new LoadTasksPoller(loadTasksView, loadTasksTree, () => settings.loadTasksPollMs());
  connectorsRecovery.watch(connectorsView);
  loadTasksRecovery.watch(loadTasksView);
  subs.push(connectorsRecovery, loadTasksRecovery, connectorsTree, loadTasksTree, details, connectorsView, loadTasksView, poller, vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, details));

  /** The views' descriptions name the active filters. */
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
    settings.onDidChange((e) => {
      if (e.affectsConfiguration('datahub.endpoints.ingest') || e.affectsConfiguration('datahub.loadTasks') || e.affectsConfiguration('datahub.ingest')) refreshAll();
    }),
  );

  const deps: IngestCommandDeps = { client, prompts: core.prompts, notifier: core.notifier, connectorsTree, loadTasksTree, state: context.globalState };
  const forms = new PanelRegistry<ConnectorFormPanel>();
  subs.push(forms);
  const formDeps: ConnectorFormDeps = { extensionUri: context.extensionUri, forms, client, logger: core.logger, onSaved: refreshAll, prompts: core.prompts, pages: core.pages, endpoint: (backend) => core.settings.baseUrl(backend) };
  const openForm = (connector?: Parameters<typeof openConnectorForm>[1]): void => {
    openConnectorForm(formDeps, connector);
  };
  // A form open at a window reload comes back with its unsaved edits (never the secret).
  subs.push(vscode.window.registerWebviewPanelSerializer(CONNECTOR_FORM_VIEW_TYPE, { deserializeWebviewPanel: (panel, state: unknown) => reviveConnectorForm(formDeps, panel, state) }));

  commands.register('datahub.connectors.add', () => openForm());
  commands.register('datahub.connectors.refresh', () => connectorsTree.refresh());
  commands.register('datahub.connectors.filterFileTypes', () => filterFileTypes(deps, updateDescriptions));
  commands.register('datahub.connectors.validate', (node?: unknown) => validateConnector(deps, node));
  commands.register('datahub.connectors.edit', async (node?: unknown) => {
    const connector = await connectorOf(deps, node, vscode.l10n.t('Edit Connector'));
    if (connector) openForm(connector);
    return connector !== undefined;
  });
  commands.register('datahub.connectors.copyId', (node?: unknown) => copyConnectorId(deps, node));
  commands.register('datahub.connectors.createLoadTask', (node?: unknown, nodes?: unknown) => createLoadTask(deps, node, nodes));

  commands.register('datahub.loadTasks.refresh', () => loadTasksTree.refresh());
  commands.register('datahub.loadTasks.create', () => createLoadTask(deps));
  commands.register('datahub.loadTasks.filter', () => filterLoadTasks(deps, updateDescriptions));
  commands.register('datahub.loadTasks.pause', (node?: unknown) => pauseLoadTask(deps, node));
  commands.register('datahub.loadTasks.resume', (node?: unknown) => resumeLoadTask(deps, node));
  commands.register('datahub.loadTasks.retryFailed', (node?: unknown, nodes?: unknown) => retryFailedFiles(deps, node, nodes));
  commands.register('datahub.loadTasks.edit', (node?: unknown) => editLoadTask(deps, node));
  commands.register('datahub.loadTasks.delete', (node?: unknown) => deleteLoadTask(deps, node));
  commands.register('datahub.loadTasks.copyId', (node?: unknown) => copyLoadTaskId(node));
  commands.register('datahub.loadTasks.showDetails', (node?: unknown) => showLoadTaskDetails(deps, details, node));
  // The argument of the "Load more…" item's own command.
  commands.register('datahub.loadTasks.loadMore', async (taskId?: unknown) => {
    if (!isDecimalId(taskId)) throw new ValidationError('task_id', 'must be a decimal id string');
    await loadTasksTree.loadMore(taskId);
  });
  return { connectorsTree, loadTasksTree };
}
