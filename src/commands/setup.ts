// Commands that set the extension up: credentials into SecretStorage, the local emulator, the log.
import * as vscode from 'vscode';
import { ValidationError } from '../api/errors';
import type { CommandRegistry } from '../platform/commands';
import { CREDENTIAL_FIELDS, type CredentialField, type CredentialStore } from '../platform/secrets';
import { BACKENDS, type Backend, type Settings } from '../platform/settings';

export interface SetupCommandDeps {
  commands: CommandRegistry;
  credentials: CredentialStore;
  settings: Settings;
  channel: vscode.LogOutputChannel;
}

const BACKEND_LABELS: Record<Backend, string> = {
  datahub: 'Datahub (api 000)',
  ingest: 'Ingest — connectors and load tasks (api 001)',
  media: 'Media tasks (api 002)',
  pandora: 'Pandora offline jobs (api 003)',
  multipart: 'Multipart upload backend (api 004)',
};

function isBackend(value: unknown): value is Backend {
  return typeof value === 'string' && (BACKENDS as readonly string[]).includes(value);
}

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
async function askKeepOrRemove(title: string, label: string): Promise<boolean | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Keep the stored {0}', label), keep: true },
      { label: vscode.l10n.t('Remove it: send no {0}', label), keep: false },
    ],
    { title, placeHolder: vscode.l10n.t('{0} was left empty', label), ignoreFocusOut: true },
  );
  return picked?.keep;
}

export const DEFAULT_EMULATOR_URL = 'http://127.0.0.1:8787';

export function registerSetupCommands(deps: SetupCommandDeps): void {
  const { commands, credentials, settings } = deps;

  /** Interactive, or programmatic with {backend, values} (tests, links). */
  commands.register('datahub.setCredentials', async (arg?: unknown) => {
    if (arg && typeof arg === 'object') {
      const { backend, values } = arg as { backend?: unknown; values?: unknown };
      if (!isBackend(backend)) throw new ValidationError('backend', vscode.l10n.t('must be one of {0}', BACKENDS.join(', ')));
      if (!values || typeof values !== 'object') throw new ValidationError('values', vscode.l10n.t('must be an object of credential fields'));
      const known = CREDENTIAL_FIELDS[backend].map((f) => f.key);
      for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
        if (!known.includes(key) && !(backend === 'pandora' && key === 'token')) throw new ValidationError(key, vscode.l10n.t('is not a credential of {0}', backend));
        if (typeof value !== 'string') throw new ValidationError(key, vscode.l10n.t('must be a string'));
        await credentials.set(backend, key, value);
      }
      return true;
    }
    const picked = await vscode.window.showQuickPick(
      BACKENDS.map((b) => ({ label: BACKEND_LABELS[b], backend: b })),
      { title: vscode.l10n.t('Datahub: Set Credentials'), placeHolder: vscode.l10n.t('Which backend?') },
    );
    if (!picked) return false;
    // Pandora takes AK/SK or a pasted token: its own command asks which.
    if (picked.backend === 'pandora') return vscode.commands.executeCommand('datahub.pandora.setCredentials');
    const fields = CREDENTIAL_FIELDS[picked.backend];
    const answers: [string, string][] = [];
    for (const [i, field] of fields.entries()) {
      const title = `${BACKEND_LABELS[picked.backend]} (${i + 1}/${fields.length})`;
      const stored = await credentials.get(picked.backend, field.key);
      const value = await vscode.window.showInputBox({
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
        const keep = await askKeepOrRemove(title, field.label);
        if (keep === undefined) return false;
        if (keep) continue;
      }
      answers.push([field.key, value.trim()]);
    }
    for (const [key, value] of answers) await credentials.set(picked.backend, key, value);
    void vscode.window.showInformationMessage(vscode.l10n.t('Credentials for {0} saved in secret storage.', BACKEND_LABELS[picked.backend]));
    return true;
  });

  /** Points every backend's base URL (and the IPFS API) at a running emulator after checking it answers. */
  commands.register('datahub.useLocalEmulator', async (arg?: unknown) => {
    let url = typeof arg === 'string' ? arg : undefined;
    if (!url) {
      url = await vscode.window.showInputBox({
        title: vscode.l10n.t('Datahub: Use Local Emulator'),
        prompt: vscode.l10n.t('URL of a running emulator (start one with "npm run emulator" or "npx datahub emulator")'),
        value: DEFAULT_EMULATOR_URL,
        ignoreFocusOut: true,
        validateInput: (v) => (/^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(v.trim()) ? undefined : vscode.l10n.t('Enter an http(s) URL such as {0}', DEFAULT_EMULATOR_URL)),
      });
      if (!url) return false;
    }
    url = url.trim().replace(/\/+$/, '');
    if (!/^https?:\/\/[^\s/]+$/.test(url)) throw new ValidationError('url', vscode.l10n.t('"{0}" is not an http(s) URL', url));
    const health = await fetch(`${url}/_emulator/health`, { signal: AbortSignal.timeout(5000) }).catch((e: unknown) => e as Error);
    if (health instanceof Error || !health.ok) {
      throw new Error(vscode.l10n.t('No Datahub emulator answers at {0} ({1}). Start it with "npm run emulator".', url, health instanceof Error ? health.message : `HTTP ${health.status}`));
    }
    for (const backend of BACKENDS) await settings.setBaseUrl(backend, url);
    await settings.setIpfsApiUrl(url);
    void vscode.window.showInformationMessage(vscode.l10n.t('Every Datahub backend now points at the emulator at {0}.', url));
    return true;
  });

  commands.register('datahub.showLog', () => deps.channel.show(true));
}
