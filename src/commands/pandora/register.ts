// Pandora commands: refresh and credentials here; datasources, jobs / exports and runs in their own modules.
// Each command takes its tree node, or asks with a quick pick when run from the palette.
import type { PandoraClient } from '../../api/pandora/client';
import type { CommandRegistry } from '../../platform/commands';
import type { Notifier } from '../../platform/notifications';
import type { Prompts } from '../../platform/prompts';
import type { CredentialStore } from '../../platform/secrets';
import type { PandoraRunDetailsProvider } from '../../providers/pandoraRunDetails';
import type { PandoraTreeProvider } from '../../providers/pandoraTree';
import type { PandoraPanelDeps } from '../../webviews/jobEditorPanelSupport';
import { copyPandoraId } from './copyId';
import { registerDatasourceCommands } from './datasources';
import type { PandoraDialogs } from './dialogs';
import { registerJobCommands } from './jobs';
import { PandoraPickers } from './pickers';
import { registerRunCommands } from './runs';
import { setPandoraCredentials } from './setCredentials';

export interface PandoraCommandDeps {
  commands: CommandRegistry;
  credentials: CredentialStore;
  client: PandoraClient;
  tree: PandoraTreeProvider;
  panels: PandoraPanelDeps;
  /** The plain questions (pick, type, confirm). */
  prompts: Prompts;
  /** The multi-step dialogs on VS Code's own QuickPick / InputBox (Start, Find Run, the datasource editor). */
  dialogs: PandoraDialogs;
  pickers: PandoraPickers;
  notifier: Notifier;
  /** The runs' details documents. */
  runDetails: PandoraRunDetailsProvider;
}

export function registerPandoraCommands(base: Omit<PandoraCommandDeps, 'pickers'>): void {
  const deps: PandoraCommandDeps = { ...base, pickers: new PandoraPickers(base.client, base.prompts, base.notifier) };
  const { commands, tree } = deps;
  commands.register('datahub.pandora.refresh', () => tree.refresh());
  commands.register('datahub.pandora.copyId', (node?: unknown) => copyPandoraId(node));
  commands.register('datahub.pandora.setCredentials', () => setPandoraCredentials(deps, () => tree.refresh()));
  registerDatasourceCommands(deps);
  registerJobCommands(deps);
  registerRunCommands(deps);
}
