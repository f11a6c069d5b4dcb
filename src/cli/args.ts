// Command-line parsing helpers: typed options with errors that name the flag.
import { parseArgs, type ParseArgsConfig } from 'node:util';

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
