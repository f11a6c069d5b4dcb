// The emulated multipart backend's state (uploads, objects, confirmed jobs), its files and their persistence.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AssemblyTracker } from '../store/assembly';
import { JsonStateFile } from '../store/jsonState';
import type { StoredFile } from '../store/files';
import { type AuthSeen, emptyAuthSeen } from '../store/auth';
import { dict } from '../store/dict';
import { defaultMultipartSettings, type MultipartSettings } from './admin';
import { WireLog } from '../store/wire';

export interface MpPart extends StoredFile {
  /** The ETag the PUT answered, quoted, in the store's case. */
  etag?: string;
  at: string;
}

export interface MpCompleteCall {
  parts: unknown[];
  at: string;
  ok: boolean;
  error?: string;
}

export interface MpUpload {
  task_id: string;
  upload_id: string;
  object_key: string;
  filename: string;
  file_size: number;
  file_type: string;
  content_type: string;
  chunk_size: number;
  total_chunks: number;
  /** The size of each part in the plan init answered (absent in state written before plans were kept). */
  part_sizes?: number[];
  created_at: string;
  state: 'open' | 'completed' | 'aborted';
  parts: Record<string, MpPart>;
  put_attempts: Record<string, number>;
  completes: MpCompleteCall[];
  completed_parts?: string;
}

export interface MpObject extends StoredFile {
  task_id: string;
  upload_id: string;
  object_key: string;
  file_type: string;
  /** S3's multipart ETag: MD5 of the parts' binary MD5s, "-", the part count. */
  etag: string;
  stored_at: string;
}

export interface MpConfirm {
  task_id: string;
  job_id: string;
  master_object_key: string;
  profile_name: string;
  version: string;
  job_name: string;
  submitter: string;
  thread_count: string;
  priority: string;
  status: 'submitted';
  at: string;
}

export interface MultipartData {
  uploads: Record<string, MpUpload>;
  objects: MpObject[];
  confirms: MpConfirm[];
  auth: AuthSeen;
}

function emptyData(): MultipartData {
  return { uploads: dict(), objects: [], confirms: [], auth: emptyAuthSeen() };
}

/** Every record keyed by data becomes null-prototype again after loading (JSON gives plain objects). */
function withDicts(data: MultipartData): MultipartData {
  const uploads = dict(data.uploads);
  for (const upload of Object.values(uploads)) {
    upload.parts = dict(upload.parts);
    upload.put_attempts = dict(upload.put_attempts);
  }
  return { ...data, uploads };
}

function isMultipartData(v: unknown): v is MultipartData {
  if (!v || typeof v !== 'object') return false;
  const d = v as Partial<MultipartData>;
  return !!d.uploads && typeof d.uploads === 'object' && Array.isArray(d.objects) && Array.isArray(d.confirms);
}

/** In-memory state mirrored to `<dataDir>/multipart/state.json`; parts and objects are files beside it. */
export class MultipartStore {
  readonly root: string;
  data: MultipartData;
  settings: MultipartSettings = defaultMultipartSettings();
  readonly completing = new Set<string>();
  /** Objects being assembled while their parts arrive (memory only). */
  readonly assemblies = new AssemblyTracker();
  /** The headers of the last part PUTs, as they arrived (memory only). */
  readonly wire = { part_put: new WireLog() };
  private readonly file: JsonStateFile<MultipartData>;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'multipart');
    this.file = new JsonStateFile(join(this.root, 'state.json'), () => this.data);
    const loaded = this.file.load();
    this.data = isMultipartData(loaded) ? withDicts({ ...emptyData(), ...loaded }) : emptyData();
  }

  uploadDir(uploadId: string): string {
    return join(this.root, 'uploads', uploadId);
  }

  partPath(uploadId: string, partNumber: number): string {
    return join(this.uploadDir(uploadId), String(partNumber));
  }

  /** object_key is `speos_tasks/<task_id>/<filename>`, built by init from checked parts. */
  objectPath(objectKey: string): string {
    return join(this.root, 'objects', ...objectKey.split('/'));
  }

  save(): Promise<void> {
    return this.file.save();
  }

  /**
   * Saves without making the caller wait (part PUTs: an upload with thousands of parts must not pay one
   * state write per part before its answer). Writes are coalesced; close() and reset() wait for them.
   */
  saveSoon(): void {
    this.file.save().catch(() => undefined);
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  async close(): Promise<void> {
    await this.assemblies.disposeAll();
    await this.file.flush();
  }

  async reset(): Promise<void> {
    await this.assemblies.disposeAll();
    await this.file.flush();
    this.data = emptyData();
    this.settings = defaultMultipartSettings();
    this.wire.part_put.clear();
    await rm(this.root, { recursive: true, force: true });
  }

  state(): Record<string, unknown> {
    return {
      multipart: {
        uploads: Object.values(this.data.uploads).map((u) => ({
          task_id: u.task_id,
          upload_id: u.upload_id,
          object_key: u.object_key,
          file_size: u.file_size,
          chunk_size: u.chunk_size,
          total_chunks: u.total_chunks,
          state: u.state,
          parts: Object.keys(u.parts).map(Number).sort((a, b) => a - b),
          put_attempts: u.put_attempts,
          completes: u.completes,
        })),
        objects: this.data.objects.map((o) => ({ task_id: o.task_id, object_key: o.object_key, size: o.size, md5: o.md5 })),
        confirms: this.data.confirms,
        auth: this.data.auth,
        wire: { part_put: this.wire.part_put.list() },
      },
    };
  }
}
