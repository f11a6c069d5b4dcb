// Pandora commands: credentials and refresh here; datasources, jobs / exports and runs in their own modules.
// Each command takes its tree node, or asks with a quick pick when run from the palette.
import * as vscode from 'vscode';
import type { PandoraClient } from '../api/pandora/client';
import type { CommandRegistry } from '../platform/commands';
import type { CredentialStore } from '../platform/secrets';
import type { PandoraTreeProvider } from '../providers/pandoraTree';
import type { PandoraPanelDeps } from '../webviews/jobEditorPanelSupport';
import { registerDatasourceCommands } from './pandoraDatasources';
import { registerJobCommands } from './pandoraJobs';
import { PandoraPickers } from './pandoraPickers';
import { PandoraPrompts, registerPromptHook } from './pandoraPrompts';
import { registerRunCommands } from './pandoraRuns';

export interface PandoraCommandDeps {
  commands: CommandRegistry;
  credentials: CredentialStore;
  client: PandoraClient;
  tree: PandoraTreeProvider;
  panels: PandoraPanelDeps;
  pickers: PandoraPickers;
  prompts: PandoraPrompts;
}

const t = vscode.l10n.t;

export function registerPandoraCommands(base: Omit<PandoraCommandDeps, 'pickers' | 'prompts'>): void {
  const deps: PandoraCommandDeps = { ...base, pickers: new PandoraPickers(base.client), prompts: new PandoraPrompts() };
  const { commands, tree } = deps;

  commands.register('datahub.pandora.refresh', () => tree.refresh());

  commands.register('datahub.pandora.setCredentials', async () => {
    const keys = t('AccessKey and SecretKey');
    const token = t('Paste a token');
    const how = await vscode.window.showQuickPick([{ label: keys, detail: t('Requests are signed with HMAC-SHA1 (the SecretKey never leaves this computer).') }, { label: token, detail: t('A pre-made token sent as the whole Authorization header.') }], { title: t('Pandora credentials') });
    if (!how) return false;
    if (how.label === keys) {
      const ak = await vscode.window.showInputBox({ title: t('Pandora AccessKey'), prompt: t('Stored in VS Code secret storage.'), value: (await deps.credentials.get('pandora', 'accessKey')) ?? '', ignoreFocusOut: true });
      if (!ak) return false;
      const sk = await vscode.window.showInputBox({ title: t('Pandora SecretKey'), prompt: t('Stored in VS Code secret storage.'), password: true, ignoreFocusOut: true });
      if (!sk) return false;
      await deps.credentials.set('pandora', 'accessKey', ak.trim());
      await deps.credentials.set('pandora', 'secretKey', sk.trim());
      await deps.credentials.set('pandora', 'token', '');
    } else {
      const value = await vscode.window.showInputBox({ title: t('Pandora token'), prompt: t('The whole Authorization value, e.g. "Pandora …". Stored in VS Code secret storage.'), password: true, ignoreFocusOut: true });
      if (!value) return false;
      await deps.credentials.set('pandora', 'token', value.trim());
      await deps.credentials.set('pandora', 'accessKey', '');
      await deps.credentials.set('pandora', 'secretKey', '');
    }
    tree.refresh();
    return true;
  });

  registerDatasourceCommands(deps);
  registerJobCommands(deps);
  registerRunCommands(deps);
  registerPromptHook((id, handler) => commands.register(id, handler), deps.prompts);
}
