// Upload Private Blocks…: the waiting private block tasks matched by name to the block files of a folder, confirmed, then uploaded.
import * as vscode from 'vscode';
import { MediaStatus } from '../../api/media/types';
import { MEDIA_PRIVATE_UPLOAD_KIND, type MediaPrivateUploadParams } from '../../transfer/protocols/mediaPrivateUpload';
import { ensureMediaToken, pickFolder } from './ask';
import type { MediaCommandDeps } from './deps';
import { matchPrivateBlocks } from './files';

/** From the Explorer (the clicked folder) or the palette; returns the transfer ids. */
export async function uploadPrivateBlocks(deps: MediaCommandDeps, clicked?: unknown): Promise<string[]> {
  await ensureMediaToken(deps);
  const { tasks } = await deps.client.listPrivateTasks();
  const open = tasks.filter((t) => t.status !== MediaStatus.Done);
  if (open.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No private block is waiting to be uploaded.'));
    return [];
  }
  const folder = clicked instanceof vscode.Uri ? clicked.fsPath : await pickFolder(deps.prompts, vscode.l10n.t('Folder with the private blocks'));
  const { matches, unmatchedFiles } = await matchPrivateBlocks(folder, open);
  if (matches.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('None of the {0} waiting task(s) has a private block file in {1}.', open.length, folder));
    return [];
  }
  const items = matches.map((m) => ({ label: m.task.source_name, description: `← ${m.file.name}`, detail: `${m.task.file || vscode.l10n.t('Series {0}', m.task.series_id)} · ${vscode.l10n.t('Task')} ${m.task.id}`, picked: true, match: m }));
  const missing = open.length - matches.length;
  const picked = await deps.prompts.pickMany(items, {
    title: vscode.l10n.t('Upload {0} matched private block(s)', matches.length) + (missing ? ` — ${vscode.l10n.t('{0} task(s) without a file', missing)}` : '') + (unmatchedFiles.length ? ` — ${vscode.l10n.t('{0} file(s) without a task', unmatchedFiles.length)}` : ''),
    ignoreFocusOut: true,
  });
  if (!picked || picked.length === 0) throw new vscode.CancellationError();
  return picked.map(({ match: { task, file } }) => {
    const params: MediaPrivateUploadParams = { taskId: task.id, seriesId: task.series_id, path: file.path, size: file.size, mtimeMs: file.mtimeMs, name: task.source_name, folderName: task.file };
    return deps.engine.start(MEDIA_PRIVATE_UPLOAD_KIND, params, { label: vscode.l10n.t('Private block of {0}', task.source_name), localPath: file.path, bytesTotal: file.size }).id;
  });
}
