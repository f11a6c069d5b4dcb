// Connect…: one backend's endpoint, then its credentials, then a cheap call that proves both; the result is shown.
import * as vscode from 'vscode';
import type { Logger } from '../../api/logger';
import type { Prompts } from '../../platform/prompts';
import type { CredentialStore } from '../../platform/secrets';
import type { Settings } from '../../platform/settings';
import { backendName, classifyProblem, problemLabel } from '../../platform/backendProblem';
import { describeError } from '../../platform/commands';
import { probeBackend } from './probe';
import { backendOf, BACKEND_LABELS, setCredentials } from './setCredentials';

export interface ConnectDeps {
  prompts: Prompts;
  settings: Settings;
  credentials: CredentialStore;
  logger: Logger;
}

const URL_PATTERN = /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/;

/** True when the call proved the endpoint (and credentials where the API can tell). */
export async function connect(deps: ConnectDeps, given?: unknown): Promise<boolean> {
  const backend = await backendOf(deps.prompts, given, vscode.l10n.t('Datahub: Connect'));
  if (!backend) return false;
  const current = deps.settings.baseUrl(backend);
  const answer = await deps.prompts.input({
    title: vscode.l10n.t('Connect to {0}: endpoint', BACKEND_LABELS[backend]),
    prompt: vscode.l10n.t('Base URL of {0}. It is saved in your User settings (datahub.endpoints.{1}).', BACKEND_LABELS[backend], backend),
    value: current,
    placeHolder: 'https://…',
    ignoreFocusOut: true,
    validateInput: (v) => (URL_PATTERN.test(v.trim()) ? undefined : vscode.l10n.t('Enter an http(s) URL such as {0}', 'https://datahub.example.com')),
  });
  if (answer === undefined) return false;
  const url = answer.trim().replace(/\/+$/, '');
  if (url !== current) await deps.settings.setBaseUrl(backend, url);
  if ((await setCredentials(deps, backend)) !== true) return false;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking {0} at {1}…', backendName(backend), url) },
    () => probeBackend(deps, backend),
  );
  if (result.ok) {
    deps.logger.info(`connect ${backend}: ${url} answered`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Connected to {0} at {1}: {2}.', backendName(backend), url, result.detail));
    return true;
  }
  const problem = classifyProblem(result.error);
  const message = describeError(result.error);
  deps.logger.warn(`connect ${backend}: ${message}`);
  const setAgain = vscode.l10n.t('Set Credentials…');
  const openSettings = vscode.l10n.t('Open Settings');
  const tryAgain = vscode.l10n.t('Connect Again…');
  // Not awaited: the command ends with its result; the notification stays until the user answers it.
  void vscode.window
    .showErrorMessage(
      vscode.l10n.t('Could not connect to {0}: {1}', backendName(backend), problem === 'failed' ? message : `${problemLabel(backend, problem, url)} (${message})`),
      ...(problem === 'refused' ? [setAgain] : [openSettings]),
      tryAgain,
    )
    .then((choice) => {
      if (choice === setAgain) void vscode.commands.executeCommand('datahub.setCredentials', backend);
      else if (choice === openSettings) void vscode.commands.executeCommand('datahub.openEndpointSettings', backend);
      else if (choice === tryAgain) void vscode.commands.executeCommand('datahub.connect', backend);
    });
  return false;
}
