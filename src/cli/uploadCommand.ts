// `datahub upload <file|folder>… --subtask ID`: the extension's upload engine from a terminal, resumable.
import { resolve } from 'node:path';
import { validateSubtaskId } from '../api/datahub/client';
import { duplicateName } from '../transfer/localFiles';
import { DATAHUB_UPLOAD_KIND } from '../transfer/protocols/datahubUpload';
import { fileCheckpoints, own } from '../transfer/protocols/datahubUploadState';
import { selectUploadFiles, type UploadSelection } from '../transfer/runtime';
import { isTransferOf } from '../transfer/types';
import { DATAHUB_CLI_BACKEND, intOption, parse, readTransferOptions, requireLocalSource, stringOption, TRANSFER_OPTIONS, UsageError } from './args';
import { cliRuntime, earlierTransfer, refuseIfElsewhere } from './cliRuntime';
import { endRun, followTransfer, summaryEnd } from './followTransfer';
import { multipartUploadCommand, splitProtocol } from './multipartUpload';
import { printErr } from './terminalText';

export const UPLOAD_USAGE = `usage: datahub upload <file|folder>... --subtask ID [--endpoint URL] [--token T]
         [--concurrency N] [--file-concurrency N] [--chunk-size BYTES] [--retries N] [--part-content-type TYPE]
         [--stall-seconds S] [--min-throughput KIB_PER_S] [--min-throughput-window S]
         [--state-dir DIR] [--restart] [--json] [--verbose]`;

/** The files under the paths; a path that cannot be read is a usage error with a plain message. */
async function select(paths: string[]): Promise<UploadSelection> {
  try {
    return await selectUploadFiles(paths);
  } catch (error) {
    // Looked at again only now, to say which path and why.
    for (const path of paths) await requireLocalSource(path);
    throw error;
  }
}

export async function uploadCommand(rawArgv: string[]): Promise<number> {
  const { protocol, argv } = splitProtocol(rawArgv);
  if (protocol === 'multipart') return multipartUploadCommand(argv);
  const { values, positionals } = parse(argv, {
    subtask: { type: 'string' },
    ...TRANSFER_OPTIONS,
    'heartbeat-seconds': { type: 'string' },
    'part-content-type': { type: 'string' },
    'file-concurrency': { type: 'string' },
    restart: { type: 'boolean' },
  });
  if (positionals.length === 0) throw new UsageError(`no file or folder given\n${UPLOAD_USAGE}`);
  const subtaskRaw = stringOption(values, 'subtask');
  if (!subtaskRaw) throw new UsageError(`--subtask is required\n${UPLOAD_USAGE}`);
  const subtaskId = validateSubtaskId(subtaskRaw);
  const options = readTransferOptions(values, DATAHUB_CLI_BACKEND);
  const heartbeatSeconds = intOption(values, 'heartbeat-seconds', 30, 1, 3600);
  // Files of a folder at the same time, each with --concurrency parts in flight.
  const fileConcurrency = intOption(values, 'file-concurrency', 4, 1, 64);
  // None by default: part URLs are presigned without one, and SigV2 / OSS V1 signatures cover it.
  const partContentType = stringOption(values, 'part-content-type')?.trim() || undefined;
  if (partContentType && /[\r\n]/.test(partContentType)) throw new UsageError('--part-content-type: must be one line of text');

  const selection = await select(positionals.map((p) => resolve(p)));
  const { files, skippedLinks } = selection;
  if (skippedLinks.length > 0) printErr(`skipped ${skippedLinks.length} symbolic link${skippedLinks.length === 1 ? '' : 's'} (not followed):\n${skippedLinks.map((l) => `  ${l}`).join('\n')}`);
  if (files.length === 0) throw new UsageError('there is no file to upload under the given paths');
  const duplicate = duplicateName(files);
  if (duplicate) throw new UsageError(`two files would both be uploaded as "${duplicate}"; upload them separately`);

  const runtime = await cliRuntime(options, { heartbeatSeconds, partContentType, fileConcurrency });
  const { engine } = runtime;
  try {
    await runtime.restore();
    const earlier = earlierTransfer(
      runtime,
      DATAHUB_UPLOAD_KIND,
      (r) => r.params.subtaskId === subtaskId && r.params.files.length === files.length && r.params.files.every((f, i) => f.path === files[i].path && f.name === files[i].name),
    );
    const refused = refuseIfElsewhere(earlier, 'upload');
    if (refused !== undefined) return refused;
    let id = earlier?.id;
    if (earlier && values.restart === true) {
      await runtime.journal.remove(earlier.id);
      id = undefined;
    }
    const started = Date.now();
    if (id && earlier) {
      if (!options.json) printErr(`resuming the earlier upload of ${earlier.label} to ${subtaskId}`);
      engine.retry(id);
    } else {
      id = (await runtime.startDatahubUpload(selection, subtaskId)).record.id;
    }

    const followed = await followTransfer(engine, id, { json: options.json });
    const { final } = followed;
    if (refuseIfElsewhere(final, 'upload') !== undefined) return 1;
    if (!isTransferOf(DATAHUB_UPLOAD_KIND, final)) throw new Error(`transfer ${final.id} is not an upload`);
    const checkpoints = fileCheckpoints(final.checkpoint);
    const summary = {
      subtask_id: subtaskId,
      files: final.params.files.map((f) => {
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
      ...summaryEnd(followed, started),
    };
    return endRun(engine, followed, summary, {
      json: options.json,
      what: 'upload',
      done: () => `uploaded ${summary.files.length} file(s), ${final.progress.bytesTotal} bytes, to ${subtaskId} in ${summary.seconds} s`,
    });
  } finally {
    await runtime.dispose();
  }
}
