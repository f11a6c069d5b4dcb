// The journal's writes, per record in order: snapshots and log lines, the lines saved while a write is under way
// joining one append (group commit), each record's log held open while its saves follow each other.
import { open, type FileHandle } from 'node:fs/promises';

/** One planned write of a record: log lines or a whole snapshot, in the epoch it was planned in. */
export type Work = { kind: 'line'; epoch: number; text: string; bytes: number } | { kind: 'snapshot'; epoch: number; run(): Promise<void> };

/** What the journal says about a write: whether a line is to be dropped (its epoch failed), and that one failed. */
export interface WriteHooks {
  skip(work: Work): boolean;
  failed(work: Work): void;
}

/**
 * Log lines of one record waiting behind a write in flight: saves made meanwhile join it and land with one append,
 * each still resolving only once its own line is on disk.
 */
interface LineBatch {
  epoch: number;
  text: string;
  bytes: number;
  done: Promise<void>;
}

/** How long a record's log stays open after its last write (saves of a folder upload follow each other closely). */
const LOG_IDLE_MS = 1000;

export class JournalWriter {
  /** Writes of one record are chained so that an older state never lands after a newer one. */
  private readonly pending = new Map<string, Promise<void>>();
  /** Per record, the log lines queued behind the write in flight (not started yet). */
  private readonly batches = new Map<string, LineBatch>();
  /** Open log files, one per record while its saves follow each other. */
  private readonly logs = new Map<string, FileHandle>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  /** Bytes written so far (snapshots and log lines). */
  bytesWritten = 0;
  /** File writes so far (snapshots and log appends, each holding one or more lines). */
  writes = 0;

  constructor(
    private readonly logFile: (id: string) => string,
    /** Runs before each write (the folder exists). */
    private readonly prepare: () => Promise<void>,
  ) {}

  /** Queues `work` behind the record's earlier writes; resolves once it has landed (a line: once its append has). */
  enqueue(id: string, work: Work, hooks: WriteHooks): Promise<void> {
    if (work.kind === 'line') {
      const waiting = this.batches.get(id);
      if (waiting && waiting.epoch === work.epoch) {
        waiting.text += work.text;
        waiting.bytes += work.bytes;
        return waiting.done;
      }
    }
    const batch: LineBatch | undefined = work.kind === 'line' ? { epoch: work.epoch, text: work.text, bytes: work.bytes, done: Promise.resolve() } : undefined;
    const next = this.after(id).then(async () => {
      // One turn of the event loop first: saves made by the answers arriving in the same turn join this write.
      if (batch) await new Promise<void>((resolve) => setImmediate(resolve));
      // From here on the batch is being written: later lines start the next one.
      if (batch && this.batches.get(id) === batch) this.batches.delete(id);
      if (hooks.skip(work)) return;
      await this.prepare();
      try {
        if (batch) {
          await this.append(id, batch.text);
          this.bytesWritten += batch.bytes;
          this.writes++;
          // The log stays open while saves keep coming (a folder's files); closed once none has come for a while.
          if (this.pending.get(id) === tracked) this.closeWhenIdle(id);
        } else if (work.kind === 'snapshot') {
          await work.run();
          this.writes++;
        }
      } catch (error) {
        await this.closeLog(id).catch(() => undefined);
        hooks.failed(work);
        throw error;
      }
    });
    if (batch) {
      batch.done = next;
      this.batches.set(id, batch);
    }
    const tracked = next.catch(() => undefined);
    this.track(id, tracked);
    return next;
  }

  /** Resolves once every write of the record queued so far has settled. */
  after(id: string): Promise<void> {
    return this.pending.get(id) ?? Promise.resolve();
  }

  /** Adds the counted bytes of a snapshot written by `run`. */
  counted(bytes: number): void {
    this.bytesWritten += bytes;
  }

  private track(id: string, work: Promise<void>): void {
    this.pending.set(id, work);
    void work.then(() => {
      if (this.pending.get(id) === work) this.pending.delete(id);
    });
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
      if (!this.pending.has(id)) this.track(id, this.closeLog(id).catch(() => undefined));
    }, LOG_IDLE_MS);
    timer.unref();
    this.idleTimers.set(id, timer);
  }

  /** Closes the record's log (before a snapshot replaces it, or the record goes). */
  async closeLog(id: string): Promise<void> {
    clearTimeout(this.idleTimers.get(id));
    this.idleTimers.delete(id);
    const log = this.logs.get(id);
    if (!log) return;
    this.logs.delete(id);
    await log.close();
  }

  /** Lands every write queued so far and closes the logs held open. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending.values()]);
    for (const id of [...this.logs.keys()]) await this.closeLog(id).catch(() => undefined);
  }
}
