// What an ingest (api 001) request may send, checked before sending (ids, pages, file uris, load modes), and the
// reading of a paged list to its end.
import { ValidationError } from '../errors';
import { INTERVAL_TYPES, isDecimalId } from './validation';
export function taskId(id: string): string {
  if (!isDecimalId(id)) throw new ValidationError('task_id', 'must be a decimal id (digits only, kept as a string)');
  return id;
}

export function connectorId(id: number): number {
  if (!Number.isSafeInteger(id) || id <= 0) throw new ValidationError('connector_id', 'must be a positive integer');
  return id;
}

export function pageArgs(page: number | undefined, pageSize: number | undefined): void {
  if (page !== undefined && (!Number.isInteger(page) || page < 1)) throw new ValidationError('page', 'must be an integer ≥ 1');
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1)) throw new ValidationError('page_size', 'must be an integer ≥ 1');
}

/**
 * Every item of a paged list, page after page, until the items collected reach `total` (at most
 * `limit`). Page length says nothing: a server may cap pages below the size asked for. A page that
 * brings nothing new (empty, or a server that ignores `page`) ends the reading too.
 */
export async function collectPages<T>(
  fetchPage: (page: number) => Promise<{ items: readonly T[]; total: number }>,
  key: (item: T) => string,
  limit = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const seen = new Set<string>();
  const all: T[] = [];
  for (let page = 1; all.length < limit; page++) {
    const { items, total } = await fetchPage(page);
    let added = 0;
    for (const item of items) {
      const k = key(item);
      if (seen.has(k)) continue;
      seen.add(k);
      all.push(item);
      added++;
    }
    if (added === 0 || all.length >= total) break;
  }
  return all.slice(0, limit);
}

export function uriList(uris: readonly string[]): string[] {
  if (!Array.isArray(uris) || uris.length === 0) throw new ValidationError('uris', 'choose at least one file');
  const out: string[] = [];
  for (const uri of uris) {
    if (typeof uri !== 'string' || uri.trim() === '') throw new ValidationError('uris', 'an empty file uri');
    if (!out.includes(uri)) out.push(uri);
  }
  return out;
}

export function loadMode(intervalType: number, interval: number | undefined): { load_interval_type: number; interval: number } {
  if (!INTERVAL_TYPES.includes(intervalType)) throw new ValidationError('load_interval_type', 'must be 1 (daily), 2 (hourly), 3 (per minute) or 4 (once)');
  if (intervalType === 4) return { load_interval_type: 4, interval: 0 };
  const n = interval ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new ValidationError('interval', 'must be an integer from 1 to 10000');
  return { load_interval_type: intervalType, interval: n };
}
