// A Logger for the CLI: warnings and errors on stderr, the rest only with --verbose; every line terminal-safe.
import type { Logger } from '../api/logger';
import { terminalSafe } from './terminalText';

export function consoleLogger(verbose: boolean, write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  const quiet = (): void => undefined;
  return {
    trace: verbose ? (m) => write(terminalSafe(m)) : quiet,
    debug: verbose ? (m) => write(terminalSafe(m)) : quiet,
    info: verbose ? (m) => write(terminalSafe(m)) : quiet,
    warn: (m) => write(`warning: ${terminalSafe(m)}`),
    error: (m) => write(`error: ${terminalSafe(typeof m === 'string' ? m : m.message)}`),
  };
}
