// `datahub upload <file|folder>… --subtask ID`: the extension's upload engine from a terminal, resumable.
import { resolve } from 'node:path';
import { DatahubClient, validateSubtaskId } from '../api/datahub/client';
import { createDataAxios } from '../api/http';
import { TransferEngine } from '../transfer/engine';
import { FileJournal } from '../transfer/journal';
import { duplicateName, expandLocalPaths } from '../transfer/localFiles';
import { DATAHUB_UPLOAD, DatahubUploadProtocol, describeUploadFiles, type DatahubUploadParams } from '../transfer/protocols/datahubUpload';
import { fileCheckpoints, own } from '../transfer/protocols/datahubUploadState';
import type { Json, TransferRecord } from '../transfer/types';
import { DATAHUB_CLI_BACKEND, intOption, parse, readTransferOptions, requireLocalSource, stringOption, TRANSFER_OPTIONS, UsageError } from './args';
import { consoleLogger } from './consoleLogger';
import { followTransfer } from './followTransfer';
import { multipartUploadCommand, splitProtocol } from './multipartUpload';
import { printErr } from './terminalText';
import { redact } from '../api/logger';


export const UPLOAD_USAGE = `usage: datahub upload <file|folder>... --subtask ID [--endpoint URL] [--token T]
         [--concurrency N] [--chunk-size BYTES] [--retries N] [--part-content-type TYPE]
         [--state-dir DIR] [--restart] [--json] [--verbose]`;

export async function uploadCommand(rawArgv: string[]): Promise<number> {
  const { protocol, argv } = splitProtocol(rawArgv);
  if (protocol === 'multipart') return multipartUploadCommand(argv);
  const { values, positionals } = parse(argv, {
    subtask: { type: 'string' },
    ...TRANSFER_OPTIONS,
    'heartbeat-seconds': { type: 'string' },
    'part-content-type': { type: 'string' },
    restart: { type: 'boolean' },
  });
  if (positionals.length === 0) throw new UsageError(`no file or folder given\n${UPLOAD_USAGE}`);
  const subtaskRaw = stringOption(values, 'subtask');
  if (!subtaskRaw) throw new UsageError(`--subtask is required\n${UPLOAD_USAGE}`);
  const subtaskId = validateSubtaskId(subtaskRaw);
  const { endpoint, token, concurrency, chunkSize, retries, stateDir, httpLimits, json, verbose } = readTransferOptions(values, DATAHUB_CLI_BACKEND);
  const heartbeatSeconds = intOption(values, 'heartbeat-seconds', 30, 1, 3600);
  // None by default: part URLs are presigned without one, and SigV2 / OSS V1 signatures cover it.
  const partContentType = stringOption(values, 'part-content-type')?.trim() || undefined;
  if (partContentType && /[\r\n]/.test(partContentType)) throw new UsageError('--part-content-type: must be one line of text');
  const logger = consoleLogger(verbose);

  const paths = positionals.map((p) => resolve(p));
  for (const path of paths) await requireLocalSource(path);
  const skippedLinks: string[] = [];
  const entries = await expandLocalPaths(paths, undefined, skippedLinks);
  if (skippedLinks.length > 0) printErr(`skipped ${skippedLinks.length} symbolic link${skippedLinks.length === 1 ? '' : 's'} (not followed):\n${skippedLinks.map((l) => `  ${l}`).join('\n')}`);
  if (entries.length === 0) throw new UsageError('there is no file to upload under the given paths');
  const duplicate = duplicateName(entries);
  if (duplicate) throw new UsageError(`two files would both be uploaded as "${duplicate}"; upload them separately`);

  const client = new DatahubClient({ baseUrl: () => endpoint, token: async () => token, logger, limits: () => httpLimits });
  const engine = new TransferEngine({ journal: new FileJournal(stateDir), logger, concurrency: () => 1 });
  engine.registerProtocol(
    new DatahubUploadProtocol({
      client,
      data: createDataAxios(concurrency + 2),
      tuning: () => ({ chunkSize, partConcurrency: concurrency, retries, heartbeatSeconds, stallSeconds: 60, partContentType }),
      logger,
    }),
  );
  await engine.restore();

  const sameJob = (r: TransferRecord): boolean => {
    const p = r.params as unknown as DatahubUploadParams;
    return r.protocol === DATAHUB_UPLOAD && p.subtaskId === subtaskId && p.files.length === entries.length && p.files.every((f, i) => f.path === entries[i].path && f.name === entries[i].name);
  };
  let record = engine.list().find((r) => sameJob(r) && r.state !== 'completed' && r.state !== 'cancelled');
  if (record && values.restart === true) {
    await new FileJournal(stateDir).remove(record.id);
    record = undefined;
  }
  const started = Date.now();
  if (record) {
    if (!json) printErr(`resuming the earlier upload of ${record.label} to ${subtaskId}`);
    engine.retry(record.id);
  } else {
    const files = await describeUploadFiles(entries);
    record = engine.add({
      protocol: DATAHUB_UPLOAD,
      direction: 'upload',
      label: entries.length === 1 ? entries[0].name : `${entries.length} files`,
      localPath: paths[0],
      params: { subtaskId, files: files as unknown as Json },
      bytesTotal: files.reduce((s, f) => s + f.size, 0),
    });
  }
  const id = record.id;

  const { final, interrupted } = await followTransfer(engine, id, { json });
  await engine.dispose();

  const params = final.params as unknown as DatahubUploadParams;
  const checkpoints = fileCheckpoints(final);
  const summary = {
    subtask_id: subtaskId,
    files: params.files.map((f) => {
      const cp = own(checkpoints, f.name) ?? {};
      return {
        path: f.path,
        name: f.name,
        size: f.size,
        md5: cp.md5 ?? null,
        parts: cp.partSize ? Math.max(1, Math.ceil(f.size / cp.partSize)) : null,
        status: cp.done ? 'completed' : cp.error ? 'failed' : final.state,
        ...(cp.error ? { error: cp.error } : {}),
        // Upload ids given up for this file (a new init after expired URLs); they stay open on the store.
        abandoned_upload_ids: cp.abandoned ?? [],
      };
    }),
    skipped_links: skippedLinks,
    bytes: final.progress.bytesTotal,
    seconds: Math.round((Date.now() - started) / 10) / 100,
    state: final.state,
    ...(final.error ? { error: redact(final.error) } : {}),
  };
  if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (final.state === 'completed') {
    engine.clearFinished();
    if (!json) printErr(`uploaded ${summary.files.length} file(s), ${final.progress.bytesTotal} bytes, to ${subtaskId} in ${summary.seconds} s`);
    return 0;
  }
  if (interrupted || final.state === 'paused') {
    printErr('paused: run the same command again to resume');
    return 130;
  }
  printErr(`upload failed: ${final.error ?? final.state}`);
  return 1;
}
