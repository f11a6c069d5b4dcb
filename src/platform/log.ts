// Adapts VS Code's LogOutputChannel to the core Logger, masking anything that looks like a secret.
import * as vscode from 'vscode';
import { redact, type Logger } from '../api/logger';

export function channelLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    trace: (m) => channel.trace(redact(m)),
    debug: (m) => channel.debug(redact(m)),
    info: (m) => channel.info(redact(m)),
    warn: (m) => channel.warn(redact(m)),
    error: (m) => channel.error(typeof m === 'string' ? redact(m) : redact(m.stack ?? m.message)),
  };
}
