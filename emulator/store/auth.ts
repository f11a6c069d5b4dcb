// Which kind of Authorization header callers send (counted, never stored): for backends whose document leaves auth open.
import type { IncomingMessage } from 'node:http';

export interface AuthSeen {
  bearer: number;
  other: number;
  none: number;
  last: 'bearer' | 'other' | 'none' | null;
}

export function emptyAuthSeen(): AuthSeen {
  return { bearer: 0, other: 0, none: 0, last: null };
}

/** Any caller is accepted; tests read these counts to see whether the client sends its bearer token. */
export function noteAuth(auth: AuthSeen, req: IncomingMessage): void {
  const header = req.headers.authorization;
  const kind = !header ? 'none' : /^Bearer\s+\S/i.test(header) ? 'bearer' : 'other';
  auth[kind] += 1;
  auth.last = kind;
}
