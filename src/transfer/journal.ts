// Persists transfer records: one snapshot file per record (written atomically) and an append-only log of what changed
// since, compacted into the snapshot when it grows; owner-only permissions; damaged records set aside, not fatal.
import { chmod, mkdir, open, readdir, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { applyOp, cloneJson, diffJson, type JournalOp, type JsonPath, parseOps } from './journalDiff';
import { readEnvelope, TRANSFER_ID } from './schemas';
import type { TransferRecord } from './types';

/** A journal file that could not be read as a transfer: moved to `corrupt/`, with the reason. */
export interface SetAside {
  file: string;
  reason: string;
}

export interface JournalLoad {
  records: TransferRecord[];
  setAside: SetAside[];
}

export interface JournalStore {
  loadAll(): Promise<JournalLoad>;
  /** Reads one record again (another process may be writing it); undefined when it is gone. */
  load(id: string): Promise<TransferRecord | undefined>;
  /**
   * Persists the record. `changed`, when given, names every part of `params` and `checkpoint` changed since the last
   * save (paths from the record's root, e.g. `['checkpoint', 'files', name]`; the small fields beside them are always
   * compared): a folder upload's per-file save then costs the file's entry, not the whole record. Without it the
   * whole record is compared.
   */
  save(record: Readonly<TransferRecord>, changed?: readonly JsonPath[]): Promise<void>;
  remove(id: string): Promise<void>;
  /** Moves a record that cannot be used out of the way, saying why. */
  setAside(id: string, reason: string): Promise<SetAside>;
  /** Resolves once every write started so far has landed. */
  flush(): Promise<void>;
  /** Where the records live, when on disk (ownership locks are kept beside them). */
  readonly dir?: string;
}

/** What the journal stores of a record: everything but what describes this process's view of it. */
function stored(record: Readonly<TransferRecord>): Record<string, unknown> {
  const { elsewhere: _elsewhere, ...rest } = record;
  const copy = cloneJson(rest);
  return typeof copy === 'object' && copy !== null && !Array.isArray(copy) ? { ...copy } : {};
}

export class MemoryJournal implements JournalStore {
  private readonly records = new Map<string, string>();
  async loadAll(): Promise<JournalLoad> {
    const records: TransferRecord[] = [];
    for (const text of this.records.values()) {
      const read = readEnvelope(JSON.parse(text));
      if ('record' in read) records.push(read.record);
    }
    return { records, setAside: [] };
  }
  async load(id: string): Promise<TransferRecord | undefined> {
    const text = this.records.get(id);
    const read = text === undefined ? undefined : readEnvelope(JSON.parse(text));
    return read && 'record' in read ? read.record : undefined;
  }
  async save(record: Readonly<TransferRecord>): Promise<void> {
    this.records.set(record.id, JSON.stringify(stored(record)));
  }
  async remove(id: string): Promise<void> {
    this.records.delete(id);
  }
  async setAside(id: string, reason: string): Promise<SetAside> {
    this.records.delete(id);
    return { file: id, reason };
  }
  async flush(): Promise<void> {}
}

/** The log is folded into the snapshot once it is larger than the snapshot (and at least this): bytes per part stay constant. */
const MIN_COMPACT_BYTES = 64 * 1024;
const CORRUPT_DIR = 'corrupt';
/** How long a record's log stays open after its last write (saves of a folder upload follow each other closely). */
const LOG_IDLE_MS = 1000;

interface Written {
  /** The record as the files say it is once every write queued so far has landed (a JSON copy). */
  value: Record<string, unknown>;
  /** Number of the last log line. */
  seq: number;
  snapshotBytes: number;
  logBytes: number;
  /** False when this process only read the files (another process wrote them): its first write is a whole snapshot. */
  mine: boolean;
  /** Counts the snapshots planned: the lines after one belong to it. */
  epoch: number;
  /** The epoch whose write failed: its lines still queued are dropped (the next save is a whole snapshot). */
  failedEpoch?: number;
}

/** One planned write of a record: log lines or a whole snapshot, in the epoch it was planned in. */
type Work = { kind: 'line'; epoch: number; text: string; bytes: number } | { kind: 'snapshot'; epoch: number; run(): Promise<void> };

/**
 * Log lines of one record waiting behind a write in flight: saves made meanwhile join it and land with one append
 * (group commit), each still resolving only once its own line is on disk.
 */
interface LineBatch {
  epoch: number;
  text: string;
  bytes: number;
  done: Promise<void>;
}

/** The fields of a record that may be large (a folder's files): compared only where a save says they changed. */
const LARGE_FIELDS = new Set(['params', 'checkpoint', 'elsewhere']);

/** The value at `path` below `root` (own keys only), and whether every level above it exists. */
function valueAt(root: unknown, path: JsonPath): { found: boolean; value: unknown } {
  let at: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (Array.isArray(at) && typeof key === 'number') at = at[key];
    else if (at !== null && typeof at === 'object' && !Array.isArray(at) && typeof key === 'string') at = Object.prototype.hasOwnProperty.call(at, key) ? (at as Record<string, unknown>)[key] : undefined;
    else return { found: false, value: undefined };
    if (at === undefined && i < path.length - 1) return { found: false, value: undefined };
  }
  return { found: true, value: at };
}

