// Builds the transfer engine for the extension host: journal in global storage, protocols, settings.
import * as vscode from 'vscode';
import type { Logger } from '../api/logger';
import { DatahubClient } from '../api/datahub/client';
import { createDataAxios } from '../api/http';
import { TransferEngine } from '../transfer/engine';
import type { TransferRecord } from '../transfer/types';
import { FileJournal } from '../transfer/journal';
import { DatahubUploadProtocol } from '../transfer/protocols/datahubUpload';
import { DatahubDownloadProtocol } from '../transfer/protocols/datahubDownload';
import { MultipartClient } from '../api/multipart/client';
import { MultipartUploadProtocol } from '../transfer/protocols/multipartUpload';
import type { CredentialStore } from '../platform/secrets';
import type { Settings } from '../platform/settings';

export interface EngineServices {
  engine: TransferEngine;
  datahub: DatahubClient;
  /** Transfers that were running when VS Code last stopped; they are paused now. */
  interrupted: TransferRecord[];
}

export async function createTransferEngine(
  context: vscode.ExtensionContext,
  settings: Settings,
  credentials: CredentialStore,
  logger: Logger,
): Promise<EngineServices> {
  const journalDir = vscode.Uri.joinPath(context.globalStorageUri, 'transfers').fsPath;
  const engine = new TransferEngine({
    journal: new FileJournal(journalDir),
    logger,
    concurrency: () => settings.transfer().concurrency,
  });
  const datahub = new DatahubClient({
    baseUrl: () => settings.baseUrl('datahub'),
    token: () => credentials.get('datahub', 'token'),
    authHeader: () => settings.datahubAuthHeader(),
    logger,
    limits: () => settings.httpLimits(),
  });
  const tuning = settings.transfer();
  const data = createDataAxios(Math.max(8, tuning.partConcurrency * tuning.concurrency));
  engine.registerProtocol(
    new DatahubUploadProtocol({
      client: datahub,
      data,
      tuning: () => {
        const t = settings.transfer((m) => logger.warn(m));
        return { chunkSize: t.chunkSize, partConcurrency: t.partConcurrency, retries: t.retries, heartbeatSeconds: t.heartbeatSeconds, stallSeconds: 60, partContentType: t.partContentType };
      },
      logger,
    }),
  );
  const multipart = new MultipartClient({ baseUrl: () => settings.baseUrl('multipart'), token: () => credentials.get('multipart', 'token'), logger, limits: () => settings.httpLimits() });
  engine.registerProtocol(
    new MultipartUploadProtocol({
      client: multipart,
      data,
      tuning: () => {
        const t = settings.transfer((m) => logger.warn(m));
        return { partSize: t.multipartPartSize, partConcurrency: t.partConcurrency, retries: t.retries, stallSeconds: 60 };
      },
    }),
  );
  engine.registerProtocol(
    new DatahubDownloadProtocol({
      client: datahub,
      tuning: () => {
        const t = settings.transfer((m) => logger.warn(m));
        return { chunkSize: t.chunkSize, partConcurrency: t.partConcurrency, retries: t.retries, stallSeconds: 60 };
      },
    }),
  );
  context.subscriptions.push({ dispose: () => void engine.dispose() });
  const interrupted = await engine.restore();
  return { engine, datahub, interrupted };
}
