// `datahub download --subtask ID [--out DIR]`: a subtask's input file through the download engine, resumable, never overwriting silently.
import { resolve } from 'node:path';
import { DatahubClient, validateSubtaskId } from '../api/datahub/client';
import { keepAliveAgents } from '../api/http';
import { TransferEngine } from '../transfer/engine';
import { FileJournal } from '../transfer/journal';
import { withRetry } from '../transfer/retry';
import {
  DATAHUB_DOWNLOAD,
  DatahubDownloadProtocol,
  downloadTargetPath,
  fileExists,
  safeLocalName,
  type DatahubDownloadParams,
  type DownloadCheckpoint,
} from '../transfer/protocols/datahubDownload';
import type { Json, TransferRecord } from '../transfer/types';
import { DATAHUB_CLI_BACKEND, folderOption, intOption, parse, readTransferOptions, stringOption, TRANSFER_OPTIONS, UsageError } from './args';
import { consoleLogger } from './consoleLogger';
import { followTransfer } from './followTransfer';
import { printErr } from './terminalText';
import { redact } from '../api/logger';


export const DOWNLOAD_USAGE = `usage: datahub download --subtask ID [--out DIR] [--endpoint URL] [--token T]
         [--concurrency N] [--chunk-size BYTES] [--retries N] [--state-dir DIR] [--overwrite] [--json] [--verbose]`;

export async function downloadCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    subtask: { type: 'string' },
    out: { type: 'string' },
    ...TRANSFER_OPTIONS,
    'stall-seconds': { type: 'string' },
    overwrite: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n${DOWNLOAD_USAGE}`);
  const subtaskRaw = stringOption(values, 'subtask');
  if (!subtaskRaw) throw new UsageError(`--subtask is required\n${DOWNLOAD_USAGE}`);
  const subtaskId = validateSubtaskId(subtaskRaw);
  const { endpoint, token, concurrency, chunkSize, retries, stateDir, httpLimits, json, verbose } = readTransferOptions(values, DATAHUB_CLI_BACKEND);
  const stallSeconds = intOption(values, 'stall-seconds', 60, 1, 3600);
  const folder = folderOption('out', resolve(stringOption(values, 'out') ?? '.'));
  const overwrite = values.overwrite === true;
  const logger = consoleLogger(verbose);

  const client = new DatahubClient({ baseUrl: () => endpoint, token: async () => token, logger, limits: () => httpLimits });
  const sockets = keepAliveAgents(concurrency + 2);
  const engine = new TransferEngine({ journal: new FileJournal(stateDir), logger, concurrency: () => 1 });
  engine.registerProtocol(
    new DatahubDownloadProtocol({
      client,
      agents: { http: sockets.httpAgent, https: sockets.httpsAgent },
      tuning: () => ({ chunkSize, partConcurrency: concurrency, retries, stallSeconds }),
    }),
  );
  try {
    await engine.restore();
    const sameJob = (r: TransferRecord): boolean => {
      const p = r.params as unknown as DatahubDownloadParams;
      return r.protocol === DATAHUB_DOWNLOAD && p.subtaskId === subtaskId && resolve(p.folder) === folder;
    };
    let record = engine.list().find((r) => sameJob(r) && r.state !== 'completed' && r.state !== 'cancelled');
    const started = Date.now();
    if (record) {
      const params = record.params as unknown as DatahubDownloadParams;
      const target = downloadTargetPath(params);
      if (!overwrite && (await fileExists(target))) throw new UsageError(`${target} exists already; pass --overwrite to replace it`);
      if (overwrite) params.overwrite = true;
      if (!json) printErr(`resuming the earlier download of ${record.label} from ${subtaskId}`);
      engine.retry(record.id);
    } else {
      // The name is learnt first, so that an existing file is refused before anything is fetched.
      const presigned = await withRetry(() => client.presignDownload(subtaskId), { retries });
      const fileName = safeLocalName(presigned.file_name);
      const target = downloadTargetPath({ folder, fileName });
      if (!overwrite && (await fileExists(target))) throw new UsageError(`${target} exists already; pass --overwrite to replace it`);
      const params: DatahubDownloadParams = { subtaskId, folder, fileName, overwrite };
      record = engine.add({ protocol: DATAHUB_DOWNLOAD, direction: 'download', label: fileName, localPath: target, params: params as unknown as { [key: string]: Json } });
    }
    return await follow(engine, record.id, subtaskId, started, json);
  } finally {
    await engine.dispose();
    sockets.httpAgent.destroy();
    sockets.httpsAgent.destroy();
  }
}

async function follow(engine: TransferEngine, id: string, subtaskId: string, started: number, json: boolean): Promise<number> {
  const { final, interrupted } = await followTransfer(engine, id, { json });

  const params = final.params as unknown as DatahubDownloadParams;
  const cp = final.checkpoint as DownloadCheckpoint;
  const summary = {
    subtask_id: subtaskId,
    path: downloadTargetPath(params),
    name: params.fileName,
    size: typeof cp.size === 'number' ? cp.size : null,
    md5: cp.md5 ?? null,
    parts: typeof cp.size === 'number' && typeof cp.partSize === 'number' ? Math.max(1, Math.ceil(cp.size / cp.partSize)) : null,
    etag: cp.etag ?? null,
    // md5 | composite-md5 | size: how the bytes were checked against the store's ETag.
    integrity: cp.integrity ?? null,
    ...(cp.integrity === 'size' ? { integrity_note: "checked by size only: the store's ETag could not be verified" } : {}),
    seconds: Math.round((Date.now() - started) / 10) / 100,
    state: final.state,
    ...(final.error ? { error: redact(final.error) } : {}),
  };
  if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (final.state === 'completed') {
    engine.clearFinished();
    if (!json) printErr(`downloaded ${summary.path}, ${summary.size ?? 0} bytes, in ${summary.seconds} s${cp.integrity === 'size' ? ' (checked by size only)' : ''}`);
    return 0;
  }
  if (interrupted || final.state === 'paused') {
    printErr('paused: run the same command again to resume');
    return 130;
  }
  printErr(`download failed: ${final.error ?? final.state}`);
  return 1;
}
