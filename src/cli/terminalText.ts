// Text from a server or a file name made safe for a terminal: credentials masked, control sequences removed.
import { redact } from '../api/logger';

/**
 * ESC-introduced sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL|ST`, DCS/SOS/PM/APC `… ST`, two-byte escapes),
 * their 8-bit C1 forms, and every other C0/C1 control except newline and tab: a server must not be able to
 * move the cursor, rewrite a line, retitle the window or plant a hyperlink in the user's terminal.
 */
const CONTROL_SEQUENCES = new RegExp(
  [
    '\\u001b\\[[0-?]*[ -/]*[@-~]?',
    '\\u001b\\][\\s\\S]*?(?:\\u0007|\\u001b\\\\|$)',
    '\\u001b[PX^_][\\s\\S]*?(?:\\u001b\\\\|$)',
    '\\u009b[0-?]*[ -/]*[@-~]?',
    '\\u009d[\\s\\S]*?(?:\\u0007|\\u009c|$)',
    '\\u001b[ -/]*[0-~]?',
    '[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]',
  ].join('|'),
  'g',
);

export function stripControlSequences(text: string): string {
  return text.replace(CONTROL_SEQUENCES, '');
}

/** What the CLI prints of any text it did not write itself. */
export function terminalSafe(text: string): string {
  return stripControlSequences(redact(text));
}

/** Writes one line to stderr, made terminal-safe. */
export function printErr(line: string): void {
  process.stderr.write(`${terminalSafe(line)}\n`);
}
