// Wires the pandora area: the signed client, the Pandora view, its commands and the two editor panels.
import * as vscode from 'vscode';
import { PandoraClient, type PandoraAuth } from '../api/pandora/client';
import { PandoraDialogs } from '../commands/pandora/dialogs';
import { PandoraPickers } from '../commands/pandora/pickers';
import { registerPandoraCommands } from '../commands/pandora/register';
import type { ConflictResolver } from '../languages/pandoraSql/conflict';
import { activatePandoraSql } from '../languages/pandoraSql/register';
import type { CoreServices } from '../platform/core';
import type { Notifier } from '../platform/notifications';
import type { CredentialStore } from '../platform/secrets';
import { PandoraRunDetailsProvider, RUN_DETAILS_SCHEME } from '../providers/pandoraRunDetails';
import type { FailedRun } from '../providers/pandoraRunWatch';
import { PandoraTreeProvider } from '../providers/pandoraTree';
import { ViewRecovery } from '../providers/viewProblems';
import { publishSetup } from '../platform/setupState';
import { EXPORT_EDITOR_VIEW_TYPE, ExportEditorPanel } from '../webviews/exportEditorPanel';
import { JOB_EDITOR_VIEW_TYPE, JobEditorPanel } from '../webviews/jobEditorPanel';
import type { PandoraPanelDeps } from '../webviews/jobEditorPanelSupport';
import { PanelRegistry } from '../webviews/registry';

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

export interface PandoraArea {
  tree: PandoraTreeProvider;
  dialogs: PandoraDialogs;
  /** The open save conflict of a job's SQL document. */
  sqlConflicts: ConflictResolver;
  /** The open job editor of `job` (undefined: the new job's), or export editor of `job`'s `exportName` (undefined: a new export). */
  panel(kind: 'job' | 'export', job: string | undefined, exportName?: string): JobEditorPanel | ExportEditorPanel | undefined;
}

export function activatePandoraArea(core: Pick<CoreServices, 'context' | 'commands' | 'settings' | 'credentials' | 'logger' | 'prompts' | 'notifier' | 'pages'>): PandoraArea {
  const { context, commands, settings, credentials } = core;
  const client = new PandoraClient({
    baseUrl: () => settings.baseUrl('pandora'),
    auth: () => pandoraAuth(credentials),
    logger: core.logger,
    translate: (template) => vscode.l10n.t(template),
    language: vscode.env.language,
    limits: () => settings.httpLimits(),
    signedPath: () => settings.pandoraSignedPath(),
  });
  /** Also picks the view's welcome text: `datahub.pandora.missing` names the endpoint, else the credentials. */
  const configured = async (): Promise<boolean> => {
    const ok = await publishSetup(settings, 'pandora', (await pandoraAuth(credentials)) !== undefined);
    void vscode.commands.executeCommand('setContext', 'datahub.pandora.configured', ok);
    return ok;
  };
  const recovery = new ViewRecovery('pandora', () => settings.baseUrl('pandora'), 'datahub.pandora.refresh', () => tree.refresh(), () => settings.viewRetrySeconds());
  const tree = new PandoraTreeProvider(client, configured, () => settings.pandoraHistoryPageSize(), () => settings.pandoraRefreshSeconds(), recovery);
  const view = vscode.window.createTreeView('datahub.pandora', { treeDataProvider: tree, showCollapseAll: true });
  recovery.watch(view);
  const runDetails = new PandoraRunDetailsProvider(client);
  context.subscriptions.push(
    recovery,
    tree,
    view,
    runDetails,
    vscode.workspace.registerTextDocumentContentProvider(RUN_DETAILS_SCHEME, runDetails),
    tree.onDidSeeFailedRuns((failed) => failed.forEach((f) => void notifyFailed(core.notifier, f))),
    credentials.onDidChange(() => tree.refresh()),
    settings.onDidChange((e) => {
      if (e.affectsConfiguration('datahub.endpoints.pandora') || e.affectsConfiguration('datahub.pandora')) tree.refresh();
    }),
  );
  const appId = async (): Promise<string> => {
    const auth = await pandoraAuth(credentials);
    return auth?.kind === 'keys' ? auth.accessKey : 'datahub-vscode';
  };
  // A job's SQL as a document of its own, with the pandora-sql language features.
  const pickers = new PandoraPickers(client, core.prompts, core.notifier);
  const sql = activatePandoraSql({ client, commands, subscriptions: context.subscriptions, appId, pickJob: (arg) => pickers.job(arg), refreshTree: () => tree.refresh() });
  const jobEditors = new PanelRegistry<JobEditorPanel>();
  const exportEditors = new PanelRegistry<ExportEditorPanel>();
  context.subscriptions.push(jobEditors, exportEditors);
  const panels: PandoraPanelDeps = {
    client,
    jobEditors,
    exportEditors,
    extensionUri: context.extensionUri,
    newJobSql: sql.newJobs,
    logger: core.logger,
    appId,
    refreshTree: () => tree.refresh(),
    prompts: core.prompts,
    pages: core.pages,
    endpoint: (backend) => core.settings.baseUrl(backend),
  };
  // Editors open at a window reload come back with their unsaved edits (the page keeps them in its webview state).
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(JOB_EDITOR_VIEW_TYPE, { deserializeWebviewPanel: async (panel, state: unknown) => JobEditorPanel.revive(panels, panel, state) }),
    vscode.window.registerWebviewPanelSerializer(EXPORT_EDITOR_VIEW_TYPE, { deserializeWebviewPanel: async (panel, state: unknown) => ExportEditorPanel.revive(panels, panel, state) }),
  );
  const dialogs = new PandoraDialogs();
  registerPandoraCommands({ commands, credentials, client, tree, panels, prompts: core.prompts, dialogs, notifier: core.notifier, runDetails });
  return {
    tree,
    dialogs,
    sqlConflicts: sql.conflicts,
    panel: (kind, job, exportName) => {
      if (kind === 'job') return JobEditorPanel.find(panels, job);
      return job === undefined ? undefined : ExportEditorPanel.find(panels, job, exportName);
    },
  };
}

/** "daily_traffic run 7 failed — Show Run": the failure a poll of the view found, with the way to its details. */
async function notifyFailed(notifier: Notifier, failed: FailedRun): Promise<void> {
  const show = vscode.l10n.t('Show Run');
  const choice = await notifier.show('error', vscode.l10n.t('{0} run {1} failed', failed.job, failed.run.runId), show);
  if (choice === show) await vscode.commands.executeCommand('datahub.pandora.showRun', { kind: 'run', job: failed.job, run: failed.run });
}
