// The ingest backend's state (connectors, load tasks, task files) on disk, and the simulation that runs the tasks.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listBucket } from './files';

export interface WireConfig {
  endpoint: string;
  access_key_id: string;
  access_key_secret: string;
  bucket_name: string;
  region?: string;
  path_style?: boolean;
}

export interface StoredConnector {
  id: number;
  source_type: number;
  name: string;
  status: string;
  created_at: number;
  updated_at: number;
  username: string;
  config: WireConfig;
}

export interface StoredFile {
  id: string;
  uri: string;
  name: string;
  type: number;
  size: number;
  status: number;
  reason: string;
  /** The uri is not in the bucket: every attempt fails. */
  missing: boolean;
  attempts: number;
  /** Bytes "uploaded" in the current attempt. */
  done: number;
  update_time: number;
  start_time: number;
  end_time: number;
}

export interface StoredTask {
  id: string;
  connector_id: number;
  connector_type: number;
  volume_id: string;
  volume_name: string;
  creator: string;
  status: number;
  uris: string[];
  interval_type: number;
  interval: number;
  start_at: number;
  end_at: number;
  created_at: number;
  updated_at: number;
  /** Unix seconds of the next scheduled run (interval types 1–3), 0 when none. */
  next_run_at: number;
  files: StoredFile[];
}

interface StateFile {
  nextConnectorId: number;
  connectors: StoredConnector[];
  tasks: StoredTask[];
}

/** Knobs of the simulation, changed with POST /_emulator/ingest. */
export interface SimulationSettings {
  /** Share of file attempts that fail at random (0–1); names containing "fail" always fail their first attempt. */
  fail_rate: number;
  /** Simulated load speed per file. */
  bytes_per_second: number;
  /** Files of one task loading at once. */
  concurrency: number;
  tick_ms: number;
  /** Divides the schedule of interval tasks (60 = a "minute" lasts one second). */
  time_scale: number;
  /** The largest page /task/list and /task/files answer; a larger page_size is cut to it (the document names no cap). */
  max_page_size: number;
  /**
   * The names of a task file's times: the document's example answers `start_time`/`end_time`, its output
   * table says `start_at`/`end_at`.
   */
  file_times: FileTimeNames;
}

export const FILE_TIME_NAMES = ['start_time', 'start_at'] as const;
export type FileTimeNames = (typeof FILE_TIME_NAMES)[number];

export const DEFAULT_SETTINGS: SimulationSettings = {
  fail_rate: 0,
  bytes_per_second: 8 * 1024 * 1024,
  concurrency: 2,
  tick_ms: 500,
  time_scale: 1,
  max_page_size: 100,
  file_times: 'start_time',
};

/** Seconds of one unit of load_interval_type 1 (day), 2 (hour), 3 (minute). */
const UNIT_SECONDS = new Map([
  [1, 86_400],
  [2, 3_600],
  [3, 60],
]);
const TWITTER_EPOCH = 1288834974657n;

export const now = (): number => Math.floor(Date.now() / 1000);

export class IngestStore {
  connectors: StoredConnector[] = [];
  tasks: StoredTask[] = [];
  settings: SimulationSettings = { ...DEFAULT_SETTINGS };
  private nextConnectorId = 100001;
  private lastId = 0n;
  private readonly file: string;

  constructor(readonly root: string, private readonly random: () => number = Math.random) {
    this.file = join(root, 'state.json');
    mkdirSync(root, { recursive: true });
    if (existsSync(this.file)) {
      try {
        const s = JSON.parse(readFileSync(this.file, 'utf8')) as StateFile;
        this.connectors = s.connectors ?? [];
        this.tasks = s.tasks ?? [];
        this.nextConnectorId = s.nextConnectorId ?? 100001;
      } catch {
        // A damaged state file starts an empty backend rather than failing the emulator.
      }
    }
  }

  save(): void {
    const tmp = this.file + '.tmp';
    writeFileSync(tmp, JSON.stringify({ nextConnectorId: this.nextConnectorId, connectors: this.connectors, tasks: this.tasks } satisfies StateFile));
    renameSync(tmp, this.file);
  }

  reset(): void {
    this.connectors = [];
    this.tasks = [];
    this.nextConnectorId = 100001;
    this.settings = { ...DEFAULT_SETTINGS };
    rmSync(join(this.root, 'buckets'), { recursive: true, force: true });
    this.save();
  }

