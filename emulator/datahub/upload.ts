// Datahub upload routes: init (presigned part URLs), the part PUT on the object store, and complete.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorContext } from '../context';
import type { RequestContext, Router } from '../router';
import { concatFiles, renameCreating } from '../store/files';
import { receivePart } from '../store/parts';
import { Fields, relativeNameProblem } from '../store/fields';
import { dict, own } from '../store/dict';
import { objectPath, presign, requireSignature, storeError } from '../store/presigned';
import { invalidPartMessage, partOrderProblem, partSizeProblem } from '../store/completion';
import { apiError, badField, noteAuth, ok } from './envelope';
import type { CompleteCall, DatahubStore, PartRecord, UploadRecord } from './model';

/** Object stores (S3, OSS) allow at most 10,000 parts per multipart upload. */
export const MAX_PARTS = 10_000;
export const PART_ROUTE_PREFIX = '_store/datahub';

export function registerUploadRoutes(router: Router, ctx: EmulatorContext, store: DatahubStore): void {
  router.add('POST', '/api/task/upload/init', 'init', (c) => init(c, ctx, store));
  router.add('PUT', `/${PART_ROUTE_PREFIX}/:uploadId/:fileName`, 'part_put', (c) => putPart(c, ctx, store));
  router.add('POST', '/api/task/upload/complete', 'complete', (c) => complete(c, ctx, store));
}

async function init(c: RequestContext, ctx: EmulatorContext, store: DatahubStore): Promise<void> {
  noteAuth(store.data.auth, c.req);
  const f = Fields.of(await c.json(), badField);
  const subtaskId = f.string('subtask_id');
  const fileName = f.string('file_name', { allowEmpty: true });
  const nameProblem = relativeNameProblem(fileName);
  if (nameProblem) throw badField('file_name', `file_name: ${nameProblem}`, 'value');
  const fileSize = f.int('file_size', { min: 0 });
  const fileMd5 = f.string('file_md5', { allowEmpty: true });
  if (!/^[0-9a-fA-F]{32}$/.test(fileMd5)) throw badField('file_md5', 'file_md5: must be 32 hex characters (the MD5 of the whole file)', 'value');
  const chunkSize = f.optionalInt('chunk_size', { min: 1 });
  const partCount = chunkSize === undefined ? 1 : Math.max(1, Math.ceil(fileSize / chunkSize));
  if (partCount > MAX_PARTS) {
    const least = Math.ceil(fileSize / MAX_PARTS);
    throw badField('chunk_size', `chunk_size: ${chunkSize} would make ${partCount} parts, at most ${MAX_PARTS} are allowed (use at least ${least} bytes)`, 'value');
  }
  if (!own(store.data.subtasks, subtaskId)) throw apiError(404, `subtask_id: no such subtask "${subtaskId}"`);

  const uploadId = `upload_${randomBytes(12).toString('hex')}`;
  const upload: UploadRecord = {
    upload_id: uploadId,
    subtask_id: subtaskId,
    file_name: fileName,
    file_size: fileSize,
    file_md5: fileMd5.toLowerCase(),
    chunk_size: chunkSize,
    multipart: chunkSize !== undefined,
    part_count: partCount,
    created_at: new Date().toISOString(),
    state: 'open',
    parts: dict(),
    put_attempts: dict(),
  };
  store.data.uploads[uploadId] = upload;
  await store.save();
  // Staged under the upload id: a PutObject URL without chunk_size, UploadPart URLs (partNumber, uploadId) with it.
  const path = objectPath(...PART_ROUTE_PREFIX.split('/'), uploadId, fileName);
  const contentType = ctx.store.config.settings.datahubContentType;
  const partUploadUrls = [];
  for (let index = 1; index <= partCount; index++) {
    const subresources: [string, string][] = upload.multipart ? [['partNumber', String(index)], ['uploadId', uploadId]] : [];
    partUploadUrls.push({ index, url: presign(ctx, { method: 'PUT', path, subresources, contentType, group: 'part_put' }) });
  }
  ok(c, { upload_id: uploadId, part_upload_urls: partUploadUrls });
}

