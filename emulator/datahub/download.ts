// Datahub download routes: presign a subtask's input file, and the ranged GET on the object store.
import type { EmulatorContext } from '../context';
import type { RequestContext, Router } from '../router';
import { serveFile } from '../store/range';
import { objectPath, presign, requireSignature, s3Error } from '../store/presigned';
import { apiError, noteAuth, ok } from './envelope';
import type { DatahubStore } from './model';

export const DOWNLOAD_ROUTE_PREFIX = '_store/datahub-download';

export function registerDownloadRoutes(router: Router, ctx: EmulatorContext, store: DatahubStore): void {
  router.add('GET', '/api/task/download/presign', 'presign', (c) => presignDownload(c, ctx, store));
  router.add('GET', `/${DOWNLOAD_ROUTE_PREFIX}/:subtaskId/:fileName`, 'download', (c) => download(c, ctx, store));
}

function presignDownload(c: RequestContext, ctx: EmulatorContext, store: DatahubStore): void {
  noteAuth(store.data.auth, c.req);
  const subtaskId = c.url.searchParams.get('subtask_id');
  if (subtaskId === null || subtaskId.trim() === '') throw apiError(400, 'subtask_id: required (query parameter)');
  const subtask = store.data.subtasks[subtaskId];
  if (!subtask) throw apiError(404, `subtask_id: no such subtask "${subtaskId}"`);
  const input = subtask.input_file;
  if (!input) throw apiError(404, `subtask_id: subtask "${subtaskId}" has no input file`);
  const path = objectPath(...DOWNLOAD_ROUTE_PREFIX.split('/'), subtaskId, input.name);
  ok(c, { download_url: presign(ctx, 'GET', path, 'download'), file_name: input.name });
}

async function download(c: RequestContext, ctx: EmulatorContext, store: DatahubStore): Promise<void> {
  requireSignature(ctx, c, 'GET');
  const input = store.data.subtasks[c.params.subtaskId]?.input_file;
  if (!input || input.name !== c.params.fileName) throw s3Error(404, 'NoSuchKey', 'The specified key does not exist.', c.url.pathname);
  ctx.count('downloads');
  await serveFile(c, {
    path: store.inputPath(c.params.subtaskId, input.name),
    size: input.size,
    md5: input.md5,
    onBytes: (n) => ctx.count('get_bytes', n),
  });
}
