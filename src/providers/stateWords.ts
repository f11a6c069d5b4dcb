// The one vocabulary of states shown in every view (connectors, load tasks, Pandora, media, transfers): a thing that
// ended well is "Completed" everywhere, never Succeeded / Successful / Finished / Done, in both languages.
import * as vscode from 'vscode';

export type StateWord =
  | 'notStarted'
  | 'queued'
  | 'ready'
  | 'waiting'
  | 'running'
  | 'uploading'
  | 'retrying'
  | 'restarting'
  | 'pausing'
  | 'paused'
  | 'cancelling'
  | 'cancelled'
  | 'completed'
  | 'failed'
  | 'unknown';

/** The word for `state`, translated. */
export function stateWord(state: StateWord): string {
  switch (state) {
    case 'notStarted':
      return vscode.l10n.t('Not started');
    case 'queued':
      return vscode.l10n.t('Queued');
    case 'ready':
      return vscode.l10n.t('Ready');
    case 'waiting':
      return vscode.l10n.t('Waiting');
    case 'running':
      return vscode.l10n.t('Running');
    case 'uploading':
      return vscode.l10n.t('Uploading');
    case 'retrying':
      return vscode.l10n.t('Retrying');
    case 'restarting':
      return vscode.l10n.t('Restarting');
    case 'pausing':
      return vscode.l10n.t('Pausing');
    case 'paused':
      return vscode.l10n.t('Paused');
    case 'cancelling':
      return vscode.l10n.t('Cancelling');
    case 'cancelled':
      return vscode.l10n.t('Cancelled');
    case 'completed':
      return vscode.l10n.t('Completed');
    case 'failed':
      return vscode.l10n.t('Failed');
    case 'unknown':
      return vscode.l10n.t('Unknown');
  }
}
