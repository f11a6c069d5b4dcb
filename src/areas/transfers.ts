// Wires the Transfers area: the view, the status bar item, the upload and control commands, notifications.
import * as vscode from 'vscode';
import type { Backend } from '../platform/settings';
import { registerTransferCommands, rememberWhenCompleted } from '../commands/transfers';
import { downloadSubtaskInput } from '../commands/download';
import { SubtaskPicker } from '../commands/subtaskPicker';
import { uploadForSimulation } from '../commands/simulationUpload';
import type { CoreServices } from '../platform/core';
import { TransfersDragAndDrop } from '../providers/transfersDragAndDrop';
import { TransfersTreeProvider } from '../providers/transfersTree';
import { TransferStatusBar } from '../providers/transferStatusBar';
import type { TransferEngine } from '../transfer/engine';
import type { TransferRuntime } from '../transfer/runtime';
import { DATAHUB_UPLOAD_KIND, type DatahubUploadParams } from '../transfer/protocols/datahubUpload';
import { isTransferOf, type TransferRecord, type TransferState } from '../transfer/types';
import { TransferNotices } from '../providers/transferNotices';
import { showTransferDetails } from '../commands/showTransferDetails';
import { TransferActivityLog } from '../transfer/transferActivity';
import { PanelRegistry } from '../webviews/registry';
import type { TransferDetailsPanel } from '../webviews/transferDetailsPanel';

export interface TransfersArea {
  tree: TransfersTreeProvider;
  statusBar: TransferStatusBar;
  notices: TransferNotices;
  /** The open details page of a transfer. */
  details(id: string): TransferDetailsPanel | undefined;
}

type TransfersCore = Pick<CoreServices, 'context' | 'commands' | 'prompts' | 'channel' | 'logger' | 'pages' | 'settings'>;

export function activateTransfersArea(core: TransfersCore, runtime: TransferRuntime): TransfersArea {
  const { context, commands, prompts } = core;
  const { engine, datahub } = runtime;
  const tree = new TransfersTreeProvider(engine);
  const dragAndDrop = new TransfersDragAndDrop((uris) => vscode.commands.executeCommand('datahub.upload', uris[0], uris));
  const view = vscode.window.createTreeView('datahub.transfers', { treeDataProvider: tree, canSelectMany: false, dragAndDropController: dragAndDrop });
  const statusBar = new TransferStatusBar(engine);
  context.subscriptions.push(tree, view, statusBar);
  const subtasks = new SubtaskPicker(context.globalState, prompts);
  const notices = new TransferNotices();
  registerTransferCommands({ commands, runtime, prompts, subtasks, notices, statusBar });
  commands.register('datahub.download', () => downloadSubtaskInput({ engine, datahub, prompts, subtasks }));
  // Samples and part states from the start of the session, so a details page opened later has the history.
  const activity = new TransferActivityLog(engine);
  context.subscriptions.push(activity);
  const detailsPanels = new PanelRegistry<TransferDetailsPanel>();
  context.subscriptions.push(detailsPanels);
  const detailsDeps = { extensionUri: context.extensionUri, engine, activity, journalFile: (id: string) => runtime.journal.recordFile(id), logger: core.logger, prompts, pages: core.pages, panels: detailsPanels, endpoint: (backend: Backend) => core.settings.baseUrl(backend) };
  commands.register('datahub.transfers.showDetails', (node?: unknown) => showTransferDetails(detailsDeps, node));
  commands.register('datahub.uploadSimulation', (clicked?: unknown) => uploadForSimulation({ engine, prompts, state: context.globalState }, clicked));
  context.subscriptions.push(notifyOnFinish(engine, core.channel, notices, subtasks));
  return { tree, statusBar, notices, details: (id: string) => detailsPanels.get(id) };
}

/**
 * With datahub.transfer.autoResume, continues what the last session left running; without it, says once how many
 * were interrupted, with Resume All and Show. Called once every protocol is registered.
 */
export function resumeInterrupted(core: Pick<CoreServices, 'settings' | 'logger'>, engine: TransferEngine, interrupted: readonly TransferRecord[], notices: TransferNotices): void {
  if (interrupted.length === 0) return;
  if (core.settings.transfer().autoResume) {
    for (const record of interrupted) engine.resume(record.id);
    core.logger.info(`auto-resumed ${interrupted.length} interrupted transfer(s)`);
    return;
  }
  void notifyInterrupted(engine, interrupted, notices);
}

