// Follows one transfer to its end in a terminal: a progress line on a TTY, Ctrl+C pauses (resumable).
import type { TransferEngine } from '../transfer/engine';
import type { TransferRecord } from '../transfer/types';
import { renderProgressLine } from './progressBar';
import { terminalSafe } from './terminalText';

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
