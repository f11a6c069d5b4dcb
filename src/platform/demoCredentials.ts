// `npm start` only: fills in the local emulator's demo credentials so the demo shows its sample data at once.
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

/** Runs only when the process was started by `npm start` (DATAHUB_DEMO=1); never replaces a stored value. */
export async function fillDemoCredentials(env: NodeJS.ProcessEnv, credentials: CredentialStore, logger: Logger): Promise<void> {
  if (env.DATAHUB_DEMO !== '1') return;
  let filled = 0;
  for (const [backend, key, value] of DEMO) {
    if ((await credentials.get(backend, key)) !== undefined) continue;
    await credentials.set(backend, key, value);
    filled++;
  }
  if (filled) logger.info(`demo: filled ${filled} emulator demo credential(s)`);
}
