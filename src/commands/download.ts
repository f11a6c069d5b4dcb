// Command "Download Subtask Input…": subtask id → target folder → overwrite question → a datahub-download transfer.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { validateSubtaskId } from '../api/datahub/client';
import type { CoreServices } from '../platform/core';
import { isFinished } from '../transfer/engine';
import { DATAHUB_DOWNLOAD, fileExists, keepBothName, safeLocalName, type DatahubDownloadParams } from '../transfer/protocols/datahubDownload';
import type { Json } from '../transfer/types';
import { SubtaskPicker } from './subtaskPicker';

/**
 * What tests (and other commands) may pass instead of answering prompts. `overwrite: true` replaces an
 * existing file, `overwrite: false` keeps both (a " (1)" name); left out, the user is asked.
 */
interface DownloadArgs {
  subtaskId?: string;
  folder?: string;
  overwrite?: boolean;
}

function downloadArgs(arg: unknown): DownloadArgs {
  if (!arg || typeof arg !== 'object') return {};
  const a = arg as Record<string, unknown>;
  return {
    subtaskId: typeof a.subtaskId === 'string' ? a.subtaskId : undefined,
    folder: typeof a.folder === 'string' ? a.folder : a.folder instanceof vscode.Uri ? a.folder.fsPath : undefined,
    overwrite: typeof a.overwrite === 'boolean' ? a.overwrite : undefined,
  };
}

async function pickFolder(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: vscode.l10n.t('Download Here'),
    title: vscode.l10n.t('Folder to download the subtask input into'),
  });
  return picked?.[0]?.fsPath;
}

export function registerDownloadCommands(core: CoreServices): void {
  const { engine, datahub } = core;
  const subtasks = new SubtaskPicker(core.context.globalState);

  core.commands.register('datahub.download', async (arg: unknown) => {
    const args = downloadArgs(arg);
    const subtaskId = args.subtaskId !== undefined ? validateSubtaskId(args.subtaskId) : await subtasks.pick(vscode.l10n.t('Download the input file of a Datahub subtask'));
    if (!subtaskId) return undefined;
    const folder = args.folder ?? (await pickFolder());
    if (!folder) return undefined;

    // The name comes from the backend; it is needed now, to ask about an existing file before anything is fetched.
    const presigned = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Asking Datahub for subtask {0}…', subtaskId) },
      () => datahub.presignDownload(subtaskId),
    );
    let fileName = safeLocalName(presigned.file_name);

    const same = engine.list().find((r) => r.protocol === DATAHUB_DOWNLOAD && !isFinished(r.state) && r.localPath === join(folder, fileName));
    if (same) {
      // One .part per target: a second transfer would write into the first one's file.
      if (same.state === 'paused') engine.resume(same.id);
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} is already being downloaded to this folder; see the Transfers view.', fileName));
      return same.id;
    }

    let overwrite = false;
    if (await fileExists(join(folder, fileName))) {
      if (args.overwrite === true) overwrite = true;
      else if (args.overwrite === false) fileName = await keepBothName(folder, fileName);
      else {
        const replace = vscode.l10n.t('Overwrite');
        const keepBoth = vscode.l10n.t('Keep Both');
        const choice = await vscode.window.showWarningMessage(
          vscode.l10n.t('{0} already exists in {1}.', fileName, folder),
          { modal: true, detail: vscode.l10n.t('Overwrite replaces it once the download is complete and verified; Keep Both saves the download under a new name.') },
          replace,
          keepBoth,
        );
        if (choice === replace) overwrite = true;
        else if (choice === keepBoth) fileName = await keepBothName(folder, fileName);
        else return undefined;
      }
    }

    const params: DatahubDownloadParams = { subtaskId, folder, fileName, overwrite };
    const record = engine.add({
      protocol: DATAHUB_DOWNLOAD,
      direction: 'download',
      label: fileName,
      localPath: join(folder, fileName),
      params: params as unknown as { [key: string]: Json },
    });
    await subtasks.remember(subtaskId);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Downloading {0} from subtask {1}', fileName, subtaskId), 4000);
    return record.id;
  });
}

