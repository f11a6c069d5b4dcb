// The services the composition root builds once and hands to each area of the extension.
import type * as vscode from 'vscode';
import type { Logger } from '../api/logger';
import type { DatahubClient } from '../api/datahub/client';
import type { TransferEngine } from '../transfer/engine';
import type { CommandRegistry } from './commands';
import type { CredentialStore } from './secrets';
import type { Settings } from './settings';

export interface CoreServices {
  context: vscode.ExtensionContext;
  channel: vscode.LogOutputChannel;
  logger: Logger;
  commands: CommandRegistry;
  settings: Settings;
  credentials: CredentialStore;
  engine: TransferEngine;
  datahub: DatahubClient;
}
