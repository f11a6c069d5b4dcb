// Wires the pandora area: the signed client, the Pandora view, its commands and the two editor panels.
import * as vscode from 'vscode';
import { PandoraClient, type PandoraAuth } from '../api/pandora/client';
import { registerPandoraCommands } from '../commands/pandora';
import { PandoraPickers } from '../commands/pandoraPickers';
import { activatePandoraSql } from '../languages/pandoraSql/register';
import type { CoreServices } from '../platform/core';
import type { CredentialStore } from '../platform/secrets';
import { PandoraTreeProvider, type PandoraNode } from '../providers/pandoraTree';
import { ExportEditorPanel } from '../webviews/exportEditorPanel';
import { JobEditorPanel } from '../webviews/jobEditorPanel';
import type { PandoraPanelDeps } from '../webviews/jobEditorPanelSupport';

/** AK/SK when both are stored, else a pasted token, else nothing (the view then shows how to set them). */
export async function pandoraAuth(credentials: CredentialStore): Promise<PandoraAuth | undefined> {
  const [accessKey, secretKey, token] = await Promise.all([
    credentials.get('pandora', 'accessKey'),
    credentials.get('pandora', 'secretKey'),
    credentials.get('pandora', 'token'),
  ]);
  if (accessKey && secretKey) return { kind: 'keys', accessKey, secretKey };
  if (token) return { kind: 'token', token };
  return undefined;
}

export function activatePandoraArea(core: CoreServices): void {
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('datahub.pandora');
  const client = new PandoraClient({
    baseUrl: () => core.settings.baseUrl('pandora'),
    auth: () => pandoraAuth(core.credentials),
    logger: core.logger,
    translate: (template) => vscode.l10n.t(template),
    language: vscode.env.language,
    limits: () => core.settings.httpLimits(),
    signedPath: () => (config().get<string>('signedPath', 'decoded') === 'asSent' ? 'asSent' : 'decoded'),
  });
  const configured = async (): Promise<boolean> => {
    const ok = (await pandoraAuth(core.credentials)) !== undefined && core.settings.baseUrl('pandora') !== '';
    void vscode.commands.executeCommand('setContext', 'datahub.pandora.configured', ok);
    return ok;
  };
  const tree = new PandoraTreeProvider(
    client,
    configured,
    () => Math.max(1, Math.min(500, config().get<number>('historyPageSize', 20))),
    () => Math.max(0, config().get<number>('refreshSeconds', 3)),
  );
  const view = vscode.window.createTreeView('datahub.pandora', { treeDataProvider: tree, showCollapseAll: true });
  core.context.subscriptions.push(
    tree,
    view,
    core.credentials.onDidChange(() => tree.refresh()),
    core.settings.onDidChange((e) => {
      if (e.affectsConfiguration('datahub.endpoints.pandora') || e.affectsConfiguration('datahub.pandora')) tree.refresh();
    }),
  );
  const panels: PandoraPanelDeps = {
    client,
    extensionUri: core.context.extensionUri,
    storageUri: core.context.globalStorageUri,
    logger: core.logger,
    appId: async () => {
      const auth = await pandoraAuth(core.credentials);
      return auth?.kind === 'keys' ? auth.accessKey : 'datahub-vscode';
    },
    refreshTree: () => tree.refresh(),
  };
  registerPandoraCommands({ commands: core.commands, credentials: core.credentials, client, tree, panels });
  // A job's SQL as a document of its own, with the pandora-sql language features.
  const pickers = new PandoraPickers(client);
  activatePandoraSql({ client, commands: core.commands, subscriptions: core.context.subscriptions, appId: panels.appId, pickJob: (arg) => pickers.job(arg), refreshTree: () => tree.refresh() });

  // The tree as data (label, description, contextValue, icon, children) for the integration tests.
  core.commands.register('datahub.internal.pandoraSnapshot', async (depth?: unknown) => {
    const walk = async (node: PandoraNode | undefined, level: number): Promise<unknown[]> => {
      const children = await tree.getChildren(node);
      return Promise.all(
        children.map(async (child) => {
          const item = tree.getTreeItem(child);
          const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
          return {
            node: child,
            id: item.id,
            label,
            description: typeof item.description === 'string' ? item.description : undefined,
            contextValue: item.contextValue,
            icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
            children: level > 1 && item.collapsibleState !== vscode.TreeItemCollapsibleState.None ? await walk(child, level - 1) : undefined,
          };
        }),
      );
    };
    return walk(undefined, typeof depth === 'number' ? depth : 2);
  });

  // Test hook (not in the manifest, so not in the palette): delivers a message to an open editor panel as
  // if its page had posted it, and returns what the host answered. It can do nothing the page cannot.
  core.commands.register('datahub.pandora.webviewTestHook', async (arg?: unknown) => {
    // `job` and `export` name the panel's job / export; left out, the new job's (or new export's) editor.
    const { panel, job, export: exportName, message } = (arg ?? {}) as { panel?: unknown; job?: unknown; export?: unknown; message?: unknown };
    const name = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    const target = panel === 'job' ? JobEditorPanel.find(name(job)) : panel === 'export' && typeof job === 'string' ? ExportEditorPanel.find(job, name(exportName)) : undefined;
    if (!target) return undefined;
    // `{pageInitialised: true}` asks whether the page itself has loaded and holds the form.
    if ((arg as { pageInitialised?: unknown }).pageInitialised === true) return target instanceof JobEditorPanel ? target.pageInitialised : undefined;
    return target.handle(message);
  });
}
