// Command-line parsing helpers: typed options with errors that name the flag.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defaultStateDir } from './stateDir';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parse(argv: string[], options: NonNullable<ParseArgsConfig['options']>): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function intOption(values: Record<string, string | boolean | undefined>, name: string, fallback: number, min: number, max: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name}: expected an integer from ${min} to ${max}, got "${String(raw)}"`);
  return n;
}

export function stringOption(values: Record<string, string | boolean | undefined>, name: string): string | undefined {
  const raw = values[name];
  return typeof raw === 'string' ? raw : undefined;
}

/** The options every transfer command takes: where, who, how fast, where the journal lives, how to report. */
export const TRANSFER_OPTIONS = {
  endpoint: { type: 'string' },
  token: { type: 'string' },
  concurrency: { type: 'string' },
  'chunk-size': { type: 'string' },
  retries: { type: 'string' },
  'state-dir': { type: 'string' },
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
  values: Record<string, string | boolean | undefined>,
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
    stateDir: stringOption(values, 'state-dir') ?? defaultStateDir(),
    json: values.json === true,
    verbose: values.verbose === true,
  };
}
