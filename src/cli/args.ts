// Command-line parsing helpers: typed options with errors that name the flag.
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from '../api/http';
import { defaultStateDir } from './stateDir';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parsed option values: a string or a boolean, or a list of them for an option declared `multiple`. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export function parse(argv: string[], options: NonNullable<ParseArgsConfig['options']>): { values: OptionValues; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: parsed.values as OptionValues, positionals: parsed.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * A whole number written in plain decimal digits and nothing else: `Number()` would also take "0x10", " 4 ",
 * "1e3" and "", which a user never means as a count or a size.
 */
export function intOption(values: OptionValues, name: string, fallback: number, min: number, max: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = typeof raw === 'string' && /^[0-9]{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name}: expected a whole number from ${min} to ${max} in decimal digits, got "${String(raw)}"`);
  return n;
}

/** Every value of an option declared `multiple: true`, in order. */
export function listOption(values: OptionValues, name: string): string[] {
  const raw = values[name];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((v): v is string => typeof v === 'string');
}

/** A folder option: refused when the path exists and is not a folder (a missing one is created when first written). */
export function folderOption(name: string, path: string): string {
  const info = statSync(path, { throwIfNoEntry: false });
  if (info && !info.isDirectory()) throw new UsageError(`--${name}: ${path} is a file, not a folder`);
  return path;
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const raw = values[name];
  return typeof raw === 'string' ? raw : undefined;
}

/** A file or folder named on the command line: a missing or unreadable one is a usage error with a plain message. */
export async function requireLocalSource(path: string): Promise<void> {
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') throw new UsageError(`${path}: no such file or folder`);
    if (e.code === 'EACCES' || e.code === 'EPERM') throw new UsageError(`${path}: permission denied`);
    throw new UsageError(`${path}: ${e.message}`);
  });
  if (!info.isFile() && !info.isDirectory()) throw new UsageError(`${path} is neither a file nor a folder`);
}

/** The options every transfer command takes: where, who, how fast, where the journal lives, how to report. */
export const TRANSFER_OPTIONS = {
  endpoint: { type: 'string' },
  token: { type: 'string' },
  concurrency: { type: 'string' },
  'chunk-size': { type: 'string' },
  retries: { type: 'string' },
  'state-dir': { type: 'string' },
  'request-timeout': { type: 'string' },
  'stall-seconds': { type: 'string' },
  'min-throughput': { type: 'string' },
  'min-throughput-window': { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export interface TransferOptionValues {
  endpoint: string;
  token: string | undefined;
  concurrency: number;
  chunkSize: number;
  retries: number;
  stateDir: string;
  /** Bounds of every control call (presign, init, complete…): `--request-timeout` seconds in all. */
  httpLimits: HttpLimits;
  /** A data request that moves no byte for this long is retried (`--stall-seconds`). */
  stallSeconds: number;
  /** `--min-throughput` KiB/s over `--min-throughput-window` seconds, as bytes/s; 0 (the default): no floor. */
  minBytesPerSecond: number;
  floorWindowSeconds: number;
  json: boolean;
  verbose: boolean;
}

const MIB = 1024 * 1024;

/** Where a CLI command's backend is when no flag says, and how large its parts may be. */
export interface CliBackend {
  defaultEndpoint: string;
  endpointEnv: string;
  tokenEnv: string;
  maxChunkSize: number;
}

export const DATAHUB_CLI_BACKEND: CliBackend = {
  defaultEndpoint: 'https://datahub.oortech.com',
  endpointEnv: 'DATAHUB_ENDPOINT',
  tokenEnv: 'DATAHUB_TOKEN',
  maxChunkSize: 5 * 1024 * MIB,
};

/** Reads TRANSFER_OPTIONS, with the backend's environment fallbacks; a bad value is a UsageError naming its flag. */
export function readTransferOptions(
  values: OptionValues,
  backend: CliBackend,
): TransferOptionValues {
  const endpoint = stringOption(values, 'endpoint') ?? process.env[backend.endpointEnv] ?? backend.defaultEndpoint;
  if (!/^https?:\/\//.test(endpoint)) throw new UsageError(`--endpoint: "${endpoint}" is not an http(s) URL`);
  return {
    endpoint,
    token: stringOption(values, 'token') ?? process.env[backend.tokenEnv],
    concurrency: intOption(values, 'concurrency', 4, 1, 64),
    chunkSize: intOption(values, 'chunk-size', 5 * MIB, 1, backend.maxChunkSize),
    retries: intOption(values, 'retries', 5, 0, 50),
    stateDir: folderOption('state-dir', stringOption(values, 'state-dir') ?? defaultStateDir()),
    httpLimits: { ...DEFAULT_HTTP_LIMITS, deadlineMs: 1000 * intOption(values, 'request-timeout', DEFAULT_HTTP_LIMITS.deadlineMs / 1000, 1, 3600) },
    stallSeconds: intOption(values, 'stall-seconds', 60, 1, 3600),
    minBytesPerSecond: 1024 * intOption(values, 'min-throughput', 0, 0, 1024 * 1024),
    floorWindowSeconds: intOption(values, 'min-throughput-window', 60, 5, 3600),
    json: values.json === true,
    verbose: values.verbose === true,
  };
}