/** "3 transfers were interrupted — Resume All / Show": one notification for all of them. */
export async function notifyInterrupted(engine: TransferEngine, interrupted: readonly TransferRecord[], notices: TransferNotices): Promise<void> {
  const resumeAll = vscode.l10n.t('Resume All');
  const show = vscode.l10n.t('Show');
  const message =
    interrupted.length === 1 ? vscode.l10n.t('1 transfer was interrupted: {0}', interrupted[0].label) : vscode.l10n.t('{0} transfers were interrupted.', interrupted.length);
  const choice = await notices.show('info', message, resumeAll, show);
  if (choice === resumeAll) {
    // Only those still paused: one the user resumed or cleared meanwhile is left as it is.
    for (const record of interrupted) if (engine.get(record.id)?.state === 'paused') engine.resume(record.id);
  } else if (choice === show) {
    await vscode.commands.executeCommand('datahub.transfers.focus');
  }
}

/** A failed upload to a subtask: the same files go to another subtask, and the failed transfer leaves the list. */
async function changeSubtask(engine: TransferEngine, subtasks: SubtaskPicker, record: TransferRecord): Promise<void> {
  if (!isTransferOf(DATAHUB_UPLOAD_KIND, record)) return;
  const subtaskId = await subtasks.pick(vscode.l10n.t('Upload {0} to another subtask', record.label));
  if (!subtaskId) return;
  const { files } = record.params;
  const next = engine.start(DATAHUB_UPLOAD_KIND, { subtaskId, files }, { label: record.label, localPath: record.localPath, bytesTotal: files.reduce((s, f) => s + f.size, 0) });
  engine.clear([record.id]);
  rememberWhenCompleted(engine, next.id, subtasks, subtaskId);
}

/** One notification per upload, however many files: "3 files uploaded to demo-subtask-001", with Reveal (and Open for one file). */
async function notifyUploaded(notices: TransferNotices, record: TransferRecord<DatahubUploadParams>): Promise<void> {
  const { files, subtaskId } = record.params;
  const reveal = vscode.l10n.t('Reveal in Explorer');
  const open = vscode.l10n.t('Open');
  const message = files.length === 1 ? vscode.l10n.t('{0} uploaded to {1}', files[0].name, subtaskId) : vscode.l10n.t('{0} files uploaded to {1}', files.length, subtaskId);
  const buttons = record.localPath ? (files.length === 1 ? [open, reveal] : [reveal]) : [];
  const choice = await notices.show('info', message, ...buttons);
  if (choice === reveal && record.localPath) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(record.localPath));
  if (choice === open && files[0]) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(files[0].path));
}

/** A notification when a transfer ends: success quietly, failure with Retry and Show Log (and Change Subtask… when the subtask was refused). */
function notifyOnFinish(engine: TransferEngine, channel: vscode.LogOutputChannel, notices: TransferNotices, subtasks: SubtaskPicker): { dispose(): void } {
  const last = new Map<string, TransferState>();
  for (const r of engine.list()) last.set(r.id, r.state);
  return engine.onDidChange((record?: TransferRecord) => {
    if (!record) return;
    const previous = last.get(record.id);
    last.set(record.id, record.state);
    if (previous === record.state) return;
    if (record.state === 'completed' && isTransferOf(DATAHUB_UPLOAD_KIND, record)) {
      void notifyUploaded(notices, record);
    } else if (record.state === 'completed') {
      void notices.show('info', vscode.l10n.t('Transfer finished: {0}', record.label));
    } else if (record.state === 'failed' && record.errorKind === 'source-changed') {
      const startOver = vscode.l10n.t('Start Over');
      void notices.show('warning', vscode.l10n.t('Cannot resume {0}: {1}', record.label, record.error ?? ''), startOver).then((choice) => {
        if (choice === startOver) engine.retry(record.id);
      });
    } else if (record.state === 'failed') {
      const retry = vscode.l10n.t('Retry');
      const showLog = vscode.l10n.t('Show Log');
      const change = vscode.l10n.t('Change Subtask…');
      // The subtask is what was refused (unknown, closed): another one is the fix, not a retry.
      const offerChange = isTransferOf(DATAHUB_UPLOAD_KIND, record) && /subtask/i.test(record.error ?? '');
      const buttons = offerChange ? [change, retry, showLog] : [retry, showLog];
      void notices.show('error', vscode.l10n.t('Transfer failed: {0} — {1}', record.label, record.error ?? ''), ...buttons).then((choice) => {
        if (choice === retry) engine.retry(record.id);
        if (choice === showLog) channel.show(true);
        if (choice === change) void changeSubtask(engine, subtasks, record);
      });
    }
  });
}
