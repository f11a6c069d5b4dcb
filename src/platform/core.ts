// The services the composition root builds once; each area takes the few of them it uses.
import type * as vscode from 'vscode';
import type { Logger } from '../api/logger';
import type { PageLink } from '../webviews/pageLink';
import type { CommandRegistry } from './commands';
import type { Notifier } from './notifications';
import type { Prompts } from './prompts';
import type { CredentialStore } from './secrets';
import type { Settings } from './settings';

export interface CoreServices {
  context: vscode.ExtensionContext;
  channel: vscode.LogOutputChannel;
  logger: Logger;
  commands: CommandRegistry;
  settings: Settings;
  credentials: CredentialStore;
  /** The questions commands ask; in test mode the integration tests answer them. */
  prompts: Prompts;
  /** The non-modal notifications; in test mode recorded for the integration tests. */
  notifier: Notifier;
  /** How webview panels hear their pages and post to them; in test mode watched for the integration tests. */
  pages: PageLink;
}
