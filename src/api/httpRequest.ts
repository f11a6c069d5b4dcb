// One control-plane exchange over node http/https: the request as given, the answer's status and its text read
// within a size ceiling; a stalled socket, an abort or a failed connection reject with what happened.
import * as http from 'node:http';
import * as https from 'node:https';
import { abortError, declaredLength, readBounded } from './boundedBody';

export interface KeepAliveAgents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

export interface Exchange {
  url: URL;
  method: string;
  /** Sent as they are: node adds only Host, Connection and the body's Content-Length. */
  headers: Record<string, string>;
  body?: Buffer;
  agents: KeepAliveAgents;
  /** Aborting it drops the connection at once, whatever stage the exchange is in. */
  signal: AbortSignal;
  /** No byte in or out for this long fails the exchange with SocketIdle (0: no idle timer). */
  idleMs: number;
  /** The largest answer read (see readBounded). */
  maxBytes: number;
}

export interface Answer {
  status: number;
  text: string;
}

/** The socket saw no byte for the idle time; `code` is ETIMEDOUT so that retries and the outage wait know it. */
export class SocketIdle extends Error {
  override readonly name = 'SocketIdle';
  readonly code = 'ETIMEDOUT';
}

/**
 * Not axios, not fetch: a control call needs no redirects, transforms, decompression or proxy lookup, and every layer
 * of those costs main-thread CPU on each of the two calls a small file makes. A 3xx is an answer like any other.
 */
export function exchange(x: Exchange): Promise<Answer> {
  return new Promise((resolve, reject) => {
    if (x.signal.aborted) return reject(abortError());
    const secure = x.url.protocol === 'https:';
    if (!secure && x.url.protocol !== 'http:') return reject(new TypeError(`a backend URL must be http or https, not ${x.url.protocol}`));
    let settled = false;
    // Once the idle timer fired, the errors that follow from dropping the socket ('aborted', 'socket hang up') are its consequence.
    let idle: SocketIdle | undefined;
    let request: http.ClientRequest | undefined;
    const settle = (): void => {
      settled = true;
      x.signal.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown): void => {
      if (settled) return;
      settle();
      request?.destroy();
      reject(idle ?? error);
    };
    const onAbort = (): void => fail(abortError());
    x.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const options: http.RequestOptions = { method: x.method, headers: x.headers, agent: secure ? x.agents.httpsAgent : x.agents.httpAgent, timeout: x.idleMs || undefined };
      request = (secure ? https : http).request(x.url, options, (res) => {
        readBounded(res, x.maxBytes, x.signal, declaredLength(res.headers['content-length'])).then((text) => {
          if (settled) return;
          settle();
          resolve({ status: res.statusCode ?? 0, text });
        }, fail);
      });
    } catch (error) {
      // Node refuses a header value it cannot send (a newline in a token) before anything goes out.
      return fail(error);
    }
    request.on('error', fail);
    if (x.idleMs > 0) {
      request.on('timeout', () => {
        idle = new SocketIdle(`no byte for ${x.idleMs / 1000} s`);
        fail(idle);
      });
    }
    request.end(x.body);
  });
}
