// Wires the media area: its clients, the three IPFS protocols on the shared engine, the Media view, commands, the URI hand-off.
import * as vscode from 'vscode';
import { IpfsClient } from '../api/ipfs/client';
import { MediaClient } from '../api/media/client';
import { parseHandoff } from '../api/media/handoff';
import { confirmAndStart, registerMediaCommands } from '../commands/media';
import type { CoreServices } from '../platform/core';
import { MediaTreeProvider } from '../providers/mediaTree';
import { MediaDownloadProtocol } from '../transfer/protocols/mediaDownload';
import { MediaPrivateUploadProtocol } from '../transfer/protocols/mediaPrivateUpload';
import type { MediaProtocolDeps } from '../transfer/protocols/mediaShared';
import { MediaUploadProtocol } from '../transfer/protocols/mediaUpload';

/** How often a download asks whether its private block has been authorised. */
const AUTHORIZATION_POLL_MS = 2000;

export function activateMediaArea(core: CoreServices): void {
  const { context, settings, credentials, logger } = core;
  const client = new MediaClient({
    baseUrl: () => settings.baseUrl('media'),
    token: () => credentials.get('media', 'token'),
    logger,
    onMessage: (message) => void vscode.window.showInformationMessage(message),
    limits: () => settings.httpLimits(),
  });
  const ipfs = new IpfsClient({ apiUrl: () => settings.ipfsApiUrl(), logger, timeoutMs: () => settings.ipfsTimeoutMs() });
  const deps: MediaProtocolDeps = {
    client,
    ipfs,
    stagingDir: () => vscode.Uri.joinPath(context.globalStorageUri, 'media-staging').fsPath,
    retries: () => settings.transfer().retries,
    pollMs: () => AUTHORIZATION_POLL_MS,
  };
  core.engine.registerProtocol(new MediaUploadProtocol(deps));
  core.engine.registerProtocol(new MediaDownloadProtocol(deps));
  core.engine.registerProtocol(new MediaPrivateUploadProtocol(deps));

  const tree = new MediaTreeProvider(core.engine, client, async () => (await credentials.get('media', 'token')) !== undefined);
  const view = vscode.window.createTreeView('datahub.media', { treeDataProvider: tree });
  context.subscriptions.push(tree, view, credentials.onDidChange(() => tree.refresh()), settings.onDidChange(() => tree.refresh()));
  const commandDeps = { core, client, tree };
  registerMediaCommands(commandDeps);

  context.subscriptions.push(
    vscode.window.registerUriHandler({
      handleUri: async (uri: vscode.Uri) => {
        try {
          const request = parseHandoff(uri.path, uri.query);
          await confirmAndStart(commandDeps, request);
        } catch (err) {
          await core.commands.report('media link', err);
        }
      },
    }),
  );
}
