// Verifies Pandora requests the way the service does: the AK/SK signature over the request and a
// Date within 15 minutes of the server clock, or one of the configured pre-made tokens.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { pandoraAuthorization } from '../../src/api/pandora/sign';

export interface PandoraKeys {
  keys: { accessKey: string; secretKey: string }[];
  tokens: string[];
}

/** The demo pair the emulator accepts by default (documented in the README, Pandora section). */
export const DEMO_KEYS: PandoraKeys = { keys: [{ accessKey: 'demo-ak', secretKey: 'demo-sk' }], tokens: ['Pandora demo-token'] };
export const MAX_SKEW_MS = 15 * 60 * 1000;

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** undefined when the request is authentic, otherwise why not (logged, never sent to the client). */
export function verifyRequest(req: IncomingMessage, pathname: string, config: PandoraKeys, nowMs = Date.now()): string | undefined {
  const authorization = header(req, 'authorization');
  if (!authorization) return 'no Authorization header';
  if (config.tokens.some((t) => same(t, authorization))) return undefined;
  const m = /^Pandora ([^:\s]+):(\S+)$/.exec(authorization);
  if (!m) return 'Authorization is not "Pandora <ak>:<sign>"';
  const key = config.keys.find((k) => k.accessKey === m[1]);
  if (!key) return `unknown AccessKey ${m[1]}`;
  const date = header(req, 'date');
  if (!date) return 'no Date header';
  const when = Date.parse(date);
  if (!Number.isFinite(when)) return 'Date is not an HTTP date';
  if (Math.abs(nowMs - when) > MAX_SKEW_MS) return 'Date is more than 15 minutes off';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
  const expected = pandoraAuthorization(
    { method: req.method ?? 'GET', path: pathname, date, contentType: header(req, 'content-type'), contentMd5: header(req, 'content-md5'), headers },
    key,
  );
  return same(expected, authorization) ? undefined : 'signature mismatch';
}

/** Reads `ak:sk,ak2:sk2` and `token1,token2` from the environment; the demo pair otherwise. */
export function keysFromEnv(env: NodeJS.ProcessEnv = process.env): PandoraKeys {
  const keys = (env.DATAHUB_EMULATOR_PANDORA_KEYS ?? '')
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair.includes(':'))
    .map((pair) => ({ accessKey: pair.slice(0, pair.indexOf(':')), secretKey: pair.slice(pair.indexOf(':') + 1) }));
  const tokens = (env.DATAHUB_EMULATOR_PANDORA_TOKENS ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  return { keys: keys.length ? keys : DEMO_KEYS.keys, tokens: tokens.length ? tokens : DEMO_KEYS.tokens };
}
