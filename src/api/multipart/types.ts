// Request and response shapes of the resumable multipart backend (api 004), field names as on the wire.
/** "Largest file: 500 MB" — the document's own example init sends exactly this many bytes. */
export const MULTIPART_MAX_FILE_SIZE = 524_288_000;

export interface InitRequest {
  filename: string;
  file_size: number;
  /** "master" for the simulation's master file. */
  file_type: string;
  content_type: string;
  chunk_size?: number;
}

export interface InitPart {
  /** From 1. */
  part_number: number;
  upload_url: string;
  start_byte: number;
  /** Exclusive (the document's example: 0 … 5242880 for a 5242880-byte part). */
  end_byte: number;
  size: number;
}

/** Names one upload; list, abort and complete all take these three. */
export interface UploadRef {
  task_id: string;
  upload_id: string;
  object_key: string;
}

export interface InitResponse extends UploadRef {
  total_chunks: number;
  parts: InitPart[];
}

export interface PartEtag {
  part_number: number;
  /** Without the surrounding quotes the store put in the ETag header. */
  etag: string;
}

export interface CompleteRequest extends UploadRef {
  file_type: string;
  /** Sorted by part_number. */
  parts: PartEtag[];
}

/** The document does not show complete's answer; what the client relies on is only that it is 2xx. */
export type CompleteResponse = Record<string, unknown>;

export interface ListResponse {
  parts: PartEtag[];
}

/** The job a confirmed upload submits; thread_count and priority are strings of digits, as the document insists. */
export interface ConfirmJob {
  profile_name: string;
  version: string;
  job_name: string;
  submitter: string;
  thread_count: string;
  priority: string;
}

export interface ConfirmRequest extends ConfirmJob {
  task_id: string;
  master_object_key: string;
}

export interface ConfirmResponse {
  task_id?: string;
  job_id?: string;
  status?: string;
  [key: string]: unknown;
}
