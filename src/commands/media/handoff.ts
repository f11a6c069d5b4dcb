// A `vscode://` hand-off link from the media web page: confirmed with the user (saying what it does with its token), then started.
import * as vscode from 'vscode';
import { handoffTokenNotice, type HandoffRequest, type HandoffTokenNotice } from '../../api/media/handoff';
import { ensureMediaToken, pickDestination } from './ask';
import type { MediaCommandDeps } from './deps';
import { startMediaDownload } from './download';
import { startMediaUpload } from './uploadFolder';

/** The sentence of the link dialog that says what happens to the token it carries, and for which host. */
function tokenSentence(notice: HandoffTokenNotice | undefined): string | undefined {
  if (!notice) return undefined;
  const host = notice.host ?? vscode.l10n.t('(no media server is set: datahub.endpoints.media)');
  return notice.replacesStoredToken
    ? vscode.l10n.t('The link carries a media token: continuing replaces the stored media token with it, for {0}.', host)
    : vscode.l10n.t('The link carries a media token: continuing stores it as the media token, for {0}.', host);
}

export async function confirmAndStart(deps: MediaCommandDeps, mediaBaseUrl: string, request: HandoffRequest): Promise<string[]> {
  const start = request.kind === 'upload' ? vscode.l10n.t('Start Upload') : vscode.l10n.t('Start Download');
  const what =
    request.kind === 'upload'
      ? vscode.l10n.t('A web page asks to upload the video files of {0} to series {1}.', request.folder, request.seriesId)
      : vscode.l10n.t('A web page asks to download source {0}.', request.sourceId);
  const stored = (await deps.credentials.get('media', 'token')) !== undefined;
  const token = tokenSentence(handoffTokenNotice(request, mediaBaseUrl, stored));
  const detail = [what, token, vscode.l10n.t('Only continue if you opened this link yourself.')].filter((line) => line !== undefined).join('\n');
  const answer = await deps.prompts.confirm(vscode.l10n.t('Datahub media link'), detail, start);
  if (answer !== start) return [];
  await ensureMediaToken(deps, request.token);
  if (request.kind === 'upload') return startMediaUpload(deps, request.folder, request.seriesId);
  return [startMediaDownload(deps, request.sourceId, await pickDestination(deps.prompts))];
}
