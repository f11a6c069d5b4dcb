// The transfer engine's entry point: its public API (start, pause, resume, retry, cancel, clear, restore) and the queue.
import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import { bindProtocol, type BoundProtocol } from './boundProtocol';
import { EngineRecords } from './engineRecords';
import { describe, isFinished, type EngineOptions, type NewTransfer, type PartListener, type RestoreResult, type TransferListener } from './engineTypes';
import type { SetAside } from './journal';
import { idleProgress } from './progressTracker';
import { TransferRunner } from './transferRun';
import type { Protocol, TransferKind, TransferRecord } from './types';

export { describe, isFinished, WAITING_FOR_NETWORK, type EngineOptions, type NewTransfer, type PartListener, type RestoreResult, type TransferListener } from './engineTypes';

export class TransferEngine {
  private readonly protocols = new Map<string, BoundProtocol>();
  private readonly book: EngineRecords;
  private readonly records: Map<string, TransferRecord>;
  private readonly runner: TransferRunner;
  /** Journal removals of cleared transfers still under way (an undo waits for them). */
  private readonly removing = new Map<string, Promise<void>>();
  /** Set aside while restoring or binding, for restore()'s answer and the UI. */
  private readonly setAsideFiles: SetAside[] = [];

  constructor(private readonly options: EngineOptions) {
    this.book = new EngineRecords(options);
    this.records = this.book.records;
    this.runner = new TransferRunner(this.book, this.protocols, () => this.pump());
  }

  registerProtocol<P, C extends object>(protocol: Protocol<P, C>): void {
    const bound = bindProtocol(protocol);
    this.protocols.set(bound.name, bound);
    // Records restored before their protocol was known are checked now.
    for (const record of [...this.records.values()]) {
      if (record.protocol === bound.name) this.checkShape(record, bound);
    }
  }

  /** Starts a transfer of `kind` with `params`, typed end to end; the params are checked against the kind's schema. */
  start<P, C extends object>(kind: TransferKind<P, C>, params: P, meta: NewTransfer): TransferRecord<P, C> {
    if (!this.protocols.has(kind.name)) throw new Error(`unknown transfer protocol ${kind.name}`);
    const record: TransferRecord<P, C> = {
      id: `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`,
      protocol: kind.name,
      direction: kind.direction,
      label: meta.label,
      localPath: meta.localPath,
      state: 'queued',
      progress: { bytesDone: 0, bytesTotal: meta.bytesTotal ?? 0, bytesPerSecond: 0 },
      createdAt: Date.now(),
      params: v.parse(kind.params, params),
      checkpoint: v.parse(kind.checkpoint, {}),
    };
    this.records.set(record.id, record);
    this.book.persist(record);
    this.book.emit(record);
    this.pump();
    return record;
  }

  /**
   * Loads the journal. Transfers that were queued or running when their process ended come back as paused, so the
   * user (or autoResume) decides when they continue; those are returned. One another live process owns is shown as
   * running there and left alone.
   */
  async restore(): Promise<RestoreResult> {
    const interrupted: TransferRecord[] = [];
    const loaded = await this.options.journal.loadAll();
    this.setAsideFiles.push(...loaded.setAside);
    for (const set of loaded.setAside) this.options.logger.warn(`journal: ${set.file} set aside: ${set.reason}`);
    for (const record of loaded.records) {
      if (this.records.has(record.id)) continue;
      this.records.set(record.id, record);
      const bound = this.protocols.get(record.protocol);
      if (bound && !this.checkShape(record, bound)) continue;
      record.elsewhere = await this.options.locks?.owner(record.id);
      if (!record.elsewhere && (record.state === 'running' || record.state === 'queued')) {
        record.state = 'paused';
        record.progress = idleProgress(record.progress);
        interrupted.push(record);
      }
    }
    this.book.foreign.startWatching();
    this.book.emit(undefined);
    return { interrupted, setAside: [...this.setAsideFiles] };
  }

  /** Journal files set aside so far (wrong shape, not JSON), each with its reason. */
  setAside(): readonly SetAside[] {
    return this.setAsideFiles;
  }

  list(): TransferRecord[] {
    return [...this.records.values()].sort((a, b) => b.createdAt - a.createdAt);
  }

  get(id: string): TransferRecord | undefined {
    return this.records.get(id);
  }

  onDidChange(listener: TransferListener): { dispose(): void } {
    return this.book.events.onDidChange(listener);
  }

  /** What happens to the parts of the transfers this process runs (not journaled; see partActivity.ts). */
  onPartEvent(listener: PartListener): { dispose(): void } {
    return this.book.events.onPartEvent(listener);
  }

  /**
   * Resolves when the transfer stops running here: completed, failed, cancelled, paused, or found running elsewhere.
   * Given the record itself (as start() returned it), resolves with it, typed as it is.
   */
  whenSettled(id: string): Promise<TransferRecord>;
  whenSettled<P, C>(record: TransferRecord<P, C>): Promise<TransferRecord<P, C>>;
  whenSettled<P, C>(which: string | TransferRecord<P, C>): Promise<TransferRecord | TransferRecord<P, C>> {
    if (typeof which === 'string') return this.book.settledRecord(which);
    if (this.records.get(which.id) !== which) return Promise.reject(new Error(`transfer ${which.id} is not this engine's record; wait on its id`));
    return this.book.settledRecord(which.id).then(() => which);
  }

