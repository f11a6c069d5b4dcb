// Set Credentials…: which backend, then each of its secret fields, into VS Code's SecretStorage.
import * as vscode from 'vscode';
import type { Prompts } from '../../platform/prompts';
import { CREDENTIAL_FIELDS, type CredentialField, type CredentialStore } from '../../platform/secrets';
import { BACKENDS, type Backend } from '../../platform/settings';

export const BACKEND_LABELS: Record<Backend, string> = {
  datahub: 'Datahub (api 000)',
  ingest: 'Ingest — connectors and load tasks (api 001)',
  media: 'Media tasks (api 002)',
  pandora: 'Pandora offline jobs (api 003)',
  multipart: 'Multipart upload backend (api 004)',
};

function credentialPrompt(field: CredentialField, stored: boolean): string {
  if (field.optional) {
    return stored
      ? vscode.l10n.t('{0} (optional) — stored in VS Code secret storage. Leave empty to keep or remove the current value.', field.label)
      : vscode.l10n.t('{0} (optional) — stored in VS Code secret storage. Leave empty to send none.', field.label);
  }
  return field.password && stored
    ? vscode.l10n.t('{0} — stored in VS Code secret storage. Leave empty to keep the current value.', field.label)
    : vscode.l10n.t('{0} — stored in VS Code secret storage.', field.label);
}

/** An optional secret left empty while one is stored: keep it (true), remove it (false), or dismissed. */
async function askKeepOrRemove(prompts: Prompts, title: string, label: string): Promise<boolean | undefined> {
  const picked = await prompts.pick(
    [
      { label: vscode.l10n.t('Keep the stored {0}', label), keep: true },
      { label: vscode.l10n.t('Remove it: send no {0}', label), keep: false },
    ],
    { title, placeHolder: vscode.l10n.t('{0} was left empty', label), ignoreFocusOut: true },
  );
  return picked?.keep;
}

export function isBackend(value: unknown): value is Backend {
  return typeof value === 'string' && (BACKENDS as readonly string[]).includes(value);
}

/** The backend a command was given (a view's welcome or row passes its own), else the one the user picks. */
export async function backendOf(prompts: Prompts, given: unknown, title: string): Promise<Backend | undefined> {
  if (isBackend(given)) return given;
  const picked = await prompts.pick(
    BACKENDS.map((b) => ({ label: BACKEND_LABELS[b], backend: b })),
    { title, placeHolder: vscode.l10n.t('Which backend?') },
  );
  return picked?.backend;
}

/**
 * True when the credentials were stored. `given` preselects the backend (Set Credentials from a view). Pandora takes
 * AK/SK or a pasted token: its own command asks which.
 */
export async function setCredentials(deps: { prompts: Prompts; credentials: CredentialStore }, given?: unknown): Promise<unknown> {
  const { prompts, credentials } = deps;
  const backend = await backendOf(prompts, given, vscode.l10n.t('Datahub: Set Credentials'));
  if (!backend) return false;
  const picked = { backend };
  if (picked.backend === 'pandora') return vscode.commands.executeCommand('datahub.pandora.setCredentials');
  const fields = CREDENTIAL_FIELDS[picked.backend];
  const answers: [string, string][] = [];
  for (const [i, field] of fields.entries()) {
    const title = `${BACKEND_LABELS[picked.backend]} (${i + 1}/${fields.length})`;
    const stored = await credentials.get(picked.backend, field.key);
    const value = await prompts.input({
      title,
      prompt: credentialPrompt(field, stored !== undefined),
      value: field.password ? '' : (stored ?? ''),
      password: field.password,
      ignoreFocusOut: true,
      placeHolder: field.password && stored ? vscode.l10n.t('(a value is stored)') : undefined,
      // Empty keeps a stored password; otherwise only an optional field may stay empty.
      validateInput: (v) => (v.trim() || field.optional || (field.password && stored) ? undefined : vscode.l10n.t('{0} is required.', field.label)),
    });
    if (value === undefined) return false;
    if (value === '' && field.password && stored) {
      if (!field.optional) continue;
      const keep = await askKeepOrRemove(prompts, title, field.label);
      if (keep === undefined) return false;
      if (keep) continue;
    }
    answers.push([field.key, value.trim()]);
  }
  for (const [key, value] of answers) await credentials.set(picked.backend, key, value);
  void vscode.window.showInformationMessage(vscode.l10n.t('Credentials for {0} saved in secret storage.', BACKEND_LABELS[picked.backend]));
  return true;
}
