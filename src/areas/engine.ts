// The transfer runtime for the extension host: the journal in global storage, settings and credentials read through
// the VS Code adapters, other windows' transfers watched; damaged journal records reported once.
import * as vscode from 'vscode';
import type { Logger } from '../api/logger';
import { defaultStateDir } from '../cli/stateDir';
import type { CredentialStore } from '../platform/secrets';
import type { Settings } from '../platform/settings';
import { announceHashCache, hashCachePeersFor } from '../transfer/hashCachePeers';
import { DEFAULT_TUNING, TransferRuntime, type TransferTuning } from '../transfer/runtime';
import type { TransferRecord } from '../transfer/types';

/** How often the Transfers view reads another window's transfers again. */
const WATCH_INTERVAL_MS = 1000;

export interface EngineServices {
  runtime: TransferRuntime;
  /** Transfers that were running when VS Code last stopped; they are paused now. */
  interrupted: TransferRecord[];
}

export async function createTransferRuntime(context: vscode.ExtensionContext, settings: Settings, credentials: CredentialStore, logger: Logger): Promise<EngineServices> {
  const tuning = (): TransferTuning => {
    const t = settings.transfer((m) => logger.warn(m));
    return { ...DEFAULT_TUNING, ...t, minBytesPerSecond: t.minThroughputKiBps * 1024, floorWindowSeconds: t.minThroughputWindowSeconds };
  };
  // The hash cache in global storage, listed in the product's cache folder (not in the CLI's state dir) for the CLI;
  // the CLI's (its default state dir, and any other a CLI run listed) are read too, so that a file hashed by either
  // is not hashed again by the other.
  const storage = context.globalStorageUri.fsPath;
  const cliStateDir = defaultStateDir();
  announceHashCache(storage).catch((e: unknown) => logger.warn(`the CLI was not told where the hash cache is: ${String(e)}`));
  const peers = await hashCachePeersFor(storage, [cliStateDir]).catch(() => [cliStateDir]);
  const runtime = new TransferRuntime({
    journalDir: vscode.Uri.joinPath(context.globalStorageUri, 'transfers').fsPath,
    owner: 'window',
    logger,
    datahub: { baseUrl: () => settings.baseUrl('datahub'), token: () => credentials.get('datahub', 'token'), authHeader: () => settings.datahubAuthHeader() },
    multipart: { baseUrl: () => settings.baseUrl('multipart'), token: () => credentials.get('multipart', 'token') },
    httpLimits: () => settings.httpLimits(),
    tuning,
    watchIntervalMs: WATCH_INTERVAL_MS,
    hashCache: { folder: storage, peers },
  });
  context.subscriptions.push({ dispose: () => void runtime.dispose() });
  const { interrupted, setAside } = await runtime.restore();
  if (setAside.length > 0) {
    const showLog = vscode.l10n.t('Show Log');
    const files = setAside.map((s) => `${s.file} (${s.reason})`).join('; ');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('{0} damaged transfer record(s) were set aside and are not shown: {1}', setAside.length, files), showLog)
      .then((choice) => (choice === showLog ? vscode.commands.executeCommand('datahub.showLog') : undefined));
  }
  return { runtime, interrupted };
}
