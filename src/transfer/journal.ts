// Persists transfer records: one snapshot file per record (written atomically) and an append-only log of what changed
// since, compacted into the snapshot when it grows; owner-only permissions; damaged records set aside, not fatal.
import { appendFile, chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyOp, cloneJson, diffJson, parseOps } from './journalDiff';
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
  save(record: Readonly<TransferRecord>): Promise<void>;
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

interface Written {
  /** The record as the files say it is now (a JSON copy). */
  value: Record<string, unknown>;
  /** Number of the last log line. */
  seq: number;
  snapshotBytes: number;
  logBytes: number;
  /** False when this process only read the files (another process wrote them): its first write is a whole snapshot. */
  mine: boolean;
}

export class FileJournal implements JournalStore {
  private sequence = 0;
  /** Saves of one record are chained so that an older state never lands after a newer one. */
  private readonly pending = new Map<string, Promise<void>>();
  private readonly written = new Map<string, Written>();
  private prepared: Promise<void> | undefined;
  /** Bytes written so far (snapshots and log lines): what a test of the journal's cost measures. */
  bytesWritten = 0;

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
    this.written.set(id, { value: stored(read.record), seq, snapshotBytes: Buffer.byteLength(text), logBytes, mine: false });
    return read;
  }

  save(record: Readonly<TransferRecord>): Promise<void> {
    const id = record.id;
    const now = stored(record);
    const previous = this.pending.get(id) ?? Promise.resolve();
    const next = previous.then(() => this.write(id, now));
    const tracked = next.catch(() => undefined);
    this.pending.set(id, tracked);
    void tracked.then(() => {
      if (this.pending.get(id) === tracked) this.pending.delete(id);
    });
    return next;
  }

  /** Appends what changed since the last write; the first write, and one whose log has grown past the snapshot, rewrite the snapshot. */
  private async write(id: string, now: Record<string, unknown>): Promise<void> {
    await this.prepare();
    const last = this.written.get(id);
    if (!last?.mine) {
      // Numbered after what was read, so that a log line a kill leaves behind is not applied twice.
      await this.writeSnapshot(id, now, last?.seq ?? 0);
      return;
    }
    const ops = diffJson(last.value, now);
    if (ops.length === 0) return;
    const seq = last.seq + 1;
    const line = `${JSON.stringify({ s: seq, o: ops })}\n`;
    const bytes = Buffer.byteLength(line);
    if (last.logBytes + bytes > Math.max(MIN_COMPACT_BYTES, last.snapshotBytes)) {
      await this.writeSnapshot(id, now, seq);
      return;
    }
    await appendFile(this.logFile(id), line, { mode: 0o600 });
    this.bytesWritten += bytes;
    for (const op of ops) applyOp(last.value, op);
    last.seq = seq;
    last.logBytes += bytes;
  }

  private async writeSnapshot(id: string, value: Record<string, unknown>, seq: number): Promise<void> {
    const text = JSON.stringify({ ...value, journalSeq: seq });
    const tmp = join(this.dir, `.${id}.${process.pid}.${this.sequence++}.tmp`);
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, this.snapshotFile(id));
    // Lines up to `seq` are in the snapshot now; one left behind by a kill right here is skipped by its number.
    await rm(this.logFile(id), { force: true });
    this.bytesWritten += Buffer.byteLength(text);
    this.written.set(id, { value, seq, snapshotBytes: Buffer.byteLength(text), logBytes: 0, mine: true });
  }

  async remove(id: string): Promise<void> {
    await (this.pending.get(id) ?? Promise.resolve());
    await rm(this.snapshotFile(id), { force: true });
    await rm(this.logFile(id), { force: true });
    this.written.delete(id);
  }

  async setAside(id: string, reason: string): Promise<SetAside> {
    await (this.pending.get(id) ?? Promise.resolve());
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

  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending.values()]);
  }
}
