// A small path router for the emulator: `:name` segments, a fault group per route, JSON helpers.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** The whole request body (for small control-plane bodies; data routes stream `req` themselves). */
  body(): Promise<Buffer>;
  /** The body parsed as JSON; throws HttpError(400) naming the problem when it is not JSON. */
  json<T = unknown>(): Promise<T>;
  sendJson(status: number, value: unknown, headers?: Record<string, string>): void;
  send(status: number, body: string | Buffer, headers?: Record<string, string>): void;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

/** Thrown by handlers to answer with a status and a body built by the backend's own error format. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly body: unknown, readonly headers: Record<string, string> = {}) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}

interface Route {
  method: string;
  segments: string[];
  group: string;
  handler: Handler;
}

export interface RouteMatch {
  handler: Handler;
  group: string;
  params: Record<string, string>;
}

export class Router {
  private readonly routes: Route[] = [];

  /** `group` names the fault-injection group (`part_put`, `init`, …) the route belongs to. */
  add(method: string, pattern: string, group: string, handler: Handler): void {
    this.routes.push({ method: method.toUpperCase(), segments: split(pattern), group, handler });
  }

  match(method: string, pathname: string): RouteMatch | 'method-not-allowed' | undefined {
    const parts = split(pathname);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method.toUpperCase()) return { handler: route.handler, group: route.group, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}

function split(path: string): string[] {
  // A trailing slash is significant for some backends (002), so it is kept as an empty segment.
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  return trimmed.split('/');
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith(':')) {
      if (parts[i] === '') return undefined;
      try {
        params[p.slice(1)] = decodeURIComponent(parts[i]);
      } catch {
        // A malformed %-sequence matches no route (404) instead of throwing out of the server.
        return undefined;
      }
    } else if (p !== parts[i]) {
      return undefined;
    }
  }
  return params;
}
