// Set Pandora Credentials…: AccessKey + SecretKey (requests are signed), or a pasted token; stored in SecretStorage.
import * as vscode from 'vscode';
import type { Prompts } from '../../platform/prompts';
import type { CredentialStore } from '../../platform/secrets';

const t = vscode.l10n.t;

export async function setPandoraCredentials(deps: { prompts: Prompts; credentials: CredentialStore }, refresh: () => void): Promise<boolean> {
  const { prompts, credentials } = deps;
  const keys = t('AccessKey and SecretKey');
  const token = t('Paste a token');
  const how = await prompts.pick(
    [
      { label: keys, detail: t('Requests are signed with HMAC-SHA1 (the SecretKey never leaves this computer).') },
      { label: token, detail: t('A pre-made token sent as the whole Authorization header.') },
    ],
    { title: t('Pandora credentials') },
  );
  if (!how) return false;
  if (how.label === keys) {
    const ak = await prompts.input({ title: t('Pandora AccessKey'), prompt: t('Stored in VS Code secret storage.'), value: (await credentials.get('pandora', 'accessKey')) ?? '', ignoreFocusOut: true });
    if (!ak) return false;
    const sk = await prompts.input({ title: t('Pandora SecretKey'), prompt: t('Stored in VS Code secret storage.'), password: true, ignoreFocusOut: true });
    if (!sk) return false;
    await credentials.set('pandora', 'accessKey', ak.trim());
    await credentials.set('pandora', 'secretKey', sk.trim());
    await credentials.set('pandora', 'token', '');
  } else {
    const value = await prompts.input({ title: t('Pandora token'), prompt: t('The whole Authorization value, e.g. "Pandora …". Stored in VS Code secret storage.'), password: true, ignoreFocusOut: true });
    if (!value) return false;
    await credentials.set('pandora', 'token', value.trim());
    await credentials.set('pandora', 'accessKey', '');
    await credentials.set('pandora', 'secretKey', '');
  }
  refresh();
  return true;
}
