// The run (batch) state machine of api 003: which statuses allow stop and rerun, and where they lead.
import type { RunStatus } from './types';

export type RunAction = 'stop' | 'rerun';

/** Stop only from Running; rerun only from Successful, Failed, Canceled; Restarting/Cancelling allow nothing. */
export function allows(status: RunStatus, action: RunAction): boolean {
  if (action === 'stop') return status === 'Running';
  return status === 'Successful' || status === 'Failed' || status === 'Canceled';
}

/** The status an allowed action settles in (the intermediate Cancelling / Restarting are passed through). */
export function afterAction(status: RunStatus, action: RunAction): RunStatus {
  if (!allows(status, action)) throw new Error(`${action} is not allowed from ${status}`);
  return action === 'stop' ? 'Canceled' : 'Running';
}

/** The intermediate status shown while an action is applied. */
export function transitional(action: RunAction): RunStatus {
  return action === 'stop' ? 'Cancelling' : 'Restarting';
}

/** A run that is still going: it may change by itself, so views poll it. */
export function isActive(status: RunStatus): boolean {
  return status === 'Running' || status === 'Ready' || status === 'Restarting' || status === 'Cancelling';
}

export function isFinal(status: RunStatus): boolean {
  return status === 'Successful' || status === 'Failed' || status === 'Canceled';
}
