// Admin API of the object store: GET/POST /_emulator/store reads and changes the store profile and its switches.
import type { EmulatorContext } from '../context';
import { HttpError, type Router } from '../router';
import { STORE_PROFILES, type StoreSettings, isStoreProfileName } from './profiles';

function bad(message: string): HttpError {
  return new HttpError(400, { error: message });
}

/** `{profile?, min_part_size?, datahub_content_type?}`; `null` puts a switch back to the profile's own behaviour. */
export function parseStoreChange(value: unknown): Partial<StoreSettings> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad('body: must be a JSON object');
  const v = value as Record<string, unknown>;
  const known = new Set(['profile', 'min_part_size', 'datahub_content_type']);
  const unknown = Object.keys(v).filter((k) => !known.has(k));
  if (unknown.length > 0) throw bad(`${unknown[0]}: unknown setting (known: ${[...known].join(', ')})`);
  const change: Partial<StoreSettings> = {};
  if ('profile' in v) {
    if (!isStoreProfileName(v.profile)) throw bad(`profile: must be one of ${STORE_PROFILES.join(', ')}`);
    change.profile = v.profile;
  }
  if ('min_part_size' in v) {
    const n = v.min_part_size;
    if (n !== null && (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)) throw bad('min_part_size: must be a non-negative integer, or null for the profile\'s own');
    change.minPartSize = n ?? undefined;
  }
  if ('datahub_content_type' in v) {
    const t = v.datahub_content_type;
    if (t !== null && (typeof t !== 'string' || t.trim() === '' || /[\r\n]/.test(t))) throw bad('datahub_content_type: must be a non-empty one-line string, or null for none');
    change.datahubContentType = t ?? undefined;
  }
  return change;
}

export function registerStoreAdmin(router: Router, ctx: EmulatorContext): void {
  router.add('GET', '/_emulator/store', 'admin', (c) => c.sendJson(200, ctx.store.config.describe()));
  router.add('POST', '/_emulator/store', 'admin', async (c) => {
    ctx.store.config.update(parseStoreChange(await c.json()));
    c.sendJson(200, ctx.store.config.describe());
  });
}
