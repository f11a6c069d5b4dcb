// Datahub download routes: presign a subtask's input file, and the ranged GET on the object store.
import type { EmulatorContext } from '../context';
import type { RequestContext, Router } from '../router';
import { serveFile } from '../store/range';
import { own } from '../store/dict';
import { objectPath, presign, requireSignature, storeError } from '../store/presigned';
import { apiError, noteAuth, ok } from './envelope';
import type { DatahubStore, InputFile } from './model';

export const DOWNLOAD_ROUTE_PREFIX = '_store/datahub-download';

export function registerDownloadRoutes(router: Router, ctx: EmulatorContext, store: DatahubStore): void {
  router.add('GET', '/api/task/download/presign', 'presign', (c) => presignDownload(c, ctx, store));
  router.add('GET', `/${DOWNLOAD_ROUTE_PREFIX}/:subtaskId/:fileName`, 'download', (c) => download(c, ctx, store));
}

function presignDownload(c: RequestContext, ctx: EmulatorContext, store: DatahubStore): void {
  noteAuth(store.data.auth, c.req);
  const subtaskId = c.url.searchParams.get('subtask_id');
  if (subtaskId === null || subtaskId.trim() === '') throw apiError(400, 'subtask_id: required (query parameter)');
  const subtask = own(store.data.subtasks, subtaskId);
  if (!subtask) throw apiError(404, `subtask_id: no such subtask "${subtaskId}"`);
  const input = subtask.input_file;
  if (!input) throw apiError(404, `subtask_id: subtask "${subtaskId}" has no input file`);
  const path = objectPath(...DOWNLOAD_ROUTE_PREFIX.split('/'), subtaskId, input.name);
  ok(c, { download_url: presign(ctx, { method: 'GET', path, group: 'download' }), file_name: input.name });
}

async function download(c: RequestContext, ctx: EmulatorContext, store: DatahubStore): Promise<void> {
  store.wire.download.record('GET', c.url.pathname + c.url.search, c.req.rawHeaders);
  requireSignature(ctx, c, 'GET');
  const input = own(store.data.subtasks, c.params.subtaskId)?.input_file;
  if (!input || input.name !== c.params.fileName) throw storeError(ctx, c, 404, 'NoSuchKey', 'The specified key does not exist.', [['Key', `${c.params.subtaskId}/${c.params.fileName}`]]);
  ctx.count('downloads');
  await serveFile(c, {
    path: store.inputPath(c.params.subtaskId, input.name),
    size: input.size,
    etag: inputEtag(ctx, input),
    onBytes: (n) => ctx.count('get_bytes', n),
  });
}

/** The stored input's ETag as the store spells it: `"<md5>"`, or `"<hex>-N"` when it was stored as if uploaded in parts. */
export function inputEtag(ctx: EmulatorContext, input: InputFile): string {
  return input.part_md5s ? ctx.store.config.compositeEtag(input.part_md5s) : ctx.store.config.etag(input.md5);
}
