// Persists transfer records: one snapshot file per record (written atomically) and an append-only log of what changed
// since, compacted into the snapshot when it grows; owner-only permissions; damaged records set aside, not fatal.
import { chmod, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyOp, diffJson, type JsonPath } from './journalDiff';
import { readRecordFiles } from './journalRead';
import { scopedDiff } from './journalScope';
import { stored, type JournalLoad, type JournalStore, type SetAside } from './journalStore';
import { JournalWriter, type Work } from './journalWriter';
import { TRANSFER_ID } from './schemas';
import type { TransferRecord } from './types';

export { MemoryJournal, type JournalLoad, type JournalStore, type SetAside } from './journalStore';

/** The log is folded into the snapshot once it is larger than the snapshot (and at least this): bytes per part stay constant. */
const MIN_COMPACT_BYTES = 64 * 1024;
const CORRUPT_DIR = 'corrupt';

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

export class FileJournal implements JournalStore {
  private sequence = 0;
  private readonly written = new Map<string, Written>();
  private prepared: Promise<void> | undefined;
  private readonly writer = new JournalWriter(
    (id) => this.logFile(id),
    () => this.prepare(),
  );

  /** Bytes written so far (snapshots and log lines): what a test of the journal's cost measures. */
  get bytesWritten(): number {
    return this.writer.bytesWritten;
  }

  /** File writes so far (snapshots and log appends, each holding one or more lines): what a test of group commit counts. */
  get writes(): number {
    return this.writer.writes;
  }

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
    const read = await readRecordFiles(id, this.snapshotFile(id), this.logFile(id));
    if (read && 'record' in read) {
      this.written.set(id, { value: stored(read.record), seq: read.seq, snapshotBytes: read.snapshotBytes, logBytes: read.logBytes, mine: false, epoch: this.written.get(id)?.epoch ?? 0 });
    }
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
    if (!work) return this.writer.after(id);
    return this.writer.enqueue(id, work, {
      skip: (w) => w.kind === 'line' && this.written.get(id)?.failedEpoch === w.epoch,
      failed: (w) => {
        const written = this.written.get(id);
        if (written && written.epoch === w.epoch) {
          written.failedEpoch = w.epoch;
          written.mine = false;
        }
      },
    });
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
        await this.writer.closeLog(id);
        await rename(tmp, this.snapshotFile(id));
        // Lines up to `seq` are in the snapshot now; one left behind by a kill right here is skipped by its number.
        await rm(this.logFile(id), { force: true });
        this.writer.counted(bytes);
      },
    };
  }

  async remove(id: string): Promise<void> {
    await this.writer.after(id);
    await this.writer.closeLog(id);
    await rm(this.snapshotFile(id), { force: true });
    await rm(this.logFile(id), { force: true });
    this.written.delete(id);
  }

  async setAside(id: string, reason: string): Promise<SetAside> {
    await this.writer.after(id);
    await this.writer.closeLog(id);
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
  flush(): Promise<void> {
    return this.writer.flush();
  }
}
