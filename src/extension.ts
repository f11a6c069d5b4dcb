// Composition root: builds the shared services, then lets each area wire its clients, views and commands.
import * as vscode from 'vscode';
import { channelLogger } from './platform/log';
import { CommandRegistry } from './platform/commands';
import { Settings } from './platform/settings';
import { CredentialStore } from './platform/secrets';
import { fillDemoCredentialsForDemo } from './platform/demoCredentials';
import { WindowPrompts } from './platform/prompts';
import { RecordingNotifier, WindowNotifier } from './platform/notifications';
import { ReplaceablePrompts, testingApi } from './platform/testing';
import { webviewLink } from './webviews/pageLink';
import { WatchedPages } from './webviews/watchedPages';
import type { CoreServices } from './platform/core';
import type { DatahubExtensionApi } from './extensionApi';
import { createTransferRuntime } from './areas/engine';
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
  // Only a test run (VS Code's extension test mode) can put answers in place of the window's questions.
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const testPrompts = testMode ? new ReplaceablePrompts(new WindowPrompts()) : undefined;
  const testNotifier = testMode ? new RecordingNotifier(new WindowNotifier()) : undefined;
  const notifier = testNotifier ?? new WindowNotifier();
  const testPages = testMode ? new WatchedPages() : undefined;
  const commands = new CommandRegistry(context.subscriptions, logger, channel, notifier);
  const prompts = testPrompts ?? new WindowPrompts();
  await fillDemoCredentialsForDemo(process.env, credentials, logger);
  const { runtime, interrupted } = await createTransferRuntime(context, settings, credentials, logger);
  const { engine } = runtime;
  const core: CoreServices = { context, channel, logger, commands, settings, credentials, prompts, notifier, pages: testPages ?? webviewLink };

  const setup = activateSetupArea(core);
  const transfers = activateTransfersArea(core, runtime);
  const connectors = activateConnectorsArea(core);
  const pandora = activatePandoraArea(core);
  const media = activateMediaArea(core, engine);
  // Only now is every area's protocol registered with the engine.
  resumeInterrupted(core, engine, interrupted, transfers.notices);
  logger.info(`Datahub ${String(context.extension.packageJSON.version)} activated`);
  return {
    transfers: () => engine.list().map((r) => structuredClone(r)),
    testing: testPrompts && testNotifier && testPages && testingApi({ setup, transfers, connectors, pandora, media }, { prompts: testPrompts, credentials, notifier: testNotifier, pages: testPages }),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
