// Wires the media area: its clients, the three IPFS protocols on the shared engine, the Media view, commands, the URI hand-off.
import * as vscode from 'vscode';
import { IpfsClient } from '../api/ipfs/client';
import { RecordingMediaClient } from '../api/media/recordingClient';
import { parseHandoff } from '../api/media/handoff';
import type { MediaCommandDeps } from '../commands/media/deps';
import { downloadMediaSource } from '../commands/media/download';
import { confirmAndStart } from '../commands/media/handoff';
import { cancelMediaTransfer, copyMediaHash, copyMediaSourceId, retryMediaTransfer, revealMediaTransfer } from '../commands/media/transferActions';
import { removeMediaTaskFromList } from '../commands/media/removeFromList';
import { uploadMediaFolder } from '../commands/media/uploadFolder';
import { MediaPrivateKeys } from '../commands/media/privateKeys';
import { uploadPrivateBlocks } from '../commands/media/uploadPrivate';
import type { CoreServices } from '../platform/core';
import { MediaTaskLog } from '../providers/mediaTaskLog';
import { MediaTaskQueries } from '../providers/mediaTaskQueries';
import { MediaTreeProvider, type MediaNode } from '../providers/mediaTree';
import { ViewRecovery } from '../providers/viewProblems';
import type { TransferEngine } from '../transfer/engine';
import { MediaDownloadProtocol } from '../transfer/protocols/mediaDownload';
import { MediaPrivateUploadProtocol } from '../transfer/protocols/mediaPrivateUpload';
import type { MediaProtocolDeps } from '../transfer/protocols/mediaShared';
import { MediaUploadProtocol } from '../transfer/protocols/mediaUpload';

/** How often a download asks whether its private block has been authorised. */
const AUTHORIZATION_POLL_MS = 2000;
/** How often the Media view asks about its download tasks while one is in progress on the backend. */
const TASK_POLL_MS = 5000;

export interface MediaArea {
  tree: MediaTreeProvider;
  /** The upload and download tasks the view lists (per endpoint, in global storage). */
  taskLog: MediaTaskLog;
}

export function activateMediaArea(core: Pick<CoreServices, 'context' | 'commands' | 'settings' | 'credentials' | 'logger' | 'prompts' | 'notifier'>, engine: TransferEngine): MediaArea {
  const { context, commands, settings, credentials, logger } = core;
  // Api 002 lists no upload or download tasks: every one this client creates, and each answer about it, goes to the log.
  const taskLog = new MediaTaskLog(context.globalState, () => settings.baseUrl('media'));
  const client = new RecordingMediaClient(
    {
      baseUrl: () => settings.baseUrl('media'),
      token: () => credentials.get('media', 'token'),
      logger,
      onMessage: (message) => void vscode.window.showInformationMessage(message),
      limits: () => settings.httpLimits(),
    },
    taskLog,
  );
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
  const queries: MediaTaskQueries = new MediaTaskQueries(client, taskLog, () => tree.repaint(), () => TASK_POLL_MS, (): boolean => view.visible);
  const tree: MediaTreeProvider = new MediaTreeProvider(engine, client, hasToken, recovery, () => settings.baseUrl('media') !== '', taskLog, queries);
  const view: vscode.TreeView<MediaNode> = vscode.window.createTreeView('datahub.media', { treeDataProvider: tree });
  recovery.watch(view);
  const shown = view.onDidChangeVisibility((e) => {
    if (e.visible) void queries.refresh('active');
  });
  context.subscriptions.push(shown, queries, taskLog, recovery, tree, view, credentials.onDidChange(() => void tree.refresh()), settings.onDidChange(() => void tree.refresh()));

  const deps: MediaCommandDeps = { client, engine, prompts: core.prompts, credentials };
  // The view shows what its own actions changed at once (a new task, a cancelled one, the backend's private list).
  const thenRefresh =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        try {
          return await run(...args);
        } finally {
          void tree.refresh();
        }
      };
  commands.register('datahub.media.uploadFolder', thenRefresh((clicked?: unknown) => uploadMediaFolder(deps, clicked)));
  commands.register('datahub.media.download', thenRefresh(() => downloadMediaSource(deps)));
  commands.register('datahub.media.uploadPrivate', thenRefresh((clicked?: unknown) => uploadPrivateBlocks({ ...deps, keys }, clicked)));
  commands.register('datahub.media.refresh', () => tree.refresh());
  commands.register('datahub.media.removeFromList', (node?: unknown) => removeMediaTaskFromList({ log: taskLog, prompts: core.prompts, notifier: core.notifier }, node));
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
  return { tree, taskLog };
}
