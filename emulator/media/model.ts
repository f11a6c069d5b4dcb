// The emulated media backend's state: upload tasks (with their private block), download tasks, authorizations.
import { join } from 'node:path';
import { JsonStateFile } from '../store/jsonState';
import { fail } from './envelope';

export const STATUS_NAMES: ReadonlyMap<number, string> = new Map([
  [0, '未开始'],
  [1, '分块中'],
  [2, '加密中'],
  [3, '上载中'],
  [4, '下载中'],
  [5, '等待授权中'],
  [6, '下载密钥中'],
  [7, '合成中'],
  [8, '已完成'],
  [9, '出现错误'],
]);

/** What an upload (public block) or its private block holds from the status PATCHes. */
export interface BlockState {
  status: number;
  percent: number;
  name: string;
  file: string;
  size: number;
  hash: string;
  ip: string;
  /** Which of the document's block fields each status PATCH carried (the last 50). */
  reports?: { status: number; fields: string[] }[];
}

export interface UploadTask extends BlockState {
  id: number;
  series_id: number;
  source_id: number;
  source_name: string;
  uuid: string;
  created_at: string;
  /** The private block of this source, uploaded through /tasks/upload/private/{id}. */
  private: BlockState;
  status_history: number[];
}

export interface DownloadTask {
  id: number;
  source_id: number;
  status: number;
  percent: number;
  created_at: string;
  /** When the rights holder authorised this download (the private block shows from then on). */
  authorized_at?: number;
  status_history: number[];
}

interface Snapshot {
  next_id: number;
  uploads: UploadTask[];
  downloads: DownloadTask[];
  authorized_sources: number[];
  authorize_delay_ms: number | null;
  tokens: string[] | null;
  status_failures?: { remaining: number; status: number; refused: number };
}

export function now(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 19);
}

export class MediaStore {
  nextId = 1;
  uploads = new Map<number, UploadTask>();
  downloads = new Map<number, DownloadTask>();
  /** Sources whose every download is authorised (POST /_emulator/media/authorize {source_id}). */
  authorizedSources = new Set<number>();
  /** When set, a download is authorised this long after it is created. */
  authorizeDelayMs: number | null = null;
  /** Accepted tokens; any non-empty token when null. */
  tokens: string[] | null = null;
  /** The next `remaining` status PATCHes are refused with `status` (POST /_emulator/media/config {fail_status_patches}). */
  statusFailures = { remaining: 0, status: 503, refused: 0 };
  private readonly file: JsonStateFile<Snapshot>;

  constructor(dataDir: string) {
    this.file = new JsonStateFile(join(dataDir, 'media', 'state.json'), () => this.snapshot());
    const saved = this.file.load() as Partial<Snapshot> | undefined;
    if (saved) {
      this.nextId = saved.next_id ?? 1;
      for (const t of saved.uploads ?? []) this.uploads.set(t.id, t);
      for (const t of saved.downloads ?? []) this.downloads.set(t.id, t);
      this.authorizedSources = new Set(saved.authorized_sources ?? []);
      this.authorizeDelayMs = saved.authorize_delay_ms ?? null;
      this.tokens = saved.tokens ?? null;
    }
  }

  newId(): number {
    return this.nextId++;
  }

  /** Refuses this status PATCH when a failure is still to be injected (a passing backend fault). */
  takeStatusFailure(): void {
    if (this.statusFailures.remaining <= 0) return;
    this.statusFailures.remaining--;
    this.statusFailures.refused++;
    throw fail(this.statusFailures.status, '服务暂时不可用，请稍后再试。');
  }

  uploadBySource(sourceId: number): UploadTask | undefined {
    return [...this.uploads.values()].find((t) => t.source_id === sourceId);
  }

  isAuthorized(task: DownloadTask, nowMs = Date.now()): boolean {
    if (this.authorizedSources.has(task.source_id)) return true;
    if (task.authorized_at !== undefined) return nowMs >= task.authorized_at;
    return false;
  }

  save(): Promise<void> {
    return this.file.save();
  }

  async reset(): Promise<void> {
    await this.file.flush();
    this.nextId = 1;
    this.uploads.clear();
    this.downloads.clear();
    this.authorizedSources.clear();
    this.authorizeDelayMs = null;
    this.tokens = null;
    this.statusFailures = { remaining: 0, status: 503, refused: 0 };
    await this.save();
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  snapshot(): Snapshot {
    return {
      next_id: this.nextId,
      uploads: [...this.uploads.values()],
      downloads: [...this.downloads.values()],
      authorized_sources: [...this.authorizedSources],
      authorize_delay_ms: this.authorizeDelayMs,
      tokens: this.tokens,
      status_failures: { ...this.statusFailures },
    };
  }
}
