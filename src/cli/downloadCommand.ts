// `datahub download --subtask ID [--out DIR]`: a subtask's input file through the download engine, resumable, never overwriting silently.
import { resolve } from 'node:path';
import { validateSubtaskId } from '../api/datahub/client';
import type { TransferEngine } from '../transfer/engine';
import { withRetry } from '../transfer/retry';
import { DATAHUB_DOWNLOAD_KIND, downloadTargetPath, fileExists, safeLocalName } from '../transfer/protocols/datahubDownload';
import { isTransferOf } from '../transfer/types';
import { DATAHUB_CLI_BACKEND, folderOption, parse, readTransferOptions, stringOption, TRANSFER_OPTIONS, UsageError } from './args';
import { cliRuntime, earlierTransfer, refuseIfElsewhere } from './cliRuntime';
import { endRun, followTransfer, summaryEnd } from './followTransfer';
import { printErr } from './terminalText';

export const DOWNLOAD_USAGE = `usage: datahub download --subtask ID [--out DIR] [--endpoint URL] [--token T]
         [--concurrency N] [--chunk-size BYTES] [--retries N] [--stall-seconds S]
         [--min-throughput KIB_PER_S] [--min-throughput-window S] [--state-dir DIR] [--overwrite] [--json] [--verbose]`;

export async function downloadCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    subtask: { type: 'string' },
    out: { type: 'string' },
    ...TRANSFER_OPTIONS,
    overwrite: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n${DOWNLOAD_USAGE}`);
  const subtaskRaw = stringOption(values, 'subtask');
  if (!subtaskRaw) throw new UsageError(`--subtask is required\n${DOWNLOAD_USAGE}`);
  const subtaskId = validateSubtaskId(subtaskRaw);
  const options = readTransferOptions(values, DATAHUB_CLI_BACKEND);
  const folder = folderOption('out', resolve(stringOption(values, 'out') ?? '.'));
  const overwrite = values.overwrite === true;

  const runtime = await cliRuntime(options);
  const { engine } = runtime;
  try {
    await runtime.restore();
    const earlier = earlierTransfer(runtime, DATAHUB_DOWNLOAD_KIND, (r) => r.params.subtaskId === subtaskId && resolve(r.params.folder) === folder);
    const refused = refuseIfElsewhere(earlier, 'download');
    if (refused !== undefined) return refused;
    const started = Date.now();
    let id: string;
    if (earlier) {
      const target = downloadTargetPath(earlier.params);
      if (!overwrite && (await fileExists(target))) throw new UsageError(`${target} exists already; pass --overwrite to replace it`);
      if (overwrite) earlier.params.overwrite = true;
      if (!options.json) printErr(`resuming the earlier download of ${earlier.label} from ${subtaskId}`);
      engine.retry(earlier.id);
      id = earlier.id;
    } else {
      // The name is learnt first, so that an existing file is refused before anything is fetched.
      const presigned = await withRetry(() => runtime.datahub.presignDownload(subtaskId), { retries: options.retries });
      const fileName = safeLocalName(presigned.file_name);
      const target = downloadTargetPath({ folder, fileName });
      if (!overwrite && (await fileExists(target))) throw new UsageError(`${target} exists already; pass --overwrite to replace it`);
      id = engine.start(DATAHUB_DOWNLOAD_KIND, { subtaskId, folder, fileName, overwrite }, { label: fileName, localPath: target }).id;
    }
    return await follow(engine, id, subtaskId, started, options.json);
  } finally {
    await runtime.dispose();
  }
}

async function follow(engine: TransferEngine, id: string, subtaskId: string, started: number, json: boolean): Promise<number> {
  const followed = await followTransfer(engine, id, { json });
  const { final } = followed;
  if (refuseIfElsewhere(final, 'download') !== undefined) return 1;
  if (!isTransferOf(DATAHUB_DOWNLOAD_KIND, final)) throw new Error(`transfer ${final.id} is not a download`);
  const params = final.params;
  const cp = final.checkpoint;
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
    ...summaryEnd(followed, started),
  };
  return endRun(engine, followed, summary, {
    json,
    what: 'download',
    done: () => `downloaded ${summary.path}, ${summary.size ?? 0} bytes, in ${summary.seconds} s${cp.integrity === 'size' ? ' (checked by size only)' : ''}`,
  });
}
