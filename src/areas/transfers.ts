// Wires the Transfers area: the view, the status bar item, the upload and control commands, notifications.
import * as vscode from 'vscode';
import { registerTransferCommands } from '../commands/transfers';
import { registerDownloadCommands } from '../commands/download';
import { SubtaskPicker } from '../commands/subtaskPicker';
import { registerSimulationUploadCommand } from '../commands/simulationUpload';
import type { CoreServices } from '../platform/core';
import { TransfersTreeProvider } from '../providers/transfersTree';
import { TransferStatusBar } from '../providers/transferStatusBar';
import type { TransferRecord, TransferState } from '../transfer/types';
import type { DatahubExtensionApi } from '../extensionApi';

export function activateTransfersArea(core: CoreServices): DatahubExtensionApi {
  const { context, engine } = core;
  const tree = new TransfersTreeProvider(engine);
  const view = vscode.window.createTreeView('datahub.transfers', { treeDataProvider: tree, canSelectMany: false });
  const statusBar = new TransferStatusBar(engine);
  context.subscriptions.push(tree, view, statusBar);
  registerTransferCommands({ commands: core.commands, engine, subtasks: new SubtaskPicker(context.globalState) });
  registerDownloadCommands(core);
  registerSimulationUploadCommand({ commands: core.commands, engine, state: context.globalState });
  context.subscriptions.push(notifyOnFinish(core));
  return {
    transfers: () => engine.list().map((r) => structuredClone(r)),
    transferViewItems: () =>
      tree.getChildren().map((r) => {
        const item = tree.getTreeItem(r);
        return { id: r.id, label: String(item.label), description: String(item.description ?? ''), contextValue: item.contextValue ?? '' };
      }),
    transferStatusBar: () => statusBar.snapshot(),
  };
}

/** With datahub.transfer.autoResume, continues what the last session left running; called once every protocol is registered. */
export function resumeInterrupted(core: CoreServices, interrupted: readonly TransferRecord[]): void {
  if (interrupted.length === 0 || !core.settings.transfer().autoResume) return;
  for (const record of interrupted) core.engine.resume(record.id);
  core.logger.info(`auto-resumed ${interrupted.length} interrupted transfer(s)`);
}

/** A notification when a transfer ends: success quietly, failure with Retry and Show Log. */
function notifyOnFinish(core: CoreServices): { dispose(): void } {
  const last = new Map<string, TransferState>();
  for (const r of core.engine.list()) last.set(r.id, r.state);
  return core.engine.onDidChange((record?: TransferRecord) => {
    if (!record) return;
    const previous = last.get(record.id);
    last.set(record.id, record.state);
    if (previous === record.state) return;
    if (record.state === 'completed') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Transfer finished: {0}', record.label));
    } else if (record.state === 'failed' && record.errorKind === 'source-changed') {
      const startOver = vscode.l10n.t('Start Over');
      void vscode.window.showWarningMessage(vscode.l10n.t('Cannot resume {0}: {1}', record.label, record.error ?? ''), startOver).then((choice) => {
        if (choice === startOver) core.engine.retry(record.id);
      });
    } else if (record.state === 'failed') {
      const retry = vscode.l10n.t('Retry');
      const showLog = vscode.l10n.t('Show Log');
      void vscode.window.showErrorMessage(vscode.l10n.t('Transfer failed: {0} — {1}', record.label, record.error ?? ''), retry, showLog).then((choice) => {
        if (choice === retry) core.engine.retry(record.id);
        if (choice === showLog) core.channel.show(true);
      });
    }
  });
}
