// The Media view's transfer actions: Copy Hash, Copy Source ID, Cancel, Retry, Reveal — on a tree node, or a media transfer picked from the palette.
import * as vscode from 'vscode';
import { isMediaNode, mediaLocalPath } from '../../providers/mediaTree';
import { isFinished } from '../../transfer/engine';
import { MEDIA_DOWNLOAD } from '../../transfer/protocols/mediaDownload';
import { MEDIA_PRIVATE_UPLOAD } from '../../transfer/protocols/mediaPrivateUpload';
import { MEDIA_UPLOAD } from '../../transfer/protocols/mediaUpload';
import { mediaViewState } from '../../transfer/protocols/mediaShared';
import type { TransferRecord } from '../../transfer/types';
import type { MediaCommandDeps } from './deps';

const MEDIA_PROTOCOLS = [MEDIA_UPLOAD, MEDIA_DOWNLOAD, MEDIA_PRIVATE_UPLOAD];

const mediaHash = (record: TransferRecord): string | undefined => mediaViewState(record).hash || undefined;

type ActionDeps = Pick<MediaCommandDeps, 'engine' | 'prompts'>;

async function transferOf(deps: ActionDeps, node: unknown, accept: (r: TransferRecord) => boolean): Promise<TransferRecord | undefined> {
  if (isMediaNode(node, 'transfer')) return node.record;
  if (isMediaNode(node, 'task')) return node.record;
  if (isMediaNode(node, 'privateTask')) return node.transfer;
  const candidates = deps.engine.list().filter((r) => MEDIA_PROTOCOLS.includes(r.protocol) && accept(r));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No media transfer to act on.'));
    return undefined;
  }
  const picked = await deps.prompts.pick(candidates.map((r) => ({ label: r.label, description: r.state, record: r })), { title: vscode.l10n.t('Which media transfer?') });
  return picked?.record;
}

/** The source id (母带 ID) of a row: what a download by source id, or the backend's people, ask for. */
export async function copyMediaSourceId(deps: ActionDeps, node?: unknown): Promise<void> {
  let sourceId: number | undefined;
  if (isMediaNode(node, 'privateTask')) sourceId = node.task.source_id;
  else if (isMediaNode(node, 'task')) sourceId = node.entry.sourceId;
  else {
    const record = await transferOf(deps, node, (r) => mediaViewState(r).sourceId !== undefined);
    sourceId = record ? mediaViewState(record).sourceId : undefined;
  }
  if (sourceId === undefined) return;
  await vscode.env.clipboard.writeText(String(sourceId));
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', String(sourceId)), 3000);
}

export async function copyMediaHash(deps: ActionDeps, node?: unknown): Promise<void> {
  let hash: string | undefined;
  if (isMediaNode(node, 'privateTask')) hash = node.task.hash;
  else if (isMediaNode(node, 'task')) hash = node.entry.hash ?? (node.record && mediaHash(node.record));
  else {
    const record = await transferOf(deps, node, (r) => mediaHash(r) !== undefined);
    hash = record ? mediaHash(record) : undefined;
  }
  if (!hash) return;
  await vscode.env.clipboard.writeText(hash);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', hash), 3000);
}

export async function cancelMediaTransfer(deps: ActionDeps, node?: unknown): Promise<void> {
  const record = await transferOf(deps, node, (r) => !isFinished(r.state));
  if (record) deps.engine.cancel(record.id);
}

export async function retryMediaTransfer(deps: ActionDeps, node?: unknown): Promise<void> {
  const record = await transferOf(deps, node, (r) => r.state === 'failed' || r.state === 'cancelled');
  if (record) deps.engine.retry(record.id);
}

export async function revealMediaTransfer(deps: ActionDeps, node?: unknown): Promise<void> {
  const record = await transferOf(deps, node, (r) => mediaLocalPath(r) !== undefined);
  const path = record ? mediaLocalPath(record) : undefined;
  if (path) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path));
}
