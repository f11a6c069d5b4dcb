// The local emulator's demo credentials: filled in by `npm start` and by Start Local Emulator where none is stored,
// and taken out again when the endpoints go back to the configured hosts.
import type { Logger } from '../api/logger';
import type { CredentialStore } from './secrets';
import type { Backend } from './settings';

/** The emulator's documented demo credentials (they open nothing but a local emulator). */
const DEMO: [Backend, string, string][] = [
  ['datahub', 'token', 'demo-token'],
  ['ingest', 'userId', 'demo-user'],
  ['ingest', 'accessToken', 'demo-access-token'],
  ['ingest', 'uid', '1'],
  ['media', 'token', 'demo-media-token'],
  ['pandora', 'accessKey', 'demo-ak'],
  ['pandora', 'secretKey', 'demo-sk'],
];

/** A credential by its backend and key, as `backend.key`. */
export type CredentialRef = `${Backend}.${string}`;

/**
 * Fills in the demo value of every backend that has none of its own stored (a backend with any stored value is left
 * whole: a half-demo pair would be refused). Returns what it filled.
 */
export async function fillDemoCredentials(credentials: CredentialStore): Promise<CredentialRef[]> {
  const filled: CredentialRef[] = [];
  const backends = [...new Set(DEMO.map(([backend]) => backend))];
  for (const backend of backends) {
    const fields = DEMO.filter(([b]) => b === backend);
    const stored = await Promise.all(fields.map(([, key]) => credentials.get(backend, key)));
    if (stored.some((v) => v !== undefined) || (backend === 'pandora' && (await credentials.get('pandora', 'token')) !== undefined)) continue;
    for (const [, key, value] of fields) {
      await credentials.set(backend, key, value);
      filled.push(`${backend}.${key}`);
    }
  }
  return filled;
}

/** Removes the demo values that were filled in and are still the demo values (a value set since stays). */
export async function removeDemoCredentials(credentials: CredentialStore, filled: readonly string[]): Promise<number> {
  let removed = 0;
  for (const [backend, key, value] of DEMO) {
    if (!filled.includes(`${backend}.${key}`) || (await credentials.get(backend, key)) !== value) continue;
    await credentials.set(backend, key, '');
    removed++;
  }
  return removed;
}

/** Runs only when the process was started by `npm start` (DATAHUB_DEMO=1); never replaces a stored value. */
export async function fillDemoCredentialsForDemo(env: NodeJS.ProcessEnv, credentials: CredentialStore, logger: Logger): Promise<void> {
  if (env.DATAHUB_DEMO !== '1') return;
  const filled = await fillDemoCredentials(credentials);
  if (filled.length) logger.info(`demo: filled ${filled.length} emulator demo credential(s)`);
}
