// Follows one transfer to its end in a terminal (a progress line on a TTY, Ctrl+C pauses, resumable) and ends the run.
import { redact } from '../api/logger';
import { isFinished, type TransferEngine } from '../transfer/engine';
import type { TransferRecord, TransferState } from '../transfer/types';
import { renderProgressLine } from './progressBar';
import { printErr, terminalSafe } from './terminalText';

export interface FollowedTransfer {
  final: TransferRecord;
  /** The user pressed Ctrl+C (or the process got SIGTERM): the transfer was paused, not failed. */
  interrupted: boolean;
}

export async function followTransfer(engine: TransferEngine, id: string, options: { json: boolean }): Promise<FollowedTransfer> {
  const tty = process.stderr.isTTY && !options.json;
  const timer = tty
    ? setInterval(() => {
      const r = engine.get(id);
      if (r) process.stderr.write(`\r${renderProgressLine(terminalSafe(r.label), r.progress).padEnd(process.stderr.columns ? process.stderr.columns - 1 : 100)}`);
    }, 100)
    : undefined;
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    engine.pause(id);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const final = await engine.whenSettled(id);
    return { final, interrupted };
  } finally {
    if (timer) {
      clearInterval(timer);
      process.stderr.write('\n');
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The fields every JSON summary ends with: how long it took, the final state and, after a failure, the (redacted) error. */
export function summaryEnd(followed: FollowedTransfer, started: number): { seconds: number; state: TransferState; error?: string } {
  const { final } = followed;
  return { seconds: Math.round((Date.now() - started) / 10) / 100, state: final.state, ...(final.error ? { error: redact(final.error) } : {}) };
}

export interface RunEnding {
  json: boolean;
  /** The line printed (without --json) when the transfer completed. */
  done: () => string;
  /** "upload" or "download": the failure line says which. */
  what: string;
  /** Extra lines after a failure (how to go on). */
  hints?: (final: TransferRecord) => string[];
}

/**
 * Ends a CLI run: prints the summary (--json) or the done line, and returns the exit code — 0 completed (its record
 * cleared), 130 paused or interrupted (run the same command again to resume), 1 failed.
 */
export function endRun(engine: TransferEngine, followed: FollowedTransfer, summary: object, ending: RunEnding): number {
  const { final, interrupted } = followed;
  if (ending.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (final.state === 'completed') {
    engine.clearFinished();
    if (!ending.json) printErr(ending.done());
    return 0;
  }
  if (interrupted || !isFinished(final.state)) {
    printErr('paused: run the same command again to resume');
    return 130;
  }
  printErr(`${ending.what} failed: ${final.error ?? final.state}`);
  for (const hint of ending.hints?.(final) ?? []) printErr(hint);
  return 1;
}
