// Who may drive the emulator's admin API (/_emulator/*): loopback callers only, JSON bodies only; and which local
// files `input_file` may read. A web page must not reach it, not even through DNS rebinding.
import { realpathSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { isAbsolute, relative, resolve, sep } from 'node:path';

export const ADMIN_PREFIX = '/_emulator/';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]', '']);

export interface AdminRefusal {
  status: 403 | 415;
  message: string;
}

/** The `host:port` values (lower case) an admin call may name: the loopback names, and the listen address when it is one. */
export function allowedAdminHosts(listenHost: string, port: number): Set<string> {
  const names = [...LOOPBACK_NAMES];
  const host = listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost;
  if (!WILDCARD_HOSTS.has(listenHost)) names.push(host.toLowerCase());
  return new Set(names.map((name) => `${name}:${port}`));
}

/**
 * Why an admin request is refused, or undefined when it may go on. A browser page can send a cross-site request
 * with a `text/plain` body and no preflight, and after DNS rebinding its requests carry the attacker's Host: so the
 * Host must be a loopback name with our port, an Origin (when sent) must be our own, and a body must say it is JSON.
 */
export function adminRefusal(req: IncomingMessage, allowedHosts: ReadonlySet<string>): AdminRefusal | undefined {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!allowedHosts.has(host)) return { status: 403, message: `admin API: the Host header must be one of ${[...allowedHosts].join(', ')} (got "${host}")` };
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts.has(originHost(origin))) return { status: 403, message: `admin API: requests from the Origin "${origin}" are refused` };
  if (hasBody(req) && !isJson(req.headers['content-type'])) {
    return { status: 415, message: 'admin API: a request body must be sent as Content-Type: application/json' };
  }
  return undefined;
}

/** `host:port` of an http Origin, or '' for anything else (`null`, https, a path). */
function originHost(origin: string): string {
  const match = /^http:\/\/([^/]+)$/i.exec(origin.trim());
  return match ? match[1].toLowerCase() : '';
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
}

/**
 * `undefined` when `path` (links resolved) lies inside one of `dirs`, otherwise why it is refused. The admin API
 * would otherwise copy any file the emulator's user can read into a download anyone on loopback can fetch.
 */
export function inputPathRefusal(path: string, dirs: readonly string[], field: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(resolve(path));
  } catch {
    return `${field}: no such file "${path}"`;
  }
  for (const dir of dirs) {
    let root: string;
    try {
      root = realpathSync(dir);
    } catch {
      continue;
    }
    const rel = relative(root, real);
    if (rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) return undefined;
  }
  return `${field}: "${path}" is outside the emulator's data folder; start the emulator with --allow-input-dir DIR to read input files from DIR`;
}
