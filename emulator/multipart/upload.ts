// Multipart backend upload routes (api 004): init, part PUT, complete, list (resume) and abort.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EmulatorContext } from '../context';
import type { RequestContext, Router } from '../router';
import { noteAuth } from '../store/auth';
import { concatFiles } from '../store/files';
import { receivePart } from '../store/parts';
import { Fields, fileNameProblem } from '../store/fields';
import { invalidPartMessage, partOrderProblem, partSizeProblem } from '../store/completion';
import { dict, own } from '../store/dict';
import { objectPath, presign, requireSignature, storeError } from '../store/presigned';
import { badField, detail } from './errors';
import { planPartSizes } from './admin';
import type { MpCompleteCall, MpPart, MpUpload, MultipartStore } from './model';

/** "Largest file: 500 MB" — the document's own example init uses file_size 524288000. */
export const MAX_FILE_SIZE = 524_288_000;
/** "Part size: 5 MB (5242880 bytes)", used when init leaves chunk_size out. */
export const DEFAULT_CHUNK_SIZE = 5_242_880;
export const MAX_PARTS = 10_000;
export const MP_PART_PREFIX = '_store/multipart';
/** The document's part PUT sends `Content-Type: application/octet-stream`: the URLs are signed for it. */
export const PART_CONTENT_TYPE = 'application/octet-stream';

export function registerMultipartUploadRoutes(router: Router, ctx: EmulatorContext, store: MultipartStore): void {
  router.add('POST', '/tasks/upload/multipart/init', 'mp_init', (c) => init(c, ctx, store));
  router.add('PUT', `/${MP_PART_PREFIX}/:uploadId/:filename`, 'mp_part_put', (c) => putPart(c, ctx, store));
  router.add('POST', '/tasks/upload/multipart/complete', 'mp_complete', (c) => complete(c, ctx, store));
  router.add('POST', '/tasks/upload/multipart/list', 'mp_list', (c) => list(c, store));
  router.add('POST', '/tasks/upload/multipart/abort', 'mp_abort', (c) => abort(c, store));
}

async function init(c: RequestContext, ctx: EmulatorContext, store: MultipartStore): Promise<void> {
  noteAuth(store.data.auth, c.req);
  const f = Fields.of(await c.json(), badField);
  const filename = f.string('filename', { allowEmpty: true });
  const nameProblem = fileNameProblem(filename);
  if (nameProblem) throw badField('filename', `filename: ${nameProblem}`, 'value');
  const fileSize = f.int('file_size', { min: 0 });
  if (fileSize > MAX_FILE_SIZE) throw detail(400, `file_size: ${fileSize} bytes is over the 500 MB limit (${MAX_FILE_SIZE} bytes)`);
  const fileType = f.string('file_type');
  const contentType = f.string('content_type', { allowEmpty: true });
  const chunkSize = f.optionalInt('chunk_size', { min: 1 }) ?? DEFAULT_CHUNK_SIZE;
  const totalChunks = Math.max(1, Math.ceil(fileSize / chunkSize));
  if (!store.settings.part_sizes && totalChunks > MAX_PARTS) throw detail(400, `chunk_size: ${chunkSize} would make ${totalChunks} parts, at most ${MAX_PARTS} are allowed`);
  // The plan is the server's: parts of chunk_size, or the sizes the emulator was told to plan with.
  const partSizes = planPartSizes(fileSize, chunkSize, store.settings);
  if (partSizes.length > MAX_PARTS) throw detail(400, `file_size: the server's part plan would make ${partSizes.length} parts, at most ${MAX_PARTS} are allowed`);

  const taskId = randomUUID();
  const uploadId = `mpu-${randomBytes(12).toString('hex')}`;
  const upload: MpUpload = {
    task_id: taskId,
    upload_id: uploadId,
    object_key: `speos_tasks/${taskId}/${filename}`,
    filename,
    file_size: fileSize,
    file_type: fileType,
    content_type: contentType,
    chunk_size: chunkSize,
    total_chunks: partSizes.length,
    part_sizes: partSizes,
    created_at: new Date().toISOString(),
    state: 'open',
    parts: dict(),
    put_attempts: dict(),
    completes: [],
  };
  store.data.uploads[uploadId] = upload;
  await store.save();
  const parts = [];
  const path = objectPath(...MP_PART_PREFIX.split('/'), uploadId, filename);
  let start = 0;
  for (const [i, size] of partSizes.entries()) {
    const subresources: [string, string][] = [['partNumber', String(i + 1)], ['uploadId', uploadId]];
    const url = presign(ctx, { method: 'PUT', path, subresources, contentType: PART_CONTENT_TYPE, group: 'mp_part_put' });
    parts.push({ part_number: i + 1, upload_url: url, start_byte: start, end_byte: start + size, size });
    start += size;
  }
  c.sendJson(200, { task_id: taskId, upload_id: uploadId, object_key: upload.object_key, total_chunks: partSizes.length, parts });
}