async function putPart(c: RequestContext, ctx: EmulatorContext, store: DatahubStore): Promise<void> {
  store.wire.part_put.record('PUT', c.url.pathname + c.url.search, c.req.rawHeaders);
  requireSignature(ctx, c, 'PUT');
  const upload = own(store.data.uploads, c.params.uploadId);
  const noSuchUpload = (): Error => {
    c.req.resume();
    return storeError(ctx, c, 404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', [['UploadId', c.url.searchParams.get('uploadId') ?? c.params.uploadId]]);
  };
  if (!upload || upload.state !== 'open' || upload.file_name !== c.params.fileName) throw noSuchUpload();
  let index = 1;
  if (upload.multipart) {
    if (c.url.searchParams.get('uploadId') !== upload.upload_id) throw noSuchUpload();
    index = Number(c.url.searchParams.get('partNumber'));
    if (!Number.isInteger(index) || index < 1 || index > upload.part_count) {
      c.req.resume();
      throw storeError(ctx, c, 400, 'InvalidArgument', `Part number must be an integer between 1 and ${upload.part_count}, inclusive`, [['ArgumentName', 'partNumber'], ['ArgumentValue', String(c.url.searchParams.get('partNumber'))]]);
    }
  }
  upload.put_attempts[index] = (upload.put_attempts[index] ?? 0) + 1;
  ctx.count('part_puts');
  // Streamed to disk and hashed on the way: a part is never held in memory. A re-PUT replaces the part.
  const stored = await receivePart(ctx, c, upload.multipart ? store.partPath(upload.upload_id, index) : store.singlePutPath(upload.upload_id));
  if (!stored) return;
  const etag = ctx.store.config.etag(stored.md5);
  upload.parts[index] = { ...stored, etag, at: new Date().toISOString() };
  store.saveSoon();
  const uploadId = upload.upload_id;
  // A single PutObject is the object already (complete renames it); parts are assembled while they arrive.
  if (upload.multipart) {
    store.assemblies.partStored(uploadId, join(store.uploadDir(uploadId), 'assembling'), (n) => {
      const record = own(upload.parts, String(n));
      return record ? { path: store.partPath(uploadId, n), record } : undefined;
    });
  }
  c.send(200, '', { ETag: etag });
}

interface WantedPart {
  index: number;
  etag: string;
}

/**
 * Checks the parts list against what was really uploaded, with the store's rules (the Datahub hands the list
 * to the store's CompleteMultipartUpload): the message names the offending entry and the store's error code.
 */
function checkParts(ctx: EmulatorContext, raw: unknown[], upload: UploadRecord): WantedPart[] {
  if (raw.length === 0) throw apiError(400, 'parts: must not be empty');
  const seen = new Set<number>();
  const wanted: WantedPart[] = [];
  raw.forEach((value, i) => {
    const f = Fields.element(value, badField, 'parts', i);
    const index = f.int('index', { min: 1 });
    const etag = f.string('etag');
    const name = `parts[${i}]`;
    if (seen.has(index)) throw apiError(400, `${name}.index: part ${index} appears more than once`);
    seen.add(index);
    if (index > upload.part_count) throw apiError(400, `${name}.index: part ${index} is not part of this upload (it has ${upload.part_count} parts)`);
    const part = own(upload.parts, String(index));
    if (!part) throw apiError(400, `${name}.index: part ${index} was never uploaded`);
    const expected = part.etag ?? `"${part.md5}"`;
    if (etag !== expected) {
      const hint = etag === expected.slice(1, -1) ? ' (send the ETag as the PUT answered it, quotes included)' : etag.toLowerCase() === expected.toLowerCase() ? ' (send the ETag exactly as the PUT answered it, in its case)' : '';
      throw apiError(400, `${name}.etag: ${invalidPartMessage(index, etag, expected)}${hint}`);
    }
    wanted.push({ index, etag });
  });
  const missing: number[] = [];
  for (let index = 1; index <= upload.part_count; index++) if (!seen.has(index)) missing.push(index);
  if (missing.length > 0) {
    const shown = missing.slice(0, 20).join(', ') + (missing.length > 20 ? ', …' : '');
    throw apiError(400, `parts: ${missing.length} part(s) missing (${shown}); the upload has ${upload.part_count} parts`);
  }
  const profile = ctx.store.config.profile;
  const order = profile.ascendingParts ? partOrderProblem(wanted.map((p) => p.index)) : undefined;
  if (order) throw apiError(400, `parts[${order.position}].index: ${order.message}`);
  const sorted = [...wanted].map((p, position) => ({ ...p, position })).sort((a, b) => a.index - b.index);
  if (upload.multipart) {
    const sizes = sorted.map((p) => ({ position: p.position, number: p.index, size: (own(upload.parts, String(p.index)) as PartRecord).size }));
    const tooSmall = partSizeProblem(sizes, ctx.store.config.minPartSize);
    if (tooSmall) throw apiError(400, `parts[${tooSmall.position}]: ${tooSmall.message}`);
  }
  return sorted.map(({ index, etag }) => ({ index, etag }));
}

async function complete(c: RequestContext, ctx: EmulatorContext, store: DatahubStore): Promise<void> {
  noteAuth(store.data.auth, c.req);
  const f = Fields.of(await c.json(), badField);
  const uploadId = f.string('upload_id');
  const subtaskId = f.string('subtask_id');
  const fileName = f.string('file_name');
  const rawParts = f.array('parts');
  const subtask = own(store.data.subtasks, subtaskId);
  if (!subtask) throw apiError(404, `subtask_id: no such subtask "${subtaskId}"`);
  const call: CompleteCall = { upload_id: uploadId, file_name: fileName, parts: rawParts, at: new Date().toISOString(), ok: false };
  subtask.completes.push(call);
  try {
    const data = await assemble(ctx, store, uploadId, subtaskId, fileName, rawParts);
    call.ok = true;
    ok(c, data);
  } catch (err) {
    call.error = (err as Error).message;
    throw err;
  } finally {
    await store.save();
  }
}

async function assemble(ctx: EmulatorContext, store: DatahubStore, uploadId: string, subtaskId: string, fileName: string, rawParts: unknown[]): Promise<Record<string, unknown>> {
  const upload = own(store.data.uploads, uploadId);
  if (!upload) throw apiError(404, `upload_id: no such upload "${uploadId}"`);
  if (upload.subtask_id !== subtaskId) throw apiError(400, `subtask_id: "${subtaskId}" is not the subtask of upload ${uploadId} ("${upload.subtask_id}")`);
  if (upload.file_name !== fileName) throw apiError(400, `file_name: "${fileName}" is not the file name given at init ("${upload.file_name}")`);
  const answer = { upload_id: uploadId, subtask_id: subtaskId, file_name: fileName, size: upload.file_size, md5: upload.file_md5 };
  if (upload.state === 'completed') {
    // A retried complete (its first answer was lost) gets the same answer; anything else is refused.
    if (upload.completed_parts === JSON.stringify(rawParts)) return answer;
    throw apiError(400, `upload_id: upload ${uploadId} is already completed`);
  }
  if (store.completing.has(uploadId)) throw apiError(409, `upload_id: a complete of upload ${uploadId} is already in progress`);
  store.completing.add(uploadId);
  try {
    const wanted = checkParts(ctx, rawParts, upload);
    // Usually assembled already while the parts arrived; otherwise (a restart, a failure) concatenated now.
    const parts = wanted.map((p) => own(upload.parts, String(p.index)) as PartRecord);
    const single = !upload.multipart && parts.length === 1;
    const early = single ? { path: store.singlePutPath(uploadId), size: parts[0].size, md5: parts[0].md5 } : await store.assemblies.finish(uploadId, parts);
    const assembled = early?.path ?? join(store.uploadDir(uploadId), 'assembled');
    const result = early ?? (await concatFiles(wanted.map((p) => store.partPath(uploadId, p.index)), assembled));
    // A refused complete keeps the uploaded part (a corrected complete may follow); only a copy is deleted.
    const discard = (): Promise<void> => (single ? Promise.resolve() : rm(assembled, { force: true }));
    ctx.count(single ? 'single_put_stored' : early ? 'assembled_while_uploading' : 'assembled_at_complete');
    if (result.size !== upload.file_size) {
      await discard();
      throw apiError(400, `file_size: the parts add up to ${result.size} bytes, init said ${upload.file_size}`);
    }
    if (result.md5 !== upload.file_md5) {
      await discard();
      throw apiError(400, `file_md5: the assembled file's MD5 is ${result.md5}, init said ${upload.file_md5}`);
    }
    // Objects are files on disk: "a" and "a/b" cannot both exist, as on a file system-backed store.
    const clash = store.objectClash(subtaskId, fileName);
    if (clash !== undefined) {
      await discard();
      throw apiError(409, `file_name: "${fileName}" clashes with the stored object "${clash}" (one would be a folder of the other)`);
    }
    // The rename replaces an object stored under the same name (the clash check rules out a folder there); the
    // folders are made only when missing: a small file's complete is a rename, not an rm, mkdir and rename.
    const dest = store.objectPath(subtaskId, fileName);
    await renameCreating(assembled, dest);
    // The store's ETag of the object: the single PUT's, or the multipart form over the parts' MD5s.
    const etag = upload.multipart ? ctx.store.config.compositeEtag(parts.map((p) => p.md5)) : (parts[0].etag ?? ctx.store.config.etag(parts[0].md5));
    store.putObject({ subtask_id: subtaskId, file_name: fileName, size: result.size, md5: result.md5, etag, upload_id: uploadId, stored_at: new Date().toISOString() });
    upload.state = 'completed';
    upload.completed_parts = JSON.stringify(rawParts);
    // A single PUT's body was renamed into place: it has no folder to remove.
    if (!single) await rm(store.uploadDir(uploadId), { recursive: true, force: true });
    return answer;
  } finally {
    store.completing.delete(uploadId);
  }
}
