// The questions of the media commands: the media token (asked once), an id, a folder, where to download.
import * as vscode from 'vscode';
import type { Prompts } from '../../platform/prompts';
import type { CredentialStore } from '../../platform/secrets';

/** The media token: given (stored first), stored, or asked for once and stored in SecretStorage. */
export async function ensureMediaToken(deps: { prompts: Prompts; credentials: CredentialStore }, given?: string): Promise<void> {
  if (given) {
    await deps.credentials.set('media', 'token', given);
    return;
  }
  if (await deps.credentials.get('media', 'token')) return;
  const token = await deps.prompts.input({
    title: vscode.l10n.t('Media user token'),
    prompt: vscode.l10n.t('The user token the media web page hands over (kept in secret storage).'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('The token is required')),
  });
  if (!token) throw new vscode.CancellationError();
  await deps.credentials.set('media', 'token', token.trim());
}

function parseId(text: string): number | undefined {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

export async function askId(prompts: Prompts, title: string, prompt: string): Promise<number> {
  const text = await prompts.input({
    title,
    prompt,
    ignoreFocusOut: true,
    validateInput: (v) => (parseId(v) === undefined ? vscode.l10n.t('Enter a whole number') : undefined),
  });
  const id = text === undefined ? undefined : parseId(text);
  if (id === undefined) throw new vscode.CancellationError();
  return id;
}

export async function pickFolder(prompts: Prompts, title: string): Promise<string> {
  const picked = await prompts.openDialog({ title, canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
  if (!picked?.[0]) throw new vscode.CancellationError();
  return picked[0].fsPath;
}

/** A workspace folder, or any folder through the open dialog. */
export async function pickDestination(prompts: Prompts): Promise<string> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const choose = vscode.l10n.t('Choose a folder…');
  const items = [...folders.map((f) => ({ label: f.name, description: f.uri.fsPath, path: f.uri.fsPath as string | undefined })), { label: choose, description: '', path: undefined }];
  const picked = folders.length ? await prompts.pick(items, { title: vscode.l10n.t('Download into which folder?'), ignoreFocusOut: true }) : items[items.length - 1];
  if (!picked) throw new vscode.CancellationError();
  return picked.path ?? (await pickFolder(prompts, vscode.l10n.t('Download into which folder?')));
}
