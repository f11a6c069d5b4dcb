// Download by Source ID…: a media-download transfer (it waits for the private block's authorization, then composes the file).
import * as vscode from 'vscode';
import { MEDIA_DOWNLOAD_KIND, type MediaDownloadParams } from '../../transfer/protocols/mediaDownload';
import { askId, ensureMediaToken, pickDestination } from './ask';
import type { MediaCommandDeps } from './deps';

export function startMediaDownload(deps: Pick<MediaCommandDeps, 'engine'>, sourceId: number, destDir: string): string {
  const params: MediaDownloadParams = { sourceId, destDir };
  return deps.engine.start(MEDIA_DOWNLOAD_KIND, params, { label: vscode.l10n.t('Source {0}', sourceId), localPath: destDir }).id;
}

export async function downloadMediaSource(deps: MediaCommandDeps): Promise<string> {
  const sourceId = await askId(deps.prompts, vscode.l10n.t('Download by source id'), vscode.l10n.t('The source (母带) id to download'));
  const destDir = await pickDestination(deps.prompts);
  await ensureMediaToken(deps);
  return startMediaDownload(deps, sourceId, destDir);
}
