// Sign Out: removes one backend's credentials from SecretStorage (the views listening to the store refresh).
import * as vscode from 'vscode';
import type { Prompts } from '../../platform/prompts';
import { CREDENTIAL_FIELDS, type CredentialStore } from '../../platform/secrets';
import { BACKENDS, type Backend } from '../../platform/settings';
import { backendName } from '../../platform/backendProblem';
import { BACKEND_LABELS, isBackend } from './setCredentials';

/** Pandora's pasted token is stored beside its key pair. */
const EXTRA_KEYS: Partial<Record<Backend, string[]>> = { pandora: ['token'] };

/** True when something was removed. */
export async function signOut(deps: { prompts: Prompts; credentials: CredentialStore }, given?: unknown): Promise<boolean> {
  const { prompts, credentials } = deps;
  const keysOf = (backend: Backend): string[] => [...CREDENTIAL_FIELDS[backend].map((f) => f.key), ...(EXTRA_KEYS[backend] ?? [])];
  const stored = async (backend: Backend): Promise<boolean> => (await Promise.all(keysOf(backend).map((k) => credentials.get(backend, k)))).some((v) => v !== undefined);
  let backend = isBackend(given) ? given : undefined;
  if (!backend) {
    const withCredentials: Backend[] = [];
    for (const b of BACKENDS) if (await stored(b)) withCredentials.push(b);
    if (withCredentials.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No Datahub credentials are stored.'));
      return false;
    }
    const picked = await prompts.pick(
      withCredentials.map((b) => ({ label: BACKEND_LABELS[b], backend: b })),
      { title: vscode.l10n.t('Datahub: Sign Out'), placeHolder: vscode.l10n.t('Remove the stored credentials of which backend?') },
    );
    backend = picked?.backend;
  }
  if (!backend) return false;
  if (!(await stored(backend))) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No credentials of {0} are stored.', backendName(backend)));
    return false;
  }
  for (const key of keysOf(backend)) await credentials.set(backend, key, '');
  void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of {0}: its credentials were removed from secret storage.', backendName(backend)));
  return true;
}
