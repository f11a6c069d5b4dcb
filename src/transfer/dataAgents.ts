// The keep-alive socket pools of the data plane (part PUTs and ranged GETs to presigned URLs), one per scheme.
import type * as http from 'node:http';
import type * as https from 'node:https';
import { keepAliveAgents } from '../api/http';

export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

/** Pools keeping up to `maxSockets` sockets per host open between requests. */
export function dataAgents(maxSockets: number): Agents {
  const a = keepAliveAgents(maxSockets);
  return { http: a.httpAgent, https: a.httpsAgent };
}

/** Closes every socket of the pools, idle or open: a finished process must not wait for the server to drop them. */
export function destroyDataAgents(agents: Agents): void {
  agents.http.destroy();
  agents.https.destroy();
}

/** For callers that bring no pools of their own (the CLI's one-off download, tests). */
export const defaultAgents: Agents = dataAgents(64);
