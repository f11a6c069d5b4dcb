// Admin knobs of the emulated multipart backend (api 004): the part plan its init answers.
import type { RequestContext, Router } from '../router';
import { HttpError } from '../router';
import type { MultipartStore } from './model';

/** The document's example has equal parts of chunk_size; a server may plan otherwise, and the client must follow. */
export interface MultipartSettings {
  /**
   * The sizes init gives the parts, whatever chunk_size asked for: part 1 gets the first size, part 2 the
   * second, and the last size repeats until the file is covered. null: parts of chunk_size.
   */
  part_sizes: number[] | null;
}

export function defaultMultipartSettings(): MultipartSettings {
  return { part_sizes: null };
}

/** The plan of a file: the size of each part, in part-number order (one empty part for an empty file). */
export function planPartSizes(fileSize: number, chunkSize: number, settings: MultipartSettings): number[] {
  const sizes = settings.part_sizes ?? [chunkSize];
  const out: number[] = [];
  for (let at = 0; at < fileSize || out.length === 0; ) {
    const size = Math.min(sizes[Math.min(out.length, sizes.length - 1)], fileSize - at);
    out.push(size);
    at += size;
  }
  return out;
}

function parseSettings(raw: unknown, current: MultipartSettings): MultipartSettings {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new HttpError(400, { error: 'body: must be a JSON object' });
  const b = raw as Record<string, unknown>;
  const next = { ...current };
  if (b.part_sizes !== undefined) {
    const sizes = b.part_sizes;
    const valid = sizes === null || (Array.isArray(sizes) && sizes.length > 0 && sizes.every((n) => Number.isSafeInteger(n) && (n as number) >= 1));
    if (!valid) throw new HttpError(400, { error: 'part_sizes: null or a non-empty list of positive integers' });
    next.part_sizes = sizes === null ? null : [...(sizes as number[])];
  }
  return next;
}

export function registerMultipartAdmin(router: Router, store: MultipartStore): void {
  router.add('GET', '/_emulator/multipart', 'admin', (c: RequestContext) => c.sendJson(200, store.settings));
  router.add('POST', '/_emulator/multipart', 'admin', async (c: RequestContext) => {
    store.settings = parseSettings(await c.json(), store.settings);
    c.sendJson(200, store.settings);
  });
}
