// The media task log: every upload and download task this extension created, per backend endpoint, with the backend's
// last answer about it. Api 002 lists neither kind of task, so this log (not the Transfers list) is what the Media
// view's Uploads and Downloads show; clearing transfers leaves it alone.
import * as vscode from 'vscode';
import type { MediaTaskKind, MediaTaskRecorder } from '../api/media/recordingClient';
import type { MediaTask } from '../api/media/types';

export interface MediaTaskEntry {
  kind: MediaTaskKind;
  taskId: number;
  /** The master's file name (source_name). */
  name: string;
  sourceId?: number;
  seriesId?: number;
  /** The folder (series) name, once an answer names it. */
  folder?: string;
  /** When the task was created (ms since the epoch, this machine's clock). */
  createdAt: number;
  /** The backend's last answer: status 0–9, percent, public block hash, and when it came. */
  status?: number;
  percent?: number;
  hash?: string;
  answeredAt?: number;
}

const KEY = 'datahub.media.taskLog';
/** Tasks kept per endpoint: the oldest finished ones go first. */
export const TASK_LOG_LIMIT = 200;

export const isFinalMediaStatus = (status: number | undefined): boolean => status === 8 || status === 9;

/** The log's key for an endpoint: the base URL without trailing slashes; '' (not set) records nothing. */
export function endpointKey(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '');
}

export class MediaTaskLog implements MediaTaskRecorder, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly byEndpoint: Record<string, MediaTaskEntry[]>;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly state: vscode.Memento,
    private readonly endpoint: () => string,
  ) {
    const saved = state.get<unknown>(KEY);
    this.byEndpoint = Object.create(null) as Record<string, MediaTaskEntry[]>;
    if (saved && typeof saved === 'object') {
      for (const [key, list] of Object.entries(saved)) if (Array.isArray(list)) this.byEndpoint[key] = (list as unknown[]).filter(isEntry);
    }
  }

  /** The tasks of the current endpoint, newest first. */
  list(kind?: MediaTaskKind): MediaTaskEntry[] {
    const all = this.byEndpoint[endpointKey(this.endpoint())] ?? [];
    return [...all].filter((e) => !kind || e.kind === kind).sort((a, b) => b.createdAt - a.createdAt);
  }

  find(kind: MediaTaskKind, taskId: number): MediaTaskEntry | undefined {
    return (this.byEndpoint[endpointKey(this.endpoint())] ?? []).find((e) => e.kind === kind && e.taskId === taskId);
  }

  created(kind: MediaTaskKind, task: MediaTask, request: { seriesId?: number }): void {
    const key = endpointKey(this.endpoint());
    if (!key) return;
    const list = (this.byEndpoint[key] ?? []).filter((e) => !(e.kind === kind && e.taskId === task.id));
    list.push({ kind, taskId: task.id, name: task.source_name, createdAt: Date.now(), seriesId: task.series_id || request.seriesId, ...answerFields(task) });
    this.byEndpoint[key] = bounded(list);
    this.save();
  }

  answered(kind: MediaTaskKind, task: MediaTask): void {
    const entry = this.find(kind, task.id);
    // Only tasks in the log are followed: one removed from the list stays removed while its transfer goes on.
    if (!entry) return;
    const before = JSON.stringify({ ...entry, answeredAt: 0 });
    Object.assign(entry, answerFields(task), { name: task.source_name || entry.name, seriesId: task.series_id || entry.seriesId });
    // The view repaints only when the answer changed something (a repaint while a context menu opens loses its row).
    this.save(JSON.stringify({ ...entry, answeredAt: 0 }) !== before);
  }

  /** Takes a task off the list (the backend keeps it); what restore() puts back. */
  remove(kind: MediaTaskKind, taskId: number): MediaTaskEntry | undefined {
    const key = endpointKey(this.endpoint());
    const list = this.byEndpoint[key] ?? [];
    const entry = list.find((e) => e.kind === kind && e.taskId === taskId);
    if (!entry) return undefined;
    this.byEndpoint[key] = list.filter((e) => e !== entry);
    this.save();
    return entry;
  }

  restore(entry: MediaTaskEntry): void {
    const key = endpointKey(this.endpoint());
    if (!key || this.find(entry.kind, entry.taskId)) return;
    this.byEndpoint[key] = bounded([...(this.byEndpoint[key] ?? []), entry]);
    this.save();
  }

  /** Resolves when every change so far is in global storage. */
  flush(): Promise<void> {
    return this.writes;
  }

  private save(changed = true): void {
    const snapshot = JSON.parse(JSON.stringify(this.byEndpoint)) as Record<string, MediaTaskEntry[]>;
    this.writes = this.writes.then(() => Promise.resolve(this.state.update(KEY, snapshot))).catch(() => undefined);
    if (changed) this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** What an answer says of a task; a field it leaves empty keeps what an earlier answer said. */
function answerFields(task: MediaTask): Partial<MediaTaskEntry> {
  const fields: Partial<MediaTaskEntry> = { status: task.status, percent: task.percent, answeredAt: Date.now() };
  if (task.source_id) fields.sourceId = task.source_id;
  if (task.hash) fields.hash = task.hash;
  if (task.file) fields.folder = task.file;
  return fields;
}

/** At most TASK_LOG_LIMIT entries: the oldest finished tasks leave first, then the oldest of any. */
function bounded(list: MediaTaskEntry[]): MediaTaskEntry[] {
  const sorted = [...list].sort((a, b) => a.createdAt - b.createdAt);
  while (sorted.length > TASK_LOG_LIMIT) {
    const finished = sorted.findIndex((e) => isFinalMediaStatus(e.status));
    sorted.splice(finished >= 0 ? finished : 0, 1);
  }
  return sorted;
}

function isEntry(value: unknown): value is MediaTaskEntry {
  const e = value as Partial<MediaTaskEntry> | null;
  return !!e && typeof e === 'object' && (e.kind === 'upload' || e.kind === 'download') && typeof e.taskId === 'number' && typeof e.name === 'string' && typeof e.createdAt === 'number';
}
