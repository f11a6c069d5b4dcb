// A Logger for the CLI: warnings and errors on stderr, the rest only with --verbose.
import { redact, type Logger } from '../api/logger';

export function consoleLogger(verbose: boolean, write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  const quiet = (): void => undefined;
  return {
    trace: verbose ? (m) => write(redact(m)) : quiet,
    debug: verbose ? (m) => write(redact(m)) : quiet,
    info: verbose ? (m) => write(redact(m)) : quiet,
    warn: (m) => write(`warning: ${redact(m)}`),
    error: (m) => write(`error: ${redact(typeof m === 'string' ? m : m.message)}`),
  };
}
