// What a multipart-upload transfer records (api 004): its params and checkpoint schemas, its kind, and the part plan they give.
import { extname } from 'node:path';
import * as v from 'valibot';
import type { UploadRef } from '../../api/multipart/types';
import { planParts, type PartRange } from '../parts';
import { wholeNumber } from '../schemas';
import { asTransferOf, defineKind, type ProtocolRun, type TransferRecord } from '../types';

export const MULTIPART_UPLOAD = 'multipart-upload';

const jobSchema = v.object({
  profile_name: v.string(),
  version: v.string(),
  job_name: v.string(),
  submitter: v.string(),
  thread_count: v.string(),
  priority: v.string(),
});

const paramsSchema = v.object({
  path: v.string(),
  /** Sent as `filename`: the base name. */
  name: v.string(),
  size: wholeNumber,
  mtimeMs: v.pipe(v.number(), v.finite()),
  /** "master": the simulation's master file. */
  fileType: v.string(),
  contentType: v.string(),
  /** Sent to confirm once the object is complete. */
  job: jobSchema,
});

const plannedPartSchema = v.object({ part_number: v.pipe(wholeNumber, v.minValue(1)), start_byte: wholeNumber, end_byte: wholeNumber });

/** What the journal keeps, written after every part. */
const checkpointSchema = v.object({
  /** The chunk_size asked for at the first init, never recomputed. */
  partSize: v.optional(v.pipe(wholeNumber, v.minValue(1))),
  taskId: v.optional(v.string()),
  uploadId: v.optional(v.string()),
  objectKey: v.optional(v.string()),
  /** The server's part plan of the current upload (from init), followed as given. */
  plan: v.optional(v.array(plannedPartSchema)),
  /** Presigned part URLs of the current upload, by part number (keys are the plan's integers, never other text). */
  urls: v.optional(v.record(v.string(), v.string())),
  /** Parts the server acknowledged, by part number, ETags without quotes. */
  etags: v.optional(v.record(v.string(), v.string())),
  completed: v.optional(v.boolean()),
  confirmed: v.optional(v.boolean()),
  jobId: v.optional(v.string()),
});

export type MultipartUploadParams = v.InferOutput<typeof paramsSchema>;
export type MultipartCheckpoint = v.InferOutput<typeof checkpointSchema>;
export const MULTIPART_UPLOAD_KIND = defineKind<MultipartUploadParams, MultipartCheckpoint>(MULTIPART_UPLOAD, 'upload', paramsSchema, checkpointSchema);

export type MultipartRun = ProtocolRun<MultipartUploadParams, MultipartCheckpoint>;

export function multipartUploadParams(record: TransferRecord): MultipartUploadParams {
  return asTransferOf(MULTIPART_UPLOAD_KIND, record).params;
}

export function multipartCheckpoint(record: TransferRecord): MultipartCheckpoint {
  return asTransferOf(MULTIPART_UPLOAD_KIND, record).checkpoint;
}

const CONTENT_TYPES = new Map([
  ['.zip', 'application/zip'],
  ['.json', 'application/json'],
  ['.txt', 'text/plain'],
  ['.csv', 'text/csv'],
  ['.xml', 'application/xml'],
  ['.gz', 'application/gzip'],
  ['.tar', 'application/x-tar'],
  ['.7z', 'application/x-7z-compressed'],
]);

/** The content_type sent to init, from the file's extension. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES.get(extname(file).toLowerCase()) ?? 'application/octet-stream';
}

/**
 * The parts of the current upload: the server's plan; before any init, or in a journal written before
 * plans were kept (when the server's plan had to equal ours), the plan of `partSize`.
 */
export function plannedParts(cp: MultipartCheckpoint, fileSize: number): PartRange[] {
  if (cp.plan) return cp.plan.map((p) => ({ index: p.part_number, start: p.start_byte, end: p.end_byte }));
  return cp.partSize ? planParts(fileSize, cp.partSize).parts : [];
}

/** The three ids that name the current upload in every control call. */
export function uploadRef(cp: MultipartCheckpoint): UploadRef {
  return { task_id: cp.taskId ?? '', upload_id: cp.uploadId ?? '', object_key: cp.objectKey ?? '' };
}
