// The emulated Datahub's state (subtasks, uploads, objects), where its files live, and its persistence.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AssemblyTracker } from '../store/assembly';
import { JsonStateFile } from '../store/jsonState';
import type { StoredFile } from '../store/files';
import { type AuthSeen, emptyAuthSeen } from '../store/auth';
import { dict } from '../store/dict';
import { WireLog } from '../store/wire';

export interface InputFile extends StoredFile {
  name: string;
  /** Set when the input is stored as if uploaded in parts of this size: its ETag is then `"<hex>-N"`. */
  part_size?: number;
  part_md5s?: string[];
}

export interface StatusEntry {
  status: number;
  at: string;
}

/** One call of /api/task/upload/complete, kept as sent (tests check that no part appears twice). */
export interface CompleteCall {
  upload_id: string;
  file_name: string;
  parts: unknown[];
  at: string;
  ok: boolean;
  error?: string;
}

export interface SubtaskRecord {
  subtask_id: string;
  created_at: string;
  input_file?: InputFile;
  status_history: StatusEntry[];
  heartbeats: number;
  last_process?: number;
  last_heartbeat?: { timestamp: number; process: number; at: string };
  result?: { total_counts: number; success_counts: number };
  result_count: number;
  completes: CompleteCall[];
}

export interface PartRecord extends StoredFile {
  /** The ETag the PUT answered (what complete must be sent back). */
  etag?: string;
  at: string;
}

export interface UploadRecord {
  upload_id: string;
  subtask_id: string;
  file_name: string;
  file_size: number;
  file_md5: string;
  chunk_size?: number;
  /** chunk_size was given: the parts are UploadParts of one multipart upload (else one PutObject). */
  multipart?: boolean;
  part_count: number;
  created_at: string;
  state: 'open' | 'completed';
  /** Uploaded parts by index ("1", "2", …). */
  parts: Record<string, PartRecord>;
  /** PUT attempts per index, also the refused or cut-off ones that reached the handler. */
  put_attempts: Record<string, number>;
  /** The parts list of the successful complete, to answer an identical retry the same way. */
  completed_parts?: string;
}

export interface ObjectRecord extends StoredFile {
  subtask_id: string;
  file_name: string;
  upload_id: string;
  /** As the store answered it: `"<md5>"` for a single PUT, `"<hex>-N"` for an object completed from parts. */
  etag?: string;
  stored_at: string;
}

export interface DatahubData {
  subtasks: Record<string, SubtaskRecord>;
  uploads: Record<string, UploadRecord>;
  objects: ObjectRecord[];
  auth: AuthSeen;
}

/** Where each object is in data.objects, and one object under each folder that objects' names imply. */
interface ObjectIndex {
  positions: Map<string, number>;
  folders: Map<string, string>;
}

function objectKey(subtaskId: string, name: string): string {
  return `${subtaskId}\u0000${name}`;
}

function emptyData(): DatahubData {
  return { subtasks: dict(), uploads: dict(), objects: [], auth: emptyAuthSeen() };
}

/** Every record keyed by data becomes null-prototype again after loading (JSON gives plain objects). */
function withDicts(data: DatahubData): DatahubData {
  const uploads = dict(data.uploads);
  for (const upload of Object.values(uploads)) {
    upload.parts = dict(upload.parts);
    upload.put_attempts = dict(upload.put_attempts);
  }
  return { ...data, subtasks: dict(data.subtasks), uploads };
}

function isDatahubData(v: unknown): v is DatahubData {
  if (!v || typeof v !== 'object') return false;
  const d = v as Partial<DatahubData>;
  return !!d.subtasks && typeof d.subtasks === 'object' && !!d.uploads && typeof d.uploads === 'object' && Array.isArray(d.objects);
}

