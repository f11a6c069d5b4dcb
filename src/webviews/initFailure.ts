// What a page shows when its host could not load the page's data: which page, the backend's words, and what to do
// about it (set the credentials, check the endpoint, the thing is gone), in the words the views use for the same trouble.
import * as vscode from 'vscode';
import { ApiError, describeError } from '../api/errors';
import { backendName, classifyProblem, hostOf } from '../platform/backendProblem';
import type { Backend } from '../platform/settings';
import { MAX_TEXT, type InitFailedMessage } from './messages';

/** The initFailed message for `err`, raised while loading the page titled `title`; `baseUrl` names the backend's endpoint. */
export function initFailure(title: string, err: unknown, baseUrl: (backend: Backend) => string): InitFailedMessage {
  return {
    type: 'initFailed',
    title: vscode.l10n.t('Could not open {0}', title).slice(0, MAX_TEXT),
    message: describeError(err).slice(0, MAX_TEXT),
    ...withHint(err, baseUrl),
  };
}

function withHint(err: unknown, baseUrl: (backend: Backend) => string): { hint?: string } {
  if (!(err instanceof ApiError) || err.service === 'ipfs') return {};
  const backend = err.service;
  const name = backendName(backend);
  switch (classifyProblem(err)) {
    case 'noEndpoint':
      return { hint: vscode.l10n.t('The {0} endpoint is not set: set it in Settings (Datahub), then choose Retry.', name) };
    case 'refused':
      return { hint: vscode.l10n.t('{0} refused the credentials: set them with “Datahub: Set Credentials…”, then choose Retry.', name) };
    case 'unreachable':
      return { hint: vscode.l10n.t('{0} cannot be reached at {1}: check the endpoint in Settings and the network, then choose Retry.', name, hostOf(baseUrl(backend))) };
    case 'failed':
      if (err.httpStatus === 404) return { hint: vscode.l10n.t('{0} no longer has it (deleted or renamed elsewhere): close this tab and refresh the view.', name) };
      if (err.retryable) return { hint: vscode.l10n.t('{0} may answer again in a moment: choose Retry.', name) };
      return {};
  }
}
