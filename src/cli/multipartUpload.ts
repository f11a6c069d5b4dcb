// `datahub upload --protocol multipart FILE --profile … --priority N`: a simulation-job upload (api 004) from
// a terminal, resumable by running the same command again with the same state dir.
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { normalizeJob, validateFileSize } from '../api/multipart/client';
import type { ConfirmJob } from '../api/multipart/types';
import { withRetry } from '../transfer/retry';
import { contentTypeOf, MULTIPART_UPLOAD_KIND, plannedParts } from '../transfer/protocols/multipartUploadRecord';
import { isTransferOf } from '../transfer/types';
import { parse, readTransferOptions, requireLocalSource, stringOption, TRANSFER_OPTIONS, UsageError, type OptionValues } from './args';
import { cliRuntime, earlierTransfer, refuseIfElsewhere } from './cliRuntime';
import { endRun, followTransfer, summaryEnd } from './followTransfer';
import { printErr } from './terminalText';

const MIB = 1024 * 1024;
const PROTOCOLS = ['datahub', 'multipart'] as const;

export const MULTIPART_USAGE = `usage: datahub upload --protocol multipart FILE --profile P --version V --job-name J --submitter S
         --threads N --priority N [--endpoint URL] [--token T] [--concurrency N] [--chunk-size BYTES]
         [--retries N] [--state-dir DIR] [--restart] [--json] [--verbose]`;

/** Takes `--protocol X` (or `--protocol=X`) out of the arguments of `datahub upload`; the default is datahub. */
export function splitProtocol(argv: readonly string[]): { protocol: (typeof PROTOCOLS)[number]; argv: string[] } {
  const rest: string[] = [];
  let protocol: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--protocol') {
      protocol = argv[++i];
      if (protocol === undefined) throw new UsageError(`--protocol needs a value: ${PROTOCOLS.join(' or ')}`);
    } else if (arg.startsWith('--protocol=')) protocol = arg.slice('--protocol='.length);
    else rest.push(arg);
  }
  if (protocol === undefined) return { protocol: 'datahub', argv: rest };
  const known = PROTOCOLS.find((p) => p === protocol);
  if (!known) throw new UsageError(`--protocol: expected ${PROTOCOLS.join(' or ')}, got "${protocol}"`);
  return { protocol: known, argv: rest };
}

function required(values: OptionValues, name: string): string {
  const value = stringOption(values, name);
  if (value === undefined) throw new UsageError(`--${name} is required\n${MULTIPART_USAGE}`);
  return value;
}

function sameJob(a: ConfirmJob, b: ConfirmJob): boolean {
  return (Object.keys(a) as (keyof ConfirmJob)[]).every((k) => a[k] === b[k]);
}

export async function multipartUploadCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    profile: { type: 'string' },
    version: { type: 'string' },
    'job-name': { type: 'string' },
    submitter: { type: 'string' },
    threads: { type: 'string' },
    priority: { type: 'string' },
    ...TRANSFER_OPTIONS,
    restart: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError(`give exactly one file (a simulation job has one master file)\n${MULTIPART_USAGE}`);
  const job = normalizeJob({
    profile_name: required(values, 'profile'),
    version: required(values, 'version'),
    job_name: required(values, 'job-name'),
    submitter: required(values, 'submitter'),
    thread_count: required(values, 'threads'),
    priority: required(values, 'priority'),
  });
  const options = readTransferOptions(values, {
    defaultEndpoint: 'http://localhost:8000',
    endpointEnv: 'DATAHUB_MULTIPART_ENDPOINT',
    tokenEnv: 'DATAHUB_MULTIPART_TOKEN',
    maxChunkSize: 500 * MIB,
  });
  const { json } = options;

  const path = resolve(positionals[0]);
  await requireLocalSource(path);
  const info = await stat(path);
  if (!info.isFile()) throw new UsageError(`${path} is not a file`);
  validateFileSize(info.size);

  const runtime = await cliRuntime(options);
  const { engine } = runtime;
  try {
    await runtime.restore();
    const earlier = earlierTransfer(runtime, MULTIPART_UPLOAD_KIND, (r) => r.params.path === path && sameJob(r.params.job, job));
    const refused = refuseIfElsewhere(earlier, 'upload');
    if (refused !== undefined) return refused;
    let record = earlier;
    if (record && values.restart === true) {
      // Starting over: the server drops the parts of the old upload, the journal forgets it.
      const old = record.checkpoint;
      if (old.uploadId && !old.completed) {
        const ref = { task_id: old.taskId ?? '', upload_id: old.uploadId, object_key: old.objectKey ?? '' };
        await withRetry(() => runtime.multipart.abort(ref), { retries: options.retries }).catch((e: unknown) => printErr(`warning: abort of the earlier upload failed: ${String(e)}`));
      }
      await runtime.journal.remove(record.id);
      record = undefined;
    }
    if (record?.errorKind === 'source-changed') {
      printErr(`upload refused: ${record.error ?? 'the file changed'}\nrun the command with --restart to upload the new content`);
      return 1;
    }
    const started = Date.now();
    let id: string;
    if (record) {
      if (!json) printErr(`resuming the earlier upload of ${record.label}`);
      engine.retry(record.id);
      id = record.id;
    } else {
      const params = { path, name: basename(path), size: info.size, mtimeMs: Math.floor(info.mtimeMs), fileType: 'master', contentType: contentTypeOf(path), job };
      id = engine.start(MULTIPART_UPLOAD_KIND, params, { label: basename(path), localPath: path, bytesTotal: info.size }).id;
    }

    const followed = await followTransfer(engine, id, { json });
    const { final } = followed;
    if (refuseIfElsewhere(final, 'upload') !== undefined) return 1;
    if (!isTransferOf(MULTIPART_UPLOAD_KIND, final)) throw new Error(`transfer ${final.id} is not a multipart upload`);
    const cp = final.checkpoint;
    const params = final.params;
    const summary = {
      file: params.path,
      name: params.name,
      size: params.size,
      task_id: cp.taskId ?? null,
      object_key: cp.objectKey ?? null,
      job_id: cp.jobId ?? null,
      // The server's plan (its part sizes may differ from the one asked for).
      parts: plannedParts(cp, params.size).length || null,
      part_size: cp.partSize ?? null,
      completed: cp.completed === true,
      confirmed: cp.confirmed === true,
      ...summaryEnd(followed, started),
    };
    return endRun(engine, followed, summary, {
      json,
      what: 'upload',
      done: () => `uploaded ${params.name} (${params.size} bytes) in ${summary.seconds} s; job ${summary.job_id ?? '?'} submitted for task ${summary.task_id ?? '?'}`,
      hints: (failed) => (failed.errorKind === 'source-changed' ? ['run the command with --restart to upload the new content'] : []),
    });
  } finally {
    await runtime.dispose();
  }
}