async function putPart(c: RequestContext, ctx: EmulatorContext, store: MultipartStore): Promise<void> {
  store.wire.part_put.record('PUT', c.url.pathname + c.url.search, c.req.rawHeaders);
  requireSignature(ctx, c, 'PUT');
  const upload = own(store.data.uploads, c.params.uploadId);
  const noSuchUpload = (detailText: string): Error =>
    storeError(ctx, c, 404, 'NoSuchUpload', `The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.${detailText}`, [['UploadId', c.url.searchParams.get('uploadId') ?? '']]);
  if (!upload || upload.state !== 'open' || upload.filename !== c.params.filename || c.url.searchParams.get('uploadId') !== upload.upload_id) {
    c.req.resume();
    throw noSuchUpload('');
  }
  const n = Number(c.url.searchParams.get('partNumber'));
  if (!Number.isInteger(n) || n < 1 || n > upload.total_chunks) {
    c.req.resume();
    throw storeError(ctx, c, 400, 'InvalidArgument', `Part number must be an integer between 1 and ${upload.total_chunks}, inclusive`, [['ArgumentName', 'partNumber'], ['ArgumentValue', String(c.url.searchParams.get('partNumber'))]]);
  }
  upload.put_attempts[n] = (upload.put_attempts[n] ?? 0) + 1;
  ctx.count('mp_part_puts');
  const stored = await receivePart(ctx, c, store.partPath(upload.upload_id, n));
  if (!stored) return;
  if (own(store.data.uploads, upload.upload_id)?.state !== 'open') {
    // Aborted while the body was arriving: the part is not kept.
    await rm(store.partPath(upload.upload_id, n), { force: true });
    throw noSuchUpload(' (aborted while this part was being received)');
  }
  const etag = ctx.store.config.etag(stored.md5);
  upload.parts[n] = { ...stored, etag, at: new Date().toISOString() };
  store.saveSoon();
  const uploadId = upload.upload_id;
  store.assemblies.partStored(uploadId, join(store.uploadDir(uploadId), 'assembling'), (k) => {
    const record = own(upload.parts, String(k));
    return record ? { path: store.partPath(uploadId, k), record } : undefined;
  });
  c.send(200, '', { ETag: etag });
}

/** The ETag of a stored part without its quotes (the form the document's complete and list use). */
function bareEtag(part: MpPart): string {
  return (part.etag ?? `"${part.md5}"`).slice(1, -1);
}

/** The upload named by {task_id, upload_id, object_key}, all three of which must agree. */
function findUpload(f: Fields, store: MultipartStore): MpUpload {
  const taskId = f.string('task_id');
  const uploadId = f.string('upload_id');
  const objectKey = f.string('object_key');
  const upload = own(store.data.uploads, uploadId);
  if (!upload) throw detail(404, `upload_id: no such upload "${uploadId}"`);
  if (upload.task_id !== taskId) throw detail(400, `task_id: "${taskId}" is not the task of upload ${uploadId}`);
  if (upload.object_key !== objectKey) throw detail(400, `object_key: "${objectKey}" is not the object key of upload ${uploadId} ("${upload.object_key}")`);
  return upload;
}

