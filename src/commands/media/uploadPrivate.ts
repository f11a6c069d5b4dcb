// Upload Private Blocks…: the waiting private block tasks matched to the blocks this machine keeps (or, from a folder the
// user names, to block files received from elsewhere), confirmed, then uploaded.
import * as vscode from 'vscode';
import { MediaStatus } from '../../api/media/types';
import type { MediaTask } from '../../api/media/types';
import { MEDIA_PRIVATE_UPLOAD_KIND, type MediaPrivateUploadParams } from '../../transfer/protocols/mediaPrivateUpload';
import { ensureMediaToken, pickFolder } from './ask';
import type { MediaCommandDeps } from './deps';
import { matchPrivateBlocks, matchStoredBlocks } from './files';
import type { MediaPrivateKeys } from './privateKeys';

export type PrivateUploadDeps = MediaCommandDeps & { keys: MediaPrivateKeys };

interface Candidate {
  task: MediaTask;
  /** Shown beside the task in the confirmation. */
  from: string;
  params: MediaPrivateUploadParams;
  localPath?: string;
}

/** From the Explorer (the clicked folder: its block files) or the palette (the stored blocks, else a folder); returns the transfer ids. */
export async function uploadPrivateBlocks(deps: PrivateUploadDeps, clicked?: unknown): Promise<string[]> {
  await ensureMediaToken(deps);
  const { tasks } = await deps.client.listPrivateTasks();
  const open = tasks.filter((t) => t.status !== MediaStatus.Done);
  if (open.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No private block is waiting to be uploaded.'));
    return [];
  }
  await deps.keys.migrate();
  let candidates = clicked instanceof vscode.Uri ? [] : await storedCandidates(deps, open);
  let unmatchedFiles: string[] = [];
  if (candidates.length === 0) {
    const folder = clicked instanceof vscode.Uri ? clicked.fsPath : await pickFolder(deps.prompts, vscode.l10n.t('Folder with the private blocks'));
    const found = await matchPrivateBlocks(folder, open);
    unmatchedFiles = found.unmatchedFiles;
    candidates = found.matches.map(({ task, file }) => ({
      task,
      from: `← ${file.name}`,
      localPath: file.path,
      params: { taskId: task.id, seriesId: task.series_id, path: file.path, size: file.size, mtimeMs: file.mtimeMs, name: task.source_name, folderName: task.file },
    }));
    if (candidates.length === 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('None of the {0} waiting task(s) has a private block file in {1}.', open.length, folder));
      return [];
    }
  }
  const items = candidates.map((c) => ({ label: c.task.source_name, description: c.from, detail: `${c.task.file || vscode.l10n.t('Series {0}', c.task.series_id)} · ${vscode.l10n.t('Task')} ${c.task.id}`, picked: true, candidate: c }));
  const missing = open.length - candidates.length;
  const picked = await deps.prompts.pickMany(items, {
    title: vscode.l10n.t('Upload {0} matched private block(s)', candidates.length) + (missing ? ` — ${vscode.l10n.t('{0} task(s) without a file', missing)}` : '') + (unmatchedFiles.length ? ` — ${vscode.l10n.t('{0} file(s) without a task', unmatchedFiles.length)}` : ''),
    ignoreFocusOut: true,
  });
  if (!picked || picked.length === 0) throw new vscode.CancellationError();
  return picked.map(({ candidate: c }) => deps.engine.start(MEDIA_PRIVATE_UPLOAD_KIND, c.params, { label: vscode.l10n.t('Private block of {0}', c.task.source_name), localPath: c.localPath, bytesTotal: c.params.size }).id);
}

async function storedCandidates(deps: PrivateUploadDeps, open: readonly MediaTask[]): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const { task, block } of matchStoredBlocks(open, await deps.keys.store.list())) {
    const bytes = await deps.keys.store.bytes(block.id);
    // Metadata whose key is gone from the secret store (another machine's profile, a cleared keychain) cannot be served.
    if (!bytes) continue;
    out.push({
      task,
      from: vscode.l10n.t('← kept on this machine'),
      params: { taskId: task.id, seriesId: task.series_id, blockId: block.id, size: bytes.length, mtimeMs: 0, name: task.source_name, folderName: task.file },
    });
  }
  return out;
}
