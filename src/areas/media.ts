// Wires the media area: its clients, the three IPFS protocols on the shared engine, the Media view, commands, the URI hand-off.
import * as vscode from 'vscode';
import { IpfsClient } from '../api/ipfs/client';
import { MediaClient } from '../api/media/client';
import { parseHandoff } from '../api/media/handoff';
import type { MediaCommandDeps } from '../commands/media/deps';
import { downloadMediaSource } from '../commands/media/download';
import { confirmAndStart } from '../commands/media/handoff';
import { cancelMediaTransfer, copyMediaHash, copyMediaSourceId, retryMediaTransfer, revealMediaTransfer } from '../commands/media/transferActions';
import { uploadMediaFolder } from '../commands/media/uploadFolder';
import { MediaPrivateKeys } from '../commands/media/privateKeys';
import { uploadPrivateBlocks } from '../commands/media/uploadPrivate';
import type { CoreServices } from '../platform/core';
import { MediaTreeProvider } from '../providers/mediaTree';
import { ViewRecovery } from '../providers/viewProblems';
import type { TransferEngine } from '../transfer/engine';
import { MediaDownloadProtocol } from '../transfer/protocols/mediaDownload';
import { MediaPrivateUploadProtocol } from '../transfer/protocols/mediaPrivateUpload';
import type { MediaProtocolDeps } from '../transfer/protocols/mediaShared';
import { MediaUploadProtocol } from '../transfer/protocols/mediaUpload';

/** How often a download asks whether its private block has been authorised. */
const AUTHORIZATION_POLL_MS = 2000;

export interface MediaArea {
  tree: MediaTreeProvider;
}

export function activateMediaArea(core: Pick<CoreServices, 'context' | 'commands' | 'settings' | 'credentials' | 'logger' | 'prompts'>, engine: TransferEngine): MediaArea {
  const { context, commands, settings, credentials, logger } = core;
  const client = new MediaClient({
    baseUrl: () => settings.baseUrl('media'),
    token: () => credentials.get('media', 'token'),
    logger,
    onMessage: (message) => void vscode.window.showInformationMessage(message),
    limits: () => settings.httpLimits(),
  });
  const ipfs = new IpfsClient({ apiUrl: () => settings.ipfsApiUrl(), logger, timeoutMs: () => settings.ipfsTimeoutMs() });
  const keys = new MediaPrivateKeys(context, engine, logger);
  const protocolDeps: MediaProtocolDeps = {
    client,
    ipfs,
    stagingDir: () => vscode.Uri.joinPath(context.globalStorageUri, 'media-staging').fsPath,
    privateBlocks: keys.store,
    retries: () => settings.transfer().retries,
    pollMs: () => AUTHORIZATION_POLL_MS,
  };
  engine.registerProtocol(new MediaUploadProtocol(protocolDeps));
  engine.registerProtocol(new MediaDownloadProtocol(protocolDeps));
  engine.registerProtocol(new MediaPrivateUploadProtocol(protocolDeps));

  const recovery = new ViewRecovery('media', () => settings.baseUrl('media'), 'datahub.media.refresh', () => tree.refresh(), () => settings.viewRetrySeconds());
  const hasToken = async (): Promise<boolean> => (await credentials.get('media', 'token')) !== undefined;
  const tree = new MediaTreeProvider(engine, client, hasToken, recovery, () => settings.baseUrl('media') !== '');
  const view = vscode.window.createTreeView('datahub.media', { treeDataProvider: tree });
  recovery.watch(view);
  context.subscriptions.push(recovery, tree, view, credentials.onDidChange(() => tree.refresh()), settings.onDidChange(() => tree.refresh()));

  const deps: MediaCommandDeps = { client, engine, prompts: core.prompts, credentials };
  // The view shows what its own actions changed at once (a new task, a cancelled one, the backend's private list).
  const thenRefresh =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        try {
          return await run(...args);
        } finally {
          tree.refresh();
        }
      };
  commands.register('datahub.media.uploadFolder', thenRefresh((clicked?: unknown) => uploadMediaFolder(deps, clicked)));
  commands.register('datahub.media.download', thenRefresh(() => downloadMediaSource(deps)));
  commands.register('datahub.media.uploadPrivate', thenRefresh((clicked?: unknown) => uploadPrivateBlocks({ ...deps, keys }, clicked)));
  commands.register('datahub.media.refresh', () => tree.refresh());
  commands.register('datahub.media.copyHash', (node?: unknown) => copyMediaHash(deps, node));
  commands.register('datahub.media.copySourceId', (node?: unknown) => copyMediaSourceId(deps, node));
  commands.register('datahub.media.cancel', thenRefresh((node?: unknown) => cancelMediaTransfer(deps, node)));
  commands.register('datahub.media.retry', thenRefresh((node?: unknown) => retryMediaTransfer(deps, node)));
  commands.register('datahub.media.reveal', (node?: unknown) => revealMediaTransfer(deps, node));

  context.subscriptions.push(
    vscode.window.registerUriHandler({
      handleUri: async (uri: vscode.Uri) => {
        try {
          await confirmAndStart(deps, settings.baseUrl('media'), parseHandoff(uri.path, uri.query));
        } catch (err) {
          await commands.report('media link', err);
        }
      },
    }),
  );
  // Keys an earlier version left in the working tree leave it now, not only when the user next uploads private blocks.
  void keys.migrate().catch((err: unknown) => logger.warn(`private block migration failed: ${String(err)}`));
  return { tree };
}