/** In-memory state mirrored to `<dataDir>/datahub/state.json`; objects and parts are files beside it. */
export class DatahubStore {
  readonly root: string;
  data: DatahubData;
  /** Uploads whose complete is running (a second concurrent complete is refused). */
  readonly completing = new Set<string>();
  /** Objects being assembled while their parts arrive (memory only). */
  readonly assemblies = new AssemblyTracker();
  /** The headers of the last part PUTs and download GETs, as they arrived (memory only). */
  readonly wire = { part_put: new WireLog(), download: new WireLog() };
  private readonly file: JsonStateFile<DatahubData>;
  /** Built from data.objects on first use (memory only), dropped on reset. */
  private index: ObjectIndex | undefined;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'datahub');
    this.file = new JsonStateFile(join(this.root, 'state.json'), () => this.data);
    const loaded = this.file.load();
    this.data = isDatahubData(loaded) ? withDicts({ ...emptyData(), ...loaded }) : emptyData();
  }

  partPath(uploadId: string, index: number): string {
    return join(this.root, 'uploads', uploadId, String(index));
  }

  /** The body of an upload without chunk_size (one PutObject): a file beside the upload folders, so that it needs no folder of its own. */
  singlePutPath(uploadId: string): string {
    return join(this.root, 'uploads', `${uploadId}.put`);
  }

  uploadDir(uploadId: string): string {
    return join(this.root, 'uploads', uploadId);
  }

  inputPath(subtaskId: string, name: string): string {
    return join(this.root, 'inputs', subtaskId, name);
  }

  /** `name` may be a relative name (`batch/a.csv`), checked at init. */
  objectPath(subtaskId: string, name: string): string {
    return join(this.root, 'objects', subtaskId, ...name.split('/'));
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

  async reset(): Promise<void> {
    await this.assemblies.disposeAll();
    await this.file.flush();
    this.data = emptyData();
    this.index = undefined;
    this.wire.part_put.clear();
    this.wire.download.clear();
    await rm(this.root, { recursive: true, force: true });
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  async close(): Promise<void> {
    await this.assemblies.disposeAll();
    await this.file.flush();
  }

  newSubtask(subtaskId: string): SubtaskRecord {
    return {
      subtask_id: subtaskId,
      created_at: new Date().toISOString(),
      status_history: [],
      heartbeats: 0,
      result_count: 0,
      completes: [],
    };
  }

  /** Adds or replaces the object stored for (subtask, file name). */
  putObject(record: ObjectRecord): void {
    const index = this.objectIndex();
    const key = objectKey(record.subtask_id, record.file_name);
    const at = index.positions.get(key);
    if (at !== undefined) {
      this.data.objects[at] = record;
      return;
    }
    index.positions.set(key, this.data.objects.length);
    this.data.objects.push(record);
    const parts = record.file_name.split('/');
    for (let depth = 1; depth < parts.length; depth++) index.folders.set(objectKey(record.subtask_id, parts.slice(0, depth).join('/')), record.file_name);
  }

  /**
   * The stored object that `fileName` would clash with (objects are files on disk: "a" and "a/b" cannot both
   * exist), or undefined. Looked up per folder level, not by scanning every object: a folder upload of
   * thousands of files completes each in constant time.
   */
  objectClash(subtaskId: string, fileName: string): string | undefined {
    const index = this.objectIndex();
    const under = index.folders.get(objectKey(subtaskId, fileName));
    if (under !== undefined) return under;
    const parts = fileName.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/');
      if (index.positions.has(objectKey(subtaskId, folder))) return folder;
    }
    return undefined;
  }

  private objectIndex(): ObjectIndex {
    if (!this.index) {
      const objects = this.data.objects;
      this.data.objects = [];
      this.index = { positions: new Map(), folders: new Map() };
      for (const o of objects) this.putObject(o);
    }
    return this.index;
  }

  /** What GET /_emulator/state shows for Datahub. */
  state(): Record<string, unknown> {
    const subtasks = dict<unknown>();
    for (const [id, s] of Object.entries(this.data.subtasks)) {
      subtasks[id] = {
        input_file: s.input_file ?? null,
        status_history: s.status_history,
        heartbeats: s.heartbeats,
        last_process: s.last_process ?? null,
        last_heartbeat: s.last_heartbeat ?? null,
        result: s.result ?? null,
        result_count: s.result_count,
        completes: s.completes,
      };
    }
    return {
      objects: this.data.objects.map((o) => ({ subtask_id: o.subtask_id, file_name: o.file_name, size: o.size, md5: o.md5, etag: o.etag ?? null })),
      subtasks,
      datahub: {
        uploads: Object.values(this.data.uploads).map((u) => ({
          upload_id: u.upload_id,
          subtask_id: u.subtask_id,
          file_name: u.file_name,
          file_size: u.file_size,
          chunk_size: u.chunk_size ?? null,
          part_count: u.part_count,
          state: u.state,
          parts: Object.keys(u.parts).map(Number).sort((a, b) => a - b),
          part_etags: Object.fromEntries(Object.entries(u.parts).map(([n, p]) => [n, p.etag ?? `"${p.md5}"`])),
          put_attempts: u.put_attempts,
        })),
        auth: this.data.auth,
        wire: { part_put: this.wire.part_put.list(), download: this.wire.download.list() },
      },
    };
  }
}
