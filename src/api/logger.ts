// The logging interface the core (api, transfer) writes to; the extension backs it with a LogOutputChannel.
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const SECRET_KEYS = /(secret|token|password|access[_-]?key|authorization|sk)("?\s*[:=]\s*"?)([^"&\s,}]+)/gi;

/** Masks values that look like credentials so that a log line never carries one. */
export function redact(text: string): string {
  return text.replace(SECRET_KEYS, (_m, key: string, sep: string) => `${key}${sep}***`);
}
