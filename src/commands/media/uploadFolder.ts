// Upload Media Folder…: one media-upload transfer per video file of a folder, after the user confirms the list.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../../transfer/format';
import { MEDIA_UPLOAD_KIND, type MediaUploadParams } from '../../transfer/protocols/mediaUpload';
import { askId, ensureMediaToken, pickFolder } from './ask';
import type { MediaCommandDeps } from './deps';
import { listVideoFiles } from './files';

/** Asks which of the folder's video files to upload (all ticked) and starts them; returns the transfer ids. */
export async function startMediaUpload(deps: MediaCommandDeps, folder: string, seriesId: number): Promise<string[]> {
  const files = await listVideoFiles(folder);
  if (files.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('No video files in {0}.', folder));
    return [];
  }
  const picked = await deps.prompts.pickMany(
    files.map((f) => ({ label: f.name, description: formatBytes(f.size), picked: true, file: f })),
    { title: vscode.l10n.t('Upload {0} video file(s) of {1} to series {2}', files.length, basename(folder), seriesId), ignoreFocusOut: true },
  );
  if (!picked || picked.length === 0) throw new vscode.CancellationError();
  return picked.map(({ file }) => {
    const params: MediaUploadParams = { seriesId, path: file.path, sourceName: file.name, folderName: basename(folder), size: file.size, mtimeMs: file.mtimeMs };
    return deps.engine.start(MEDIA_UPLOAD_KIND, params, { label: file.name, localPath: file.path, bytesTotal: file.size }).id;
  });
}

/** From the Explorer (the clicked folder) or the palette. */
export async function uploadMediaFolder(deps: MediaCommandDeps, clicked?: unknown): Promise<string[]> {
  const folder = clicked instanceof vscode.Uri ? clicked.fsPath : await pickFolder(deps.prompts, vscode.l10n.t('Upload which media folder?'));
  const seriesId = await askId(deps.prompts, vscode.l10n.t('Series id'), vscode.l10n.t('The series (影视系列) id these masters belong to'));
  await ensureMediaToken(deps);
  return startMediaUpload(deps, folder, seriesId);
}