/**
 * What changed between `before` (the journal's copy) and the live record, looking only at the small fields and at
 * `changed`; undefined when a changed path has no parent in `before` yet (the caller compares everything then).
 */
function scopedDiff(before: Record<string, unknown>, live: Record<string, unknown>, changed: readonly JsonPath[]): JournalOp[] | undefined {
  const ops: JournalOp[] = [];
  for (const key of Object.keys(before)) if (!LARGE_FIELDS.has(key) && live[key] === undefined) ops.push(['d', [key]]);
  for (const key of Object.keys(live)) if (!LARGE_FIELDS.has(key)) diffJson(before[key], live[key], [key], ops);
  for (const path of changed) {
    if (path.length < 2 || path[0] === 'elsewhere') return undefined;
    const parentBefore = valueAt(before, path.slice(0, -1));
    const parentNow = valueAt(live, path.slice(0, -1));
    if (!parentBefore.found || !parentNow.found || parentBefore.value === null || typeof parentBefore.value !== 'object' || parentNow.value === null || typeof parentNow.value !== 'object') return undefined;
    diffJson(valueAt(before, path).value, valueAt(live, path).value, [...path], ops);
  }
  return ops;
}

export class FileJournal implements JournalStore {
  private sequence = 0;
  /** Saves of one record are chained so that an older state never lands after a newer one. */
  private readonly pending = new Map<string, Promise<void>>();
  private readonly written = new Map<string, Written>();
  /** Per record, the log lines queued behind the write in flight (not started yet). */
  private readonly batches = new Map<string, LineBatch>();
  /** Open log files, one per record while its saves follow each other. */
  private readonly logs = new Map<string, FileHandle>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  private prepared: Promise<void> | undefined;
  /** Bytes written so far (snapshots and log lines): what a test of the journal's cost measures. */
  bytesWritten = 0;
  /** File writes so far (snapshots and log appends, each holding one or more lines): what a test of group commit counts. */
  writes = 0;

  constructor(readonly dir: string) {}

  private snapshotFile(id: string): string {
    if (!TRANSFER_ID.test(id)) throw new Error(`journal: bad transfer id ${id}`);
    return join(this.dir, `${id}.json`);
  }

  /** The file that holds a transfer's record (shown in its details view). */
  recordFile(id: string): string {
    return this.snapshotFile(id);
  }

  private logFile(id: string): string {
    return join(this.dir, `${id}.log`);
  }

