// Wires the Transfers area: the view, the status bar item, the upload and control commands, notifications.
import * as vscode from 'vscode';
import { registerTransferCommands } from '../commands/transfers';
import { downloadSubtaskInput } from '../commands/download';
import { SubtaskPicker } from '../commands/subtaskPicker';
import { uploadForSimulation } from '../commands/simulationUpload';
import type { CoreServices } from '../platform/core';
import { TransfersDragAndDrop } from '../providers/transfersDragAndDrop';
import { TransfersTreeProvider } from '../providers/transfersTree';
import { TransferStatusBar } from '../providers/transferStatusBar';
import type { TransferEngine } from '../transfer/engine';
import type { TransferRuntime } from '../transfer/runtime';
import type { TransferRecord, TransferState } from '../transfer/types';

export interface TransfersArea {
  tree: TransfersTreeProvider;
  statusBar: TransferStatusBar;
}

type TransfersCore = Pick<CoreServices, 'context' | 'commands' | 'prompts' | 'channel'>;

export function activateTransfersArea(core: TransfersCore, runtime: TransferRuntime): TransfersArea {
  const { context, commands, prompts } = core;
  const { engine, datahub } = runtime;
  const tree = new TransfersTreeProvider(engine);
  const dragAndDrop = new TransfersDragAndDrop((uris) => vscode.commands.executeCommand('datahub.upload', uris[0], uris));
  const view = vscode.window.createTreeView('datahub.transfers', { treeDataProvider: tree, canSelectMany: false, dragAndDropController: dragAndDrop });
  const statusBar = new TransferStatusBar(engine);
  context.subscriptions.push(tree, view, statusBar);
  const subtasks = new SubtaskPicker(context.globalState, prompts);
  registerTransferCommands({ commands, runtime, prompts, subtasks });
  commands.register('datahub.download', () => downloadSubtaskInput({ engine, datahub, prompts, subtasks }));
  commands.register('datahub.uploadSimulation', (clicked?: unknown) => uploadForSimulation({ engine, prompts, state: context.globalState }, clicked));
  context.subscriptions.push(notifyOnFinish(engine, core.channel));
  return { tree, statusBar };
}

/** With datahub.transfer.autoResume, continues what the last session left running; called once every protocol is registered. */
export function resumeInterrupted(core: Pick<CoreServices, 'settings' | 'logger'>, engine: TransferEngine, interrupted: readonly TransferRecord[]): void {
  if (interrupted.length === 0 || !core.settings.transfer().autoResume) return;
  for (const record of interrupted) engine.resume(record.id);
  core.logger.info(`auto-resumed ${interrupted.length} interrupted transfer(s)`);
}

/** A notification when a transfer ends: success quietly, failure with Retry and Show Log. */
function notifyOnFinish(engine: TransferEngine, channel: vscode.LogOutputChannel): { dispose(): void } {
  const last = new Map<string, TransferState>();
  for (const r of engine.list()) last.set(r.id, r.state);
  return engine.onDidChange((record?: TransferRecord) => {
    if (!record) return;
    const previous = last.get(record.id);
    last.set(record.id, record.state);
    if (previous === record.state) return;
    if (record.state === 'completed') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Transfer finished: {0}', record.label));
    } else if (record.state === 'failed' && record.errorKind === 'source-changed') {
      const startOver = vscode.l10n.t('Start Over');
      void vscode.window.showWarningMessage(vscode.l10n.t('Cannot resume {0}: {1}', record.label, record.error ?? ''), startOver).then((choice) => {
        if (choice === startOver) engine.retry(record.id);
      });
    } else if (record.state === 'failed') {
      const retry = vscode.l10n.t('Retry');
      const showLog = vscode.l10n.t('Show Log');
      void vscode.window.showErrorMessage(vscode.l10n.t('Transfer failed: {0} — {1}', record.label, record.error ?? ''), retry, showLog).then((choice) => {
        if (choice === retry) engine.retry(record.id);
        if (choice === showLog) channel.show(true);
      });
    }
  });
}
