// Commands of the Transfers area: Upload to Datahub…, and pause/resume/cancel/retry/reveal/clear on transfers.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ValidationError } from '../api/errors';
import { isFinished, type TransferEngine } from '../transfer/engine';
import { formatBytes } from '../transfer/format';
import type { TransferRuntime } from '../transfer/runtime';
import type { TransferRecord, TransferState } from '../transfer/types';
import type { CommandRegistry } from '../platform/commands';
import type { Prompts } from '../platform/prompts';
import { expandUploadSources } from './uploadSources';
import type { SubtaskPicker } from './subtaskPicker';
import type { TransferNotices } from '../providers/transferNotices';
import { TransferFileNode } from '../providers/transferFiles';
import type { TransferStatusBar } from '../providers/transferStatusBar';

export interface TransferCommandDeps {
  commands: CommandRegistry;
  runtime: TransferRuntime;
  prompts: Prompts;
  subtasks: SubtaskPicker;
  notices: TransferNotices;
  statusBar: TransferStatusBar;
}

/** How long Clear Finished can be undone. */
export const UNDO_CLEAR_MS = 10_000;

/** Remembers the subtask as recent once the transfer has completed: an id that failed is no suggestion. */
export function rememberWhenCompleted(engine: TransferEngine, id: string, subtasks: SubtaskPicker, subtaskId: string): void {
  const subscription = engine.onDidChange(() => {
    const record = engine.get(id);
    if (record && !isFinished(record.state)) return;
    subscription.dispose();
    if (record?.state === 'completed') void subtasks.remember(subtaskId);
  });
}

/** The Explorer passes (clicked, allSelected); the palette passes nothing. */
function urisFromArgs(args: unknown[]): vscode.Uri[] | undefined {
  const [first, second] = args;
  if (Array.isArray(second) && second.every((u) => u instanceof vscode.Uri) && second.length > 0) return second as vscode.Uri[];
  if (first instanceof vscode.Uri) return [first];
  return undefined;
}

/** A tree node (a transfer record), or — from the palette — a quick pick of the transfers in the given states. */
async function pickTransfer(engine: TransferEngine, prompts: Prompts, arg: unknown, states: readonly TransferState[], placeholder: string): Promise<TransferRecord | undefined> {
  if (arg && typeof arg === 'object' && typeof (arg as { id?: unknown }).id === 'string') {
    const record = engine.get((arg as { id: string }).id);
    if (record) return record;
  }
  const candidates = engine.list().filter((r) => states.includes(r.state));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No transfer can do that right now.'));
    return undefined;
  }
  const picked = await prompts.pick(
    candidates.map((r) => ({ label: r.label, description: r.state, record: r })),
    { placeHolder: placeholder },
  );
  return picked?.record;
}

export function registerTransferCommands(deps: TransferCommandDeps): void {
  const { commands, runtime, prompts, subtasks, notices, statusBar } = deps;
  const { engine } = runtime;

  commands.register('datahub.upload', async (...args: unknown[]) => {
    let uris = urisFromArgs(args);
    if (!uris) {
      uris = await prompts.openDialog({
        canSelectFiles: true,
        canSelectFolders: true,
        canSelectMany: true,
        // The workspace, not wherever the last dialog was (the extension's storage, when opened from the view).
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
        openLabel: vscode.l10n.t('Upload to Datahub'),
      });
      if (!uris || uris.length === 0) return undefined;
    }
    const selection = await expandUploadSources(uris);
    const entries = selection.files;
    if (entries.length === 0) throw new ValidationError('files', vscode.l10n.t('there is no file to upload in the selection'));
    const subtaskId = await subtasks.pick(vscode.l10n.t('Upload {0} file(s) to Datahub', entries.length));
    if (!subtaskId) return undefined;
    const label = uris.length === 1 && entries.length === 1 ? entries[0].name : vscode.l10n.t('{0} ({1} files)', path.basename(uris[0].fsPath), entries.length);
    const { record } = await runtime.startDatahubUpload(selection, subtaskId, label);
    const total = record.progress.bytesTotal;
    rememberWhenCompleted(engine, record.id, subtasks, subtaskId);
    statusBar.announce(record.id, vscode.l10n.t('Uploading {0} ({1}) to subtask {2}', label, formatBytes(total), subtaskId));
    return record.id;
  });

  commands.register('datahub.transfers.pause', async (arg: unknown) => {
    const r = await pickTransfer(engine, prompts, arg, ['running', 'queued'], vscode.l10n.t('Pick a transfer to pause'));
    if (r) engine.pause(r.id);
  });
  commands.register('datahub.transfers.resume', async (arg: unknown) => {
    const r = await pickTransfer(engine, prompts, arg, ['paused'], vscode.l10n.t('Pick a transfer to resume'));
    if (r) engine.resume(r.id);
  });
  commands.register('datahub.transfers.cancel', async (arg: unknown) => {
    const r = await pickTransfer(engine, prompts, arg, ['running', 'queued', 'paused'], vscode.l10n.t('Pick a transfer to cancel'));
    if (r) engine.cancel(r.id);
  });
  commands.register('datahub.transfers.retry', async (arg: unknown) => {
    const r = await pickTransfer(engine, prompts, arg, ['failed', 'cancelled'], vscode.l10n.t('Pick a transfer to retry'));
    if (r) engine.retry(r.id);
  });
  commands.register('datahub.transfers.reveal', async (arg: unknown) => {
    // A file's row under a folder upload: that file.
    if (arg instanceof TransferFileNode) return vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(arg.path));
    const r = await pickTransfer(engine, prompts, arg, ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled'], vscode.l10n.t('Pick a transfer to reveal'));
    if (!r?.localPath) return;
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(r.localPath));
  });
  commands.register('datahub.transfers.clearFinished', () => clearFinished(engine, notices));
}

/** Clears completed and cancelled transfers (failed ones stay, to be retried or read); undoable for a few seconds. */
export async function clearFinished(engine: TransferEngine, notices: TransferNotices): Promise<number> {
  const ids = engine.list().filter((r) => !r.elsewhere && (r.state === 'completed' || r.state === 'cancelled')).map((r) => r.id);
  const removed = engine.clear(ids);
  if (removed.length === 0) return 0;
  const until = Date.now() + UNDO_CLEAR_MS;
  const undo = vscode.l10n.t('Undo');
  void notices.show('info', vscode.l10n.t('Cleared {0} finished transfer(s).', removed.length), undo).then((choice) => {
    if (choice === undo && Date.now() <= until) engine.reinstate(removed);
  });
  return removed.length;
}
