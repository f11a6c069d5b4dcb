// The records the engine holds and how each change reaches the journal, the listeners, and whoever waits for it to settle.
import { describe, isFinished, type EngineOptions } from './engineTypes';
import { ForeignTransfers, type ForeignHost } from './foreignTransfers';
import type { JsonPath } from './journalDiff';
import { idleProgress } from './progressTracker';
import { TransferEvents } from './transferEvents';
import type { TransferRecord, TransferState } from './types';

export class EngineRecords implements ForeignHost {
  readonly records = new Map<string, TransferRecord>();
  readonly events: TransferEvents;
  readonly foreign: ForeignTransfers;
  /** When each record was last written, so that progress alone is written only now and then. */
  readonly persistedAt = new Map<string, number>();
  disposed = false;
  private readonly settleWaiters = new Map<string, ((record: TransferRecord) => void)[]>();
  /** Runs and journal writes still under way: dispose() waits for them, so nothing writes after it returns. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(readonly options: EngineOptions) {
    this.events = new TransferEvents(options);
    this.foreign = new ForeignTransfers(this);
  }

  isDisposed(): boolean {
    return this.disposed;
  }

  emit(record: TransferRecord | undefined): void {
    this.events.emit(record);
  }

  /** A record this process may act on: not one another process runs. */
  mine(id: string): TransferRecord | undefined {
    const record = this.records.get(id);
    return record && !record.elsewhere ? record : undefined;
  }

  settledRecord(id: string): Promise<TransferRecord> {
    const record = this.records.get(id);
    if (!record) return Promise.reject(new Error(`no transfer ${id}`));
    if (isFinished(record.state) || record.state === 'paused' || record.elsewhere) return Promise.resolve(record);
    return new Promise((resolve) => {
      const list = this.settleWaiters.get(id) ?? [];
      list.push(resolve);
      this.settleWaiters.set(id, list);
    });
  }

  setState(record: TransferRecord, state: TransferState): void {
    record.state = state;
    this.persist(record);
    this.emit(record);
  }

  finish(record: TransferRecord, state: TransferState): void {
    record.finishedAt = Date.now();
    record.progress = { ...idleProgress(record.progress), etaSeconds: state === 'completed' ? 0 : undefined };
    this.setState(record, state);
    this.notifySettled(record);
  }

  notifySettled(record: TransferRecord): void {
    const waiters = this.settleWaiters.get(record.id);
    if (!waiters) return;
    this.settleWaiters.delete(record.id);
    for (const resolve of waiters) resolve(record);
  }

  /** Writes the record, once it is this process's: a transfer another process owns is never written here. */
  async save(record: TransferRecord, changed?: readonly JsonPath[]): Promise<void> {
    if (!(this.options.locks?.holds(record.id) ?? true) && !(await this.claim(record))) return;
    this.persistedAt.set(record.id, Date.now());
    const saving = this.options.journal.save(record, changed);
    this.track(saving);
    await saving;
  }

  persist(record: TransferRecord, changed?: readonly JsonPath[]): void {
    this.track(this.save(record, changed).catch((e: unknown) => this.options.logger.warn(`journal: could not save ${record.id}: ${describe(e)}`)));
  }

  claim(record: TransferRecord): Promise<boolean> {
    return this.foreign.claim(record);
  }

  async removeFromJournal(record: TransferRecord): Promise<void> {
    if (!(await this.claim(record))) return;
    try {
      await this.options.journal.remove(record.id);
    } catch (e) {
      this.options.logger.warn(`journal: ${describe(e)}`);
    }
    await this.options.locks?.release(record.id);
  }

  /** Remembers `work` until it settles, for dispose(); its outcome is handled by whoever started it. */
  track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    const forget = (): void => {
      this.inFlight.delete(work);
    };
    void work.then(forget, forget);
  }

  /** Waits until no run or write is left; a run that ends (or a write that lands) may start another write. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