  /** A 19-digit snowflake-like id, as a string (it does not fit a JS number). */
  newId(): string {
    let id = (BigInt(Date.now()) - TWITTER_EPOCH) << 22n;
    if (id <= this.lastId) id = this.lastId + 1n;
    this.lastId = id;
    return id.toString();
  }

  newConnectorId(): number {
    return this.nextConnectorId++;
  }

  connector(id: number): StoredConnector | undefined {
    return this.connectors.find((c) => c.id === id);
  }

  task(id: string): StoredTask | undefined {
    return this.tasks.find((t) => t.id === id);
  }

  relatedTaskIds(connectorId: number): string[] {
    return this.tasks.filter((t) => t.connector_id === connectorId).map((t) => t.id);
  }

  /** The task files for `uris`: directories expand to the files beneath; a missing uri becomes a file that fails. */
  filesFor(connector: StoredConnector, uris: readonly string[]): StoredFile[] {
    const entries = listBucket(this.root, connector.config.bucket_name);
    const out: StoredFile[] = [];
    const seen = new Set<string>();
    const add = (uri: string, name: string, type: number, size: number, missing: boolean): void => {
      if (seen.has(uri)) return;
      seen.add(uri);
      out.push({
        id: this.newId(), uri, name, type, size, status: 1, reason: '', missing, attempts: 0, done: 0,
        update_time: now(), start_time: 0, end_time: 0,
      });
    };
    for (const uri of uris) {
      const entry = entries.find((e) => e.uri === uri);
      if (!entry) add(uri, uri.split('/').pop() ?? uri, 0, 0, true);
      else if (entry.type === 10) for (const e of entries) { if (e.type !== 10 && e.uri.startsWith(uri + '/')) add(e.uri, e.filename, e.type, e.size, false); }
      else add(entry.uri, entry.filename, entry.type, entry.size, false);
    }
    return out;
  }

  /** One step of the simulation; true when something changed (then the state is saved). */
  tick(): boolean {
    let changed = false;
    const t = now();
    const step = Math.max(1, Math.round((this.settings.bytes_per_second * this.settings.tick_ms) / 1000));
    for (const task of this.tasks) {
      if (task.status === 4 && task.next_run_at > 0 && t >= task.next_run_at) {
        // Interval tasks run again on their schedule: every file is loaded afresh.
        for (const f of task.files) Object.assign(f, { status: 1, reason: '', attempts: 0, done: 0, start_time: 0, end_time: 0, update_time: t });
        Object.assign(task, { status: 1, start_at: t, end_at: 0, next_run_at: 0, updated_at: t });
        changed = true;
      }
      if (task.status === 2) {
        for (const f of task.files) if (f.status === 1 || f.status === 2 || f.status === 6) Object.assign(f, { status: 3, update_time: t });
        Object.assign(task, { status: 3, updated_at: t });
        changed = true;
        continue;
      }
      if (task.status !== 1) continue;
      let active = 0;
      for (const f of task.files) {
        if (f.status !== 2) continue;
        f.done = Math.min(f.size, f.done + step);
        if (f.done >= f.size) this.finishFile(f, t);
        else active++;
        f.update_time = t;
        changed = true;
      }
      for (const f of task.files) {
        if (active >= this.settings.concurrency) break;
        if (f.status !== 1 && f.status !== 6) continue;
        Object.assign(f, { status: 2, done: 0, reason: '', start_time: t, end_time: 0, update_time: t });
        active++;
        changed = true;
      }
      if (task.files.every((f) => f.status === 4 || f.status === 5)) {
        Object.assign(task, { status: 4, end_at: t, updated_at: t });
        const unit = UNIT_SECONDS.get(task.interval_type);
        task.next_run_at = unit ? t + Math.max(1, Math.round((task.interval * unit) / this.settings.time_scale)) : 0;
        changed = true;
      }
    }
    return changed;
  }

  private finishFile(f: StoredFile, t: number): void {
    f.attempts++;
    let reason = '';
    if (f.missing) reason = `no such object in the source bucket: ${f.uri}`;
    else if (f.attempts === 1 && /fail/i.test(f.name)) reason = 'simulated failure: the object could not be parsed (names containing "fail" fail their first attempt)';
    else if (this.random() < this.settings.fail_rate) reason = 'simulated failure: the connection to the source bucket was reset';
    Object.assign(f, { status: reason ? 4 : 5, reason, end_time: t, update_time: t });
  }
}
