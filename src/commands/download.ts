// Command "Download Subtask Input…": subtask id → target folder → overwrite question → a datahub-download transfer.
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { DatahubClient } from '../api/datahub/client';
import type { Prompts } from '../platform/prompts';
import { isFinished, type TransferEngine } from '../transfer/engine';
import { DATAHUB_DOWNLOAD, DATAHUB_DOWNLOAD_KIND, fileExists, keepBothName, safeLocalName } from '../transfer/protocols/datahubDownload';
import type { SubtaskPicker } from './subtaskPicker';
import { rememberWhenCompleted } from './transfers';

export interface DownloadDeps {
  engine: TransferEngine;
  datahub: DatahubClient;
  prompts: Prompts;
  subtasks: SubtaskPicker;
}

async function pickFolder(prompts: Prompts): Promise<string | undefined> {
  const picked = await prompts.openDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: vscode.l10n.t('Download Here'),
    title: vscode.l10n.t('Folder to download the subtask input into'),
  });
  return picked?.[0]?.fsPath;
}

/** The name to download under: `fileName` (overwriting it when asked to), a " (1)" name, or undefined when the user backs out. */
async function targetName(prompts: Prompts, folder: string, fileName: string): Promise<{ fileName: string; overwrite: boolean } | undefined> {
  if (!(await fileExists(join(folder, fileName)))) return { fileName, overwrite: false };
  const replace = vscode.l10n.t('Overwrite');
  const keepBoth = vscode.l10n.t('Keep Both');
  const choice = await prompts.confirm(
    vscode.l10n.t('{0} already exists in {1}.', fileName, folder),
    vscode.l10n.t('Overwrite replaces it once the download is complete and verified; Keep Both saves the download under a new name.'),
    // The first button is the default one (Enter): the choice that loses nothing.
    keepBoth,
    replace,
  );
  if (choice === replace) return { fileName, overwrite: true };
  if (choice === keepBoth) return { fileName: await keepBothName(folder, fileName), overwrite: false };
  return undefined;
}

/** Returns the id of the transfer (a new one, or the one already downloading to the same file). */
export async function downloadSubtaskInput(deps: DownloadDeps): Promise<string | undefined> {
  const { engine, datahub, prompts, subtasks } = deps;
  const subtaskId = await subtasks.pick(vscode.l10n.t('Download the input file of a Datahub subtask'));
  if (!subtaskId) return undefined;
  const folder = await pickFolder(prompts);
  if (!folder) return undefined;

  // The name comes from the backend; it is needed now, to ask about an existing file before anything is fetched.
  const presigned = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Asking Datahub for subtask {0}…', subtaskId) },
    () => datahub.presignDownload(subtaskId),
  );
  const remoteName = safeLocalName(presigned.file_name);
  const same = engine.list().find((r) => r.protocol === DATAHUB_DOWNLOAD && !isFinished(r.state) && r.localPath === join(folder, remoteName));
  if (same) {
    // One .part per target: a second transfer would write into the first one's file.
    if (same.state === 'paused') engine.resume(same.id);
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is already being downloaded to this folder; see the Transfers view.', remoteName));
    return same.id;
  }
  const target = await targetName(prompts, folder, remoteName);
  if (!target) return undefined;

  const record = engine.start(DATAHUB_DOWNLOAD_KIND, { subtaskId, folder, fileName: target.fileName, overwrite: target.overwrite }, { label: target.fileName, localPath: join(folder, target.fileName) });
  rememberWhenCompleted(engine, record.id, subtasks, subtaskId);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Downloading {0} from subtask {1}', target.fileName, subtaskId), 4000);
  return record.id;
}