  pause(id: string): void {
    const record = this.book.mine(id);
    if (!record) return;
    const run = this.runner.active.get(id);
    if (run) {
      run.stopReason = 'pause';
      run.controller.abort();
    } else if (record.state === 'queued') {
      this.book.setState(record, 'paused');
    }
  }

  /** Continues a paused or failed transfer from its checkpoint. */
  resume(id: string): void {
    const record = this.book.mine(id);
    if (!record || this.runner.active.has(id)) return;
    if (record.state !== 'paused' && record.state !== 'failed') return;
    record.error = undefined;
    this.book.setState(record, 'queued');
    this.pump();
  }

  /** Starts again: a failed transfer resumes from its checkpoint, a cancelled one (or one whose source changed) from scratch. */
  retry(id: string): void {
    const record = this.book.mine(id);
    if (!record || this.runner.active.has(id)) return;
    if (record.errorKind === 'source-changed') {
      // What the server holds for the old content is of no use any more.
      void this.runner.protocolHook(structuredClone(record), 'onDiscarded');
    }
    if (record.state === 'cancelled' || record.errorKind === 'source-changed') {
      record.errorKind = undefined;
      record.checkpoint = {};
      record.progress = { ...idleProgress(record.progress), bytesDone: 0, bytesConfirmed: undefined };
    }
    if (record.state === 'cancelled' || record.state === 'failed' || record.state === 'paused') {
      record.error = undefined;
      record.finishedAt = undefined;
      this.book.setState(record, 'queued');
      this.pump();
    }
  }

  cancel(id: string): void {
    const record = this.book.mine(id);
    if (!record || isFinished(record.state)) return;
    const run = this.runner.active.get(id);
    if (run) {
      run.stopReason = 'cancel';
      run.controller.abort();
      return;
    }
    this.book.finish(record, 'cancelled');
    this.book.track(this.book.claim(record).then((ours) => (ours ? this.runner.protocolHook(record, 'onCancelled') : undefined)));
  }

  /** Removes this process's finished transfers from the list and the journal; another process's are left alone. */
  clearFinished(): number {
    let count = 0;
    for (const record of [...this.records.values()]) {
      if (!isFinished(record.state) || record.elsewhere) continue;
      this.records.delete(record.id);
      this.book.track(this.book.removeFromJournal(record));
      count++;
    }
    if (count) this.book.emit(undefined);
    return count;
  }

  /** Removes the given finished transfers of this process (list and journal); returns those removed, for an undo. */
  clear(ids: readonly string[]): TransferRecord[] {
    const removed: TransferRecord[] = [];
    for (const id of ids) {
      const record = this.book.mine(id);
      if (!record || !isFinished(record.state)) continue;
      this.records.delete(id);
      const removal = this.book.removeFromJournal(record).finally(() => this.removing.delete(id));
      this.removing.set(id, removal);
      this.book.track(removal);
      removed.push(record);
    }
    if (removed.length) this.book.emit(undefined);
    return removed;
  }

  /** Puts transfers removed by clear() back, as they were (an undo). */
  reinstate(records: readonly TransferRecord[]): void {
    for (const record of records) {
      if (this.records.has(record.id) || !isFinished(record.state)) continue;
      this.records.set(record.id, record);
      // Written again only once its removal has landed, else the removal would delete what is written back.
      const removal = this.removing.get(record.id) ?? Promise.resolve();
      this.book.track(removal.then(() => this.book.save(record)).catch((e: unknown) => this.options.logger.warn(`journal: could not save ${record.id}: ${describe(e)}`)));
    }
    this.book.emit(undefined);
  }

  /**
   * Stops every running transfer; the journal keeps them as interrupted, to come back paused on the next start.
   * Resolves once the runs have ended, every journal write has landed, and this process's locks are released.
   */
  async dispose(): Promise<void> {
    this.book.disposed = true;
    this.runner.stopAll();
    this.book.events.dispose();
    this.book.foreign.dispose();
    this.runner.dispose();
    await this.book.drain();
    await this.options.journal.flush();
    await this.options.locks?.releaseAll();
  }

  runningCount(): number {
    return this.runner.active.size;
  }

  /** True when the record's shape fits its protocol; else it is set aside (moved to corrupt/) and dropped. */
  private checkShape(record: TransferRecord, bound: BoundProtocol): boolean {
    const problem = bound.problem(record);
    if (!problem) return true;
    this.records.delete(record.id);
    this.book.track(
      this.options.journal.setAside(record.id, problem).then(
        (set) => {
          this.setAsideFiles.push(set);
          this.options.logger.warn(`journal: ${set.file} set aside: ${set.reason}`);
        },
        (e: unknown) => this.options.logger.warn(`journal: could not set ${record.id} aside: ${describe(e)}`),
      ),
    );
    this.book.emit(undefined);
    return false;
  }

  private pump(): void {
    if (this.book.disposed) return;
    const limit = Math.max(1, this.options.concurrency());
    const queued = [...this.records.values()].filter((r) => r.state === 'queued' && !r.elsewhere && !this.runner.active.has(r.id)).sort((a, b) => a.createdAt - b.createdAt);
    for (const record of queued) {
      if (this.runner.active.size >= limit) break;
      this.book.track(this.runner.run(record).catch((e: unknown) => this.options.logger.error(`transfer ${record.label}: ${describe(e)}`)));
    }
  }

  /** Reads the transfers of other processes again: progress, state, and whether their owner is still there. */
  refreshForeign(): Promise<void> {
    return this.book.foreign.refresh();
  }
}