  /** The folder, owner-only (it holds live presigned URLs), also when an older version made it readable by others. */
  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await chmod(this.dir, 0o700).catch(() => undefined);
    })();
    return this.prepared;
  }

  async loadAll(): Promise<JournalLoad> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return { records: [], setAside: [] };
    }
    const records: TransferRecord[] = [];
    const setAside: SetAside[] = [];
    for (const name of names.sort()) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const id = name.slice(0, -'.json'.length);
      if (!TRANSFER_ID.test(id)) {
        setAside.push(await this.moveAside(name, [], 'its name is not a transfer id'));
        continue;
      }
      const read = await this.read(id);
      if (read === undefined) continue;
      if ('problem' in read) setAside.push(await this.setAside(id, read.problem));
      else records.push(read.record);
    }
    return { records, setAside };
  }

  async load(id: string): Promise<TransferRecord | undefined> {
    const read = await this.read(id);
    return read && 'record' in read ? read.record : undefined;
  }

  /** The snapshot with its log applied; undefined when there is no snapshot; a problem when it cannot be read. */
  private async read(id: string): Promise<{ record: TransferRecord } | { problem: string } | undefined> {
    let text: string;
    try {
      text = await readFile(this.snapshotFile(id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return { problem: `cannot be read: ${(error as Error).message}` };
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { problem: 'it is not JSON' };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'it is not a JSON object' };
    const root: Record<string, unknown> = { ...value };
    const snapshotSeq = typeof root.journalSeq === 'number' ? root.journalSeq : 0;
    delete root.journalSeq;
    let seq = snapshotSeq;
    let logBytes = 0;
    try {
      const log = await readFile(this.logFile(id), 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e)));
      logBytes = Buffer.byteLength(log);
      const lines = log.split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (!lines[i]) continue;
        let entry: { s?: unknown; o?: unknown };
        try {
          entry = JSON.parse(lines[i]) as { s?: unknown; o?: unknown };
        } catch {
          // The last line may have been cut short by a kill: what it said never counted.
          if (lines.slice(i + 1).every((l) => !l)) break;
          throw new Error(`line ${i + 1} of its log is not JSON`);
        }
        if (typeof entry.s !== 'number') throw new Error(`line ${i + 1} of its log has no sequence number`);
        if (entry.s <= snapshotSeq) continue;
        for (const op of parseOps(entry.o)) applyOp(root, op);
        seq = entry.s;
      }
    } catch (error) {
      return { problem: (error as Error).message };
    }
    const read = readEnvelope(root);
    if ('problem' in read) return read;
    if (read.record.id !== id) return { problem: `it holds transfer ${read.record.id}, not ${id}` };
    this.written.set(id, { value: stored(read.record), seq, snapshotBytes: Buffer.byteLength(text), logBytes, mine: false, epoch: this.written.get(id)?.epoch ?? 0 });
    return read;
  }

  /**
   * Works out what to write now, synchronously (the record changes on after this call), against what the files will
   * say once the writes queued before it have landed; the writes themselves are chained per record, so that an older
   * state never lands after a newer one. After a write fails, the lines queued behind it are dropped and the next save
   * is a whole snapshot: a line never lands on a state it was not computed from.
   */
  save(record: Readonly<TransferRecord>, changed?: readonly JsonPath[]): Promise<void> {
    const id = record.id;
    let work: Work | undefined;
    try {
      work = this.plan(id, record, changed);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (!work) return this.pending.get(id)?.then(() => undefined) ?? Promise.resolve();
    if (work.kind === 'line') {
      const waiting = this.batches.get(id);
      if (waiting && waiting.epoch === work.epoch) {
        waiting.text += work.text;
        waiting.bytes += work.bytes;
        return waiting.done;
      }
    }
    const planned = work;
    const batch: LineBatch | undefined = planned.kind === 'line' ? { epoch: planned.epoch, text: planned.text, bytes: planned.bytes, done: Promise.resolve() } : undefined;
    const previous = this.pending.get(id) ?? Promise.resolve();
    const next = previous.then(async () => {
      // One turn of the event loop first: saves made by the answers arriving in the same turn join this write.
      if (batch) await new Promise<void>((resolve) => setImmediate(resolve));
      // From here on the batch is being written: later lines start the next one.
      if (batch && this.batches.get(id) === batch) this.batches.delete(id);
      const written = this.written.get(id);
      if (planned.kind === 'line' && written?.failedEpoch === planned.epoch) return;
      await this.prepare();
      try {
        if (batch) {
          await this.append(id, batch.text);
          this.bytesWritten += batch.bytes;
          this.writes++;
          // The log stays open while saves keep coming (a folder's files); closed once none has come for a while.
          if (this.pending.get(id) === tracked) this.closeWhenIdle(id);
        } else if (planned.kind === 'snapshot') {
          await planned.run();
        }
      } catch (error) {
        await this.closeLog(id).catch(() => undefined);
        if (written && written.epoch === planned.epoch) {
          written.failedEpoch = planned.epoch;
          written.mine = false;
        }
        throw error;
      }
    });
    if (batch) {
      batch.done = next;
      this.batches.set(id, batch);
    }
    const tracked = next.catch(() => undefined);
    this.pending.set(id, tracked);
    void tracked.then(() => {
      if (this.pending.get(id) === tracked) this.pending.delete(id);
    });
    return next;
  }

  /**
   * Appends what changed since the last save; the first save, and one whose log has grown past the snapshot, rewrite
   * the snapshot. Only the comparison with the journal's copy looks at the record: with `changed`, at the parts named.
   */
  private plan(id: string, record: Readonly<TransferRecord>, changed: readonly JsonPath[] | undefined): Work | undefined {
    this.snapshotFile(id);
    const last = this.written.get(id);
    if (!last?.mine) {
      // Numbered after what was read, so that a log line a kill leaves behind is not applied twice.
      return this.snapshot(id, stored(record), last?.seq ?? 0, last?.epoch ?? 0);
    }
    const { elsewhere: _elsewhere, ...live } = record;
    const ops = (changed && scopedDiff(last.value, live, changed)) ?? diffJson(last.value, live);
    if (ops.length === 0) return undefined;
    for (const op of ops) applyOp(last.value, op);
    const seq = last.seq + 1;
    const line = `${JSON.stringify({ s: seq, o: ops })}\n`;
    const bytes = Buffer.byteLength(line);
    if (last.logBytes + bytes > Math.max(MIN_COMPACT_BYTES, last.snapshotBytes)) return this.snapshot(id, last.value, seq, last.epoch);
    last.seq = seq;
    last.logBytes += bytes;
    return { kind: 'line', epoch: last.epoch, text: line, bytes };
  }

  /** Takes the snapshot's text now (the journal's copy moves on with the next save) and returns its write. */
  private snapshot(id: string, value: Record<string, unknown>, seq: number, epoch: number): Work {
    const text = JSON.stringify({ ...value, journalSeq: seq });
    const bytes = Buffer.byteLength(text);
    this.written.set(id, { value, seq, snapshotBytes: bytes, logBytes: 0, mine: true, epoch: epoch + 1 });
    return {
      kind: 'snapshot',
      epoch: epoch + 1,
      run: async () => {
        const tmp = join(this.dir, `.${id}.${process.pid}.${this.sequence++}.tmp`);
        await writeFile(tmp, text, { mode: 0o600 });
        await this.closeLog(id);
        await rename(tmp, this.snapshotFile(id));
        // Lines up to `seq` are in the snapshot now; one left behind by a kill right here is skipped by its number.
        await rm(this.logFile(id), { force: true });
        this.bytesWritten += bytes;
        this.writes++;
      },
    };
  }

  /** Appends to the record's log through a handle kept open between writes of one burst. */
  private async append(id: string, text: string): Promise<void> {
    let log = this.logs.get(id);
    if (!log) {
      log = await open(this.logFile(id), 'a', 0o600);
      this.logs.set(id, log);
    }
    await log.appendFile(text);
  }

  /** Closes the record's log once its queue has stayed empty for LOG_IDLE_MS (a timer that keeps no process alive). */
  private closeWhenIdle(id: string): void {
    clearTimeout(this.idleTimers.get(id));
    const timer = setTimeout(() => {
      this.idleTimers.delete(id);
      if (this.pending.has(id)) return;
      const closing: Promise<void> = this.closeLog(id)
        .catch(() => undefined)
        .finally(() => {
          if (this.pending.get(id) === closing) this.pending.delete(id);
        });
      this.pending.set(id, closing);
    }, LOG_IDLE_MS);
    timer.unref();
    this.idleTimers.set(id, timer);
  }

  private async closeLog(id: string): Promise<void> {
    clearTimeout(this.idleTimers.get(id));
    this.idleTimers.delete(id);
    const log = this.logs.get(id);
    if (!log) return;
    this.logs.delete(id);
    await log.close();
  }

  async remove(id: string): Promise<void> {
    await (this.pending.get(id) ?? Promise.resolve());
    await this.closeLog(id);
    await rm(this.snapshotFile(id), { force: true });
    await rm(this.logFile(id), { force: true });
    this.written.delete(id);
  }

  async setAside(id: string, reason: string): Promise<SetAside> {
    await (this.pending.get(id) ?? Promise.resolve());
    await this.closeLog(id);
    this.written.delete(id);
    return this.moveAside(`${id}.json`, [`${id}.log`], reason);
  }

  private async moveAside(name: string, companions: string[], reason: string): Promise<SetAside> {
    const folder = join(this.dir, CORRUPT_DIR);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const stamp = `${Date.now()}`;
    for (const file of [name, ...companions]) {
      const from = join(this.dir, file);
      if (!(await stat(from).catch(() => undefined))) continue;
      await rename(from, join(folder, `${stamp}-${file}`));
    }
    return { file: join(folder, `${stamp}-${name}`), reason };
  }

  /** Lands every write started so far and closes the logs held open. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending.values()]);
    for (const id of [...this.logs.keys()]) await this.closeLog(id).catch(() => undefined);
  }
}
