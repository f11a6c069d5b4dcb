// Composition root: builds the shared services, then lets each area wire its clients, views and commands.
import * as vscode from 'vscode';
import { channelLogger } from './platform/log';
import { CommandRegistry } from './platform/commands';
import { Settings } from './platform/settings';
import { CredentialStore } from './platform/secrets';
import { fillDemoCredentials } from './platform/demoCredentials';
import type { CoreServices } from './platform/core';
import type { DatahubExtensionApi } from './extensionApi';
import { createTransferEngine } from './areas/engine';
import { activateTransfersArea, resumeInterrupted } from './areas/transfers';
import { activateSetupArea } from './areas/setup';
import { activateConnectorsArea } from './areas/connectors';
import { activatePandoraArea } from './areas/pandora';
import { activateMediaArea } from './areas/media';

export async function activate(context: vscode.ExtensionContext): Promise<DatahubExtensionApi> {
  const channel = vscode.window.createOutputChannel('Datahub', { log: true });
  context.subscriptions.push(channel);
  const logger = channelLogger(channel);
  const settings = new Settings();
  const credentials = new CredentialStore(context.secrets);
  const commands = new CommandRegistry(context.subscriptions, logger, channel);
  await fillDemoCredentials(process.env, credentials, logger);
  const { engine, datahub, interrupted } = await createTransferEngine(context, settings, credentials, logger);
  const core: CoreServices = { context, channel, logger, commands, settings, credentials, engine, datahub };

  activateSetupArea(core);
  const api = activateTransfersArea(core);
  activateConnectorsArea(core);
  activatePandoraArea(core);
  activateMediaArea(core);
  // Only now is every area's protocol registered with the engine.
  resumeInterrupted(core, interrupted);
  logger.info(`Datahub ${String(context.extension.packageJSON.version)} activated`);
  return api;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
