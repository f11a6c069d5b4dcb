// Who may call the emulated Pandora: AK/SK pairs whose signature matches and whose Date is within 15 minutes
// of the server clock, or one of the configured pre-made tokens (the whole Authorization value).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { decodedPath, expectedSign, signedBytes } from './signature';

export interface PandoraKeys {
  keys: { accessKey: string; secretKey: string }[];
  tokens: string[];
}

/** The demo pair the emulator accepts by default (documented in the README, Pandora section). */
export const DEMO_KEYS: PandoraKeys = { keys: [{ accessKey: 'demo-ak', secretKey: 'demo-sk' }], tokens: ['Pandora demo-token'] };
export const MAX_SKEW_MS = 15 * 60 * 1000;

function equalText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** undefined when the request is authentic, otherwise why not (logged, never sent to the client). */
export function whyRefused(req: IncomingMessage, config: PandoraKeys, nowMs = Date.now()): string | undefined {
  const authorization = single(req.headers.authorization);
  if (!authorization) return 'no Authorization header';
  if (config.tokens.some((token) => equalText(token, authorization))) return undefined;
  const parts = /^Pandora ([^:\s]+):(\S+)$/.exec(authorization);
  if (!parts) return 'Authorization is not "Pandora <ak>:<sign>"';
  const key = config.keys.find((k) => k.accessKey === parts[1]);
  if (!key) return `unknown AccessKey ${parts[1]}`;
  const date = single(req.headers.date);
  if (!date) return 'no Date header';
  const sent = Date.parse(date);
  if (!Number.isFinite(sent)) return 'Date is not an HTTP date';
  if (Math.abs(nowMs - sent) > MAX_SKEW_MS) return 'Date is more than 15 minutes off';
  const path = decodedPath(req.url ?? '/');
  if (!path) return 'the path has a malformed %-escape';
  return equalText(expectedSign(key.secretKey, signedBytes(req, path)), parts[2]) ? undefined : 'signature mismatch';
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