/** The parts list with the document's rules and the store's (order, known parts and ETags, part sizes). */
function checkParts(ctx: EmulatorContext, raw: unknown[], upload: MpUpload): number[] {
  if (raw.length === 0) throw detail(400, 'parts: must not be empty');
  const numbers: number[] = [];
  raw.forEach((value, i) => {
    const f = Fields.element(value, badField, 'parts', i);
    const n = f.int('part_number', { min: 1 });
    const etag = f.string('etag');
    const name = `parts[${i}]`;
    const previous = numbers[numbers.length - 1];
    if (previous === n) throw detail(400, `${name}.part_number: part ${n} appears more than once`);
    if (previous !== undefined && n < previous) throw detail(400, `parts: must be sorted by part_number (${name}.part_number ${n} comes after ${previous}); ${partOrderProblem([previous, n])?.message ?? ''}`);
    if (n > upload.total_chunks) throw detail(400, `${name}.part_number: part ${n} is not part of this upload (it has ${upload.total_chunks} parts)`);
    if (/^".*"$/.test(etag)) throw detail(400, `${name}.etag: remove the surrounding quotes from the ETag (send ${etag.slice(1, -1)})`);
    const part = own(upload.parts, String(n));
    if (!part) throw detail(400, `${name}.part_number: part ${n} was never uploaded`);
    const expected = bareEtag(part);
    if (etag !== expected) {
      const hint = etag.toLowerCase() === expected.toLowerCase() ? ' (send the ETag exactly as the PUT answered it, in its case)' : '';
      throw detail(400, `${name}.etag: ${invalidPartMessage(n, etag, expected)}${hint}`);
    }
    // The server knows its plan: a part of another length means the client sliced the file its own way.
    const planned = upload.part_sizes?.[n - 1];
    if (planned !== undefined && part.size !== planned) throw detail(400, `${name}: part ${n} has ${part.size} bytes, the plan init answered gives it ${planned}`);
    numbers.push(n);
  });
  if (numbers.length !== upload.total_chunks) {
    const have = new Set(numbers);
    const missing: number[] = [];
    for (let n = 1; n <= upload.total_chunks; n++) if (!have.has(n)) missing.push(n);
    const shown = missing.slice(0, 20).join(', ') + (missing.length > 20 ? ', …' : '');
    throw detail(400, `parts: ${missing.length} part(s) missing (${shown}); the upload has ${upload.total_chunks} parts`);
  }
  const sizes = numbers.map((n, position) => ({ position, number: n, size: (own(upload.parts, String(n)) as MpPart).size }));
  const tooSmall = partSizeProblem(sizes, ctx.store.config.minPartSize);
  if (tooSmall) throw detail(400, `parts[${tooSmall.position}]: ${tooSmall.message}`);
  return numbers;
}

async function complete(c: RequestContext, ctx: EmulatorContext, store: MultipartStore): Promise<void> {
  noteAuth(store.data.auth, c.req);
  const f = Fields.of(await c.json(), badField);
  const upload = findUpload(f, store);
  const fileType = f.string('file_type');
  const rawParts = f.array('parts');
  const call: MpCompleteCall = { parts: rawParts, at: new Date().toISOString(), ok: false };
  upload.completes.push(call);
  try {
    if (fileType !== upload.file_type) throw detail(400, `file_type: "${fileType}" is not the file type given at init ("${upload.file_type}")`);
    const answer = await assemble(ctx, store, upload, rawParts);
    call.ok = true;
    c.sendJson(200, answer);
  } catch (err) {
    call.error = (err as Error).message;
    throw err;
  } finally {
    await store.save();
  }
}

