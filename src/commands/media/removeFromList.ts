// Remove from List on a Media task row: takes the task off the media task log (the backend keeps it, a transfer of it
// goes on) without a question, and offers Undo.
import * as vscode from 'vscode';
import type { Notifier } from '../../platform/notifications';
import type { Prompts } from '../../platform/prompts';
import type { MediaTaskLog } from '../../providers/mediaTaskLog';
import { isMediaNode } from '../../providers/mediaTree';

export interface RemoveFromListDeps {
  log: MediaTaskLog;
  prompts: Prompts;
  notifier: Notifier;
}

export async function removeMediaTaskFromList(deps: RemoveFromListDeps, node?: unknown): Promise<boolean> {
  let target = isMediaNode(node, 'task') ? node.entry : undefined;
  if (!target) {
    const entries = deps.log.list();
    if (entries.length === 0) {
      void deps.notifier.show('info', vscode.l10n.t('The Media view lists no upload or download task.'));
      return false;
    }
    const kinds = { upload: vscode.l10n.t('Upload'), download: vscode.l10n.t('Download') };
    const picked = await deps.prompts.pick(
      entries.map((entry) => ({ label: entry.name || vscode.l10n.t('Task {0}', entry.taskId), description: `${kinds[entry.kind]} · ${vscode.l10n.t('task {0}', entry.taskId)}`, entry })),
      { title: vscode.l10n.t('Remove which task from the Media view?') },
    );
    target = picked?.entry;
  }
  if (!target) return false;
  const removed = deps.log.remove(target.kind, target.taskId);
  if (!removed) return false;
  const undo = vscode.l10n.t('Undo');
  void deps.notifier.show('info', vscode.l10n.t('Removed {0} from the Media view (the backend keeps the task).', removed.name || String(removed.taskId)), undo).then((choice) => {
    if (choice === undo) deps.log.restore(removed);
  });
  return true;
}