async function assemble(ctx: EmulatorContext, store: MultipartStore, upload: MpUpload, rawParts: unknown[]): Promise<Record<string, unknown>> {
  const answerFor = () => {
    const object = store.data.objects.find((o) => o.upload_id === upload.upload_id);
    return { task_id: upload.task_id, upload_id: upload.upload_id, object_key: upload.object_key, size: object?.size, md5: object?.md5, etag: object?.etag, status: 'completed' };
  };
  if (upload.state === 'completed') {
    if (upload.completed_parts === JSON.stringify(rawParts)) return answerFor();
    throw detail(400, `upload_id: upload ${upload.upload_id} is already completed`);
  }
  if (upload.state === 'aborted') throw detail(404, `upload_id: NoSuchUpload — upload ${upload.upload_id} was aborted`);
  if (store.completing.has(upload.upload_id)) throw detail(409, `upload_id: a complete of upload ${upload.upload_id} is already in progress`);
  store.completing.add(upload.upload_id);
  try {
    const numbers = checkParts(ctx, rawParts, upload);
    // Usually assembled already while the parts arrived; otherwise (a restart, a failure) concatenated now.
    const parts = numbers.map((n) => own(upload.parts, String(n)) as MpPart);
    const early = await store.assemblies.finish(upload.upload_id, parts);
    const assembled = early?.path ?? join(store.uploadDir(upload.upload_id), 'assembled');
    const result = early ?? (await concatFiles(numbers.map((n) => store.partPath(upload.upload_id, n)), assembled));
    ctx.count(early ? 'assembled_while_uploading' : 'assembled_at_complete');
    if (result.size !== upload.file_size) {
      await rm(assembled, { force: true });
      throw detail(400, `parts: the parts add up to ${result.size} bytes, init said file_size ${upload.file_size}`);
    }
    const dest = store.objectPath(upload.object_key);
    await mkdir(dirname(dest), { recursive: true });
    await rename(assembled, dest);
    store.data.objects = store.data.objects.filter((o) => o.object_key !== upload.object_key);
    store.data.objects.push({
      task_id: upload.task_id,
      upload_id: upload.upload_id,
      object_key: upload.object_key,
      file_type: upload.file_type,
      size: result.size,
      md5: result.md5,
      etag: ctx.store.config.compositeEtag(parts.map((p) => p.md5)).slice(1, -1),
      stored_at: new Date().toISOString(),
    });
    upload.state = 'completed';
    upload.completed_parts = JSON.stringify(rawParts);
    await rm(store.uploadDir(upload.upload_id), { recursive: true, force: true });
    return answerFor();
  } finally {
    store.completing.delete(upload.upload_id);
  }
}

/** What the server really holds for an open upload, sorted, ETags without quotes (the document's shape). */
async function list(c: RequestContext, store: MultipartStore): Promise<void> {
  noteAuth(store.data.auth, c.req);
  const upload = findUpload(Fields.of(await c.json(), badField), store);
  if (upload.state !== 'open') throw detail(404, `upload_id: upload ${upload.upload_id} is ${upload.state}, it has no parts to list`);
  const parts = Object.entries(upload.parts)
    .map(([n, p]) => ({ part_number: Number(n), etag: bareEtag(p) }))
    .sort((a, b) => a.part_number - b.part_number);
  c.sendJson(200, { parts });
}

async function abort(c: RequestContext, store: MultipartStore): Promise<void> {
  noteAuth(store.data.auth, c.req);
  const upload = findUpload(Fields.of(await c.json(), badField), store);
  if (upload.state === 'completed') throw detail(400, `upload_id: upload ${upload.upload_id} is already completed`);
  if (store.completing.has(upload.upload_id)) throw detail(409, `upload_id: upload ${upload.upload_id} is being completed; it can no longer be aborted`);
  // Aborting twice is harmless: the second answer is the same.
  upload.state = 'aborted';
  upload.parts = dict();
  await store.assemblies.dispose(upload.upload_id);
  await rm(store.uploadDir(upload.upload_id), { recursive: true, force: true });
  await store.save();
  c.sendJson(200, { task_id: upload.task_id, upload_id: upload.upload_id, object_key: upload.object_key, status: 'aborted' });
}
