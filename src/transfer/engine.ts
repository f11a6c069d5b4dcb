// The shared transfer engine: a queue with a global concurrency limit, pause/resume/cancel/retry, a journal written on
// every checkpoint, progress events throttled for the UI, and — with locks — one owning process per transfer.
import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import { ApiError, isAbortError } from '../api/errors';
import type { Logger } from '../api/logger';
import { bindProtocol, type BoundProtocol, type HookName } from './boundProtocol';
import type { JournalStore, SetAside } from './journal';
import type { JsonPath } from './journalDiff';
import type { TransferLocks } from './ownership';
import { rideOutOutages, type NetworkWaitPolicy } from './networkWait';
import type { PartEvent } from './partActivity';
import { idleProgress, ProgressTracker } from './progressTracker';
import { isEmptyCheckpoint, type Protocol, type TransferKind, type TransferProgress, type TransferRecord, type TransferState } from './types';

export interface EngineOptions {
  journal: JournalStore;
  logger: Logger;
  /** How many transfers run at once; read each time the queue moves. */
  concurrency: () => number;
  /** Minimum interval between change events for progress alone. */
  progressIntervalMs?: number;
  /** One owner per transfer across processes; without it this engine is the only one using its journal. */
  locks?: TransferLocks;
  /** How often transfers owned by another process are read again from the journal (live progress); off when unset. */
  watchIntervalMs?: number;
  /** How long a run that cannot reach its endpoint waits for it (read at each outage); none: it fails at once. */
  networkWait?: () => NetworkWaitPolicy;
  /** Resolves when the endpoint of `record` answers; none: running the transfer again is the probe. */
  probe?: (record: TransferRecord, signal: AbortSignal) => Promise<void>;
}

export interface NewTransfer {
  label: string;
  localPath?: string;
  bytesTotal?: number;
}

export interface RestoreResult {
  /** Transfers that were running when their process ended; they are paused now (autoResume may continue them). */
  interrupted: TransferRecord[];
  /** Journal files that could not be used, moved to the journal's corrupt/ folder. */
  setAside: SetAside[];
}

export type TransferListener = (record: TransferRecord | undefined) => void;
export type PartListener = (id: string, event: PartEvent) => void;

interface ActiveRun {
  controller: AbortController;
  stopReason?: 'pause' | 'cancel' | 'shutdown' | 'lost';
  tracker: ProgressTracker;
}

/** The phase of a run that waits for its endpoint to answer again. */
export const WAITING_FOR_NETWORK = 'waiting for network';

/** How often running transfers are looked at for a stall (nothing reported at all is not news otherwise). */
const STALL_CHECK_MS = 1000;

const FINISHED: readonly TransferState[] = ['completed', 'failed', 'cancelled'];

export function isFinished(state: TransferState): boolean {
  return FINISHED.includes(state);
}

/** How often a running transfer's progress alone is written to the journal (for other windows to show). */
const PROGRESS_PERSIST_MS = 2000;

export class TransferEngine {
  private readonly protocols = new Map<string, BoundProtocol>();
  private readonly records = new Map<string, TransferRecord>();
  private readonly active = new Map<string, ActiveRun>();
  private readonly listeners = new Set<TransferListener>();
  private readonly partListeners = new Set<PartListener>();
  private readonly settleWaiters = new Map<string, ((record: TransferRecord) => void)[]>();
  private readonly persistedAt = new Map<string, number>();
  /** Journal removals of cleared transfers still under way (an undo waits for them). */
  private readonly removing = new Map<string, Promise<void>>();
  private progressTimer: NodeJS.Timeout | undefined;
  private watchTimer: NodeJS.Timeout | undefined;
  private stallTimer: NodeJS.Timeout | undefined;
  private dirtyProgress = false;
  private disposed = false;
  /** Runs and journal writes still under way: dispose() waits for them, so nothing writes after it returns. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Aborted by dispose(): best-effort server reports (status 5, …) stop retrying, so shutting down is prompt. */
  private readonly shutdown = new AbortController();
  /** Set aside while restoring or binding, for restore()'s answer and the UI. */
  private readonly setAsideFiles: SetAside[] = [];

  constructor(private readonly options: EngineOptions) {}

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
    this.persist(record);
    this.emit(record);
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
    this.startWatching();
    this.emit(undefined);
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
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** What happens to the parts of the transfers this process runs (not journaled; see partActivity.ts). */
  onPartEvent(listener: PartListener): { dispose(): void } {
    this.partListeners.add(listener);
    return { dispose: () => void this.partListeners.delete(listener) };
  }

  /**
   * Resolves when the transfer stops running here: completed, failed, cancelled, paused, or found running elsewhere.
   * Given the record itself (as start() returned it), resolves with it, typed as it is.
   */
  whenSettled(id: string): Promise<TransferRecord>;
  whenSettled<P, C>(record: TransferRecord<P, C>): Promise<TransferRecord<P, C>>;
  whenSettled<P, C>(which: string | TransferRecord<P, C>): Promise<TransferRecord | TransferRecord<P, C>> {
    if (typeof which === 'string') return this.settledRecord(which);
    if (this.records.get(which.id) !== which) return Promise.reject(new Error(`transfer ${which.id} is not this engine's record; wait on its id`));
    return this.settledRecord(which.id).then(() => which);
  }

  private settledRecord(id: string): Promise<TransferRecord> {
    const record = this.records.get(id);
    if (!record) return Promise.reject(new Error(`no transfer ${id}`));
    if (isFinished(record.state) || record.state === 'paused' || record.elsewhere) return Promise.resolve(record);
    return new Promise((resolve) => {
      const list = this.settleWaiters.get(id) ?? [];
      list.push(resolve);
      this.settleWaiters.set(id, list);
    });
  }

  pause(id: string): void {
    const record = this.mine(id);
    if (!record) return;
    const run = this.active.get(id);
    if (run) {
      run.stopReason = 'pause';
      run.controller.abort();
    } else if (record.state === 'queued') {
      this.setState(record, 'paused');
    }
  }

  /** Continues a paused or failed transfer from its checkpoint. */
  resume(id: string): void {
    const record = this.mine(id);
    if (!record || this.active.has(id)) return;
    if (record.state !== 'paused' && record.state !== 'failed') return;
    record.error = undefined;
    this.setState(record, 'queued');
    this.pump();
  }

  /** Starts again: a failed transfer resumes from its checkpoint, a cancelled one (or one whose source changed) from scratch. */
  retry(id: string): void {
    const record = this.mine(id);
    if (!record || this.active.has(id)) return;
    if (record.errorKind === 'source-changed') {
      // What the server holds for the old content is of no use any more.
      void this.protocolHook(structuredClone(record), 'onDiscarded');
    }
    if (record.state === 'cancelled' || record.errorKind === 'source-changed') {
      record.errorKind = undefined;
      record.checkpoint = {};
      record.progress = { ...idleProgress(record.progress), bytesDone: 0, bytesConfirmed: undefined };
    }
    if (record.state === 'cancelled' || record.state === 'failed' || record.state === 'paused') {
      record.error = undefined;
      record.finishedAt = undefined;
      this.setState(record, 'queued');
      this.pump();
    }
  }

  cancel(id: string): void {
    const record = this.mine(id);
    if (!record || isFinished(record.state)) return;
    const run = this.active.get(id);
    if (run) {
      run.stopReason = 'cancel';
      run.controller.abort();
      return;
    }
    this.finish(record, 'cancelled');
    this.track(this.claim(record).then((ours) => (ours ? this.protocolHook(record, 'onCancelled') : undefined)));
  }

  /** Removes this process's finished transfers from the list and the journal; another process's are left alone. */
  clearFinished(): number {
    let count = 0;
    for (const record of [...this.records.values()]) {
      if (!isFinished(record.state) || record.elsewhere) continue;
      this.records.delete(record.id);
      this.track(this.removeFromJournal(record));
      count++;
    }
    if (count) this.emit(undefined);
    return count;
  }

  /** Removes the given finished transfers of this process (list and journal); returns those removed, for an undo. */
  clear(ids: readonly string[]): TransferRecord[] {
    const removed: TransferRecord[] = [];
    for (const id of ids) {
      const record = this.mine(id);
      if (!record || !isFinished(record.state)) continue;
      this.records.delete(id);
      const removal = this.removeFromJournal(record).finally(() => this.removing.delete(id));
      this.removing.set(id, removal);
      this.track(removal);
      removed.push(record);
    }
    if (removed.length) this.emit(undefined);
    return removed;
  }

  /** Puts transfers removed by clear() back, as they were (an undo). */
  reinstate(records: readonly TransferRecord[]): void {
    for (const record of records) {
      if (this.records.has(record.id) || !isFinished(record.state)) continue;
      this.records.set(record.id, record);
      // Written again only once its removal has landed, else the removal would delete what is written back.
      const removal = this.removing.get(record.id) ?? Promise.resolve();
      this.track(removal.then(() => this.save(record)).catch((e: unknown) => this.options.logger.warn(`journal: could not save ${record.id}: ${describe(e)}`)));
    }
    this.emit(undefined);
  }

  /**
   * Stops every running transfer; the journal keeps them as interrupted, to come back paused on the next start.
   * Resolves once the runs have ended, every journal write has landed, and this process's locks are released.
   */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.shutdown.abort();
    for (const run of this.active.values()) {
      run.stopReason = 'shutdown';
      run.controller.abort();
    }
    if (this.progressTimer) clearTimeout(this.progressTimer);
    if (this.watchTimer) clearInterval(this.watchTimer);
    if (this.stallTimer) clearInterval(this.stallTimer);
    // A run that ends (or a write that lands) may start another write: wait until none is left.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.options.journal.flush();
    await this.options.locks?.releaseAll();
  }

  runningCount(): number {
    return this.active.size;
  }

  /** A record this process may act on: not one another process runs. */
  private mine(id: string): TransferRecord | undefined {
    const record = this.records.get(id);
    return record && !record.elsewhere ? record : undefined;
  }

  /** True when the record's shape fits its protocol; else it is set aside (moved to corrupt/) and dropped. */
  private checkShape(record: TransferRecord, bound: BoundProtocol): boolean {
    const problem = bound.problem(record);
    if (!problem) return true;
    this.records.delete(record.id);
    this.track(
      this.options.journal.setAside(record.id, problem).then(
        (set) => {
          this.setAsideFiles.push(set);
          this.options.logger.warn(`journal: ${set.file} set aside: ${set.reason}`);
        },
        (e: unknown) => this.options.logger.warn(`journal: could not set ${record.id} aside: ${describe(e)}`),
      ),
    );
    this.emit(undefined);
    return false;
  }

  private pump(): void {
    if (this.disposed) return;
    const limit = Math.max(1, this.options.concurrency());
    const queued = [...this.records.values()].filter((r) => r.state === 'queued' && !r.elsewhere && !this.active.has(r.id)).sort((a, b) => a.createdAt - b.createdAt);
    for (const record of queued) {
      if (this.active.size >= limit) break;
      this.track(this.run(record).catch((e: unknown) => this.options.logger.error(`transfer ${record.label}: ${describe(e)}`)));
    }
  }

  private async run(record: TransferRecord): Promise<void> {
    const run: ActiveRun = { controller: new AbortController(), tracker: new ProgressTracker(Date.now()) };
    this.active.set(record.id, run);
    this.watchForStalls();
    const protocol = this.protocols.get(record.protocol);
    if (!protocol) {
      this.active.delete(record.id);
      record.error = `unknown transfer protocol ${record.protocol}`;
      this.finish(record, 'failed');
      return;
    }
    let ours: boolean;
    try {
      ours = !this.options.locks || this.options.locks.holds(record.id) || (await this.claim(record));
    } catch (error) {
      // The lock could not even be tried (the journal folder is not writable): the transfer fails, it does not hang.
      this.active.delete(record.id);
      record.error = `cannot take the transfer: ${describe(error)}`;
      this.finish(record, 'failed');
      return;
    }
    if (!ours) {
      this.active.delete(record.id);
      this.pump();
      return;
    }
    record.error = undefined;
    this.setState(record, 'running');

    if (!isEmptyCheckpoint(record.checkpoint as object) && !run.controller.signal.aborted) {
      const problem = await protocol.checkResumable(record).catch((e: unknown) => describe(e));
      if (problem) {
        this.active.delete(record.id);
        record.error = problem;
        record.errorKind = 'source-changed';
        this.finish(record, 'failed');
        this.pump();
        return;
      }
    }

    let outcome: { hook?: HookName; error?: unknown } = {};
    try {
      const { networkWait, probe } = this.options;
      await rideOutOutages(
        () =>
          protocol.run(record, {
            signal: run.controller.signal,
            logger: this.options.logger,
            progress: (update) => this.onProgress(record, run, update),
            parts: (event) => this.emitPart(record.id, event),
            save: (changed) => this.save(record, changed),
          }),
        () => networkWait?.() ?? { windowMs: 0 },
        {
          waiting: (nextAttemptAt, error) => this.onWaiting(record, run, nextAttemptAt, error),
          resumed: () => this.onProgress(record, run, { phase: undefined }),
          probe: probe ? (signal) => probe(record, signal) : undefined,
          lastProgressAt: () => run.tracker.lastBytesAt(),
        },
        run.controller.signal,
      );
      if (run.controller.signal.aborted) throw new Error('aborted');
      record.progress = { ...record.progress, bytesDone: record.progress.bytesTotal, bytesPerSecond: 0, etaSeconds: 0 };
      this.active.delete(record.id);
      this.finish(record, 'completed');
    } catch (error) {
      // The run is over before anyone hears of it, so that resume/retry from a listener is accepted.
      this.active.delete(record.id);
      if (run.stopReason === 'shutdown' || run.stopReason === 'lost') {
        // Left as running in the journal on purpose: restore() tells interrupted transfers from paused ones. Its last
        // progress is written, so that the next start shows what this one showed (never less).
        if (run.stopReason === 'shutdown') this.persist(record);
        this.notifySettled(record);
      } else if (run.stopReason === 'pause') {
        record.progress = idleProgress(record.progress);
        this.setState(record, 'paused');
        this.notifySettled(record);
        outcome = { hook: 'onPaused' };
      } else if (run.stopReason === 'cancel') {
        this.finish(record, 'cancelled');
        outcome = { hook: 'onCancelled' };
      } else {
        record.error = describe(error);
        this.options.logger.error(`transfer ${record.label} failed: ${record.error}`);
        this.finish(record, 'failed');
        outcome = { hook: 'onFailed', error };
      }
    } finally {
      this.active.delete(record.id);
      if (this.active.size === 0 && this.stallTimer) {
        clearInterval(this.stallTimer);
        this.stallTimer = undefined;
      }
      this.pump();
    }
    if (outcome.hook) await this.protocolHook(record, outcome.hook, outcome.error);
  }

  private async protocolHook(record: TransferRecord, hook: HookName, error?: unknown): Promise<void> {
    try {
      await this.protocols.get(record.protocol)?.hook(hook, record, { giveUp: this.shutdown.signal }, error);
    } catch (e) {
      this.options.logger.warn(`transfer ${record.label}: ${hook} report failed: ${describe(e)}`);
    }
  }

  private onProgress(record: TransferRecord, run: ActiveRun, update: Partial<TransferProgress>): void {
    record.progress = run.tracker.apply(record.progress, update, Date.now());
    // Other windows read progress from the journal: it is written now and then even between checkpoints.
    // Only the progress changed here: nothing of params or checkpoint is compared (a folder's record is large).
    if (this.options.locks && Date.now() - (this.persistedAt.get(record.id) ?? 0) > PROGRESS_PERSIST_MS) this.persist(record, []);
    this.scheduleProgress();
  }

  /** The run cannot reach its endpoint: it shows so, with the time of the next try, until it runs again. */
  private onWaiting(record: TransferRecord, run: ActiveRun, nextAttemptAt: number, error: unknown): void {
    if (record.progress.phase !== WAITING_FOR_NETWORK) this.options.logger.warn(`transfer ${record.label}: ${describe(error)}; waiting for the network`);
    run.tracker.leaveData();
    record.progress = { ...idleProgress(record.progress), phase: WAITING_FOR_NETWORK, nextAttemptAt };
    this.emit(record);
  }

  /** While anything runs, a transfer that reports nothing is looked at once a second: it may have stalled. */
  private watchForStalls(): void {
    if (this.stallTimer || this.disposed) return;
    this.stallTimer = setInterval(() => {
      const now = Date.now();
      for (const [id, run] of this.active) {
        const record = this.records.get(id);
        const next = record && run.tracker.tick(record.progress, now);
        if (!record || !next) continue;
        record.progress = next;
        this.scheduleProgress();
      }
    }, STALL_CHECK_MS);
    this.stallTimer.unref?.();
  }

  private scheduleProgress(): void {
    this.dirtyProgress = true;
    if (this.progressTimer) return;
    this.progressTimer = setTimeout(() => {
      this.progressTimer = undefined;
      if (this.dirtyProgress) {
        this.dirtyProgress = false;
        this.emit(undefined);
      }
    }, this.options.progressIntervalMs ?? 100);
  }

  private setState(record: TransferRecord, state: TransferState): void {
    record.state = state;
    this.persist(record);
    this.emit(record);
  }

  private finish(record: TransferRecord, state: TransferState): void {
    record.finishedAt = Date.now();
    record.progress = { ...idleProgress(record.progress), etaSeconds: state === 'completed' ? 0 : undefined };
    this.setState(record, state);
    this.notifySettled(record);
  }

  private notifySettled(record: TransferRecord): void {
    const waiters = this.settleWaiters.get(record.id);
    if (!waiters) return;
    this.settleWaiters.delete(record.id);
    for (const resolve of waiters) resolve(record);
  }

  /** Writes the record, once it is this process's: a transfer another process owns is never written here. */
  private async save(record: TransferRecord, changed?: readonly JsonPath[]): Promise<void> {
    if (!(this.options.locks?.holds(record.id) ?? true) && !(await this.claim(record))) return;
    this.persistedAt.set(record.id, Date.now());
    const saving = this.options.journal.save(record, changed);
    this.track(saving);
    await saving;
  }

  private persist(record: TransferRecord, changed?: readonly JsonPath[]): void {
    this.track(this.save(record, changed).catch((e: unknown) => this.options.logger.warn(`journal: could not save ${record.id}: ${describe(e)}`)));
  }

  /** Takes the transfer for this process; when another live process has it, the record shows that process's state. */
  private async claim(record: TransferRecord): Promise<boolean> {
    const locks = this.options.locks;
    if (!locks || locks.holds(record.id)) return true;
    const owner = await locks.acquire(record.id);
    if (!owner) return true;
    await this.adoptForeign(record.id, owner);
    return false;
  }

  /** Shows a transfer as another process has it: its journal state, marked as running there. */
  private async adoptForeign(id: string, owner: NonNullable<TransferRecord['elsewhere']>): Promise<void> {
    const fresh = await this.options.journal.load(id);
    const record = this.records.get(id);
    if (!fresh) {
      this.records.delete(id);
    } else if (record) {
      Object.assign(record, fresh, { elsewhere: owner });
      this.notifySettled(record);
    } else {
      this.records.set(id, { ...fresh, elsewhere: owner });
    }
    this.emit(undefined);
  }

  /** Remembers `work` until it settles, for dispose(); its outcome is handled by whoever started it. */
  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    const forget = (): void => {
      this.inFlight.delete(work);
    };
    void work.then(forget, forget);
  }

  private emit(record: TransferRecord | undefined): void {
    for (const listener of this.listeners) {
      try {
        listener(record);
      } catch (e) {
        this.options.logger.warn(`transfer listener failed: ${describe(e)}`);
      }
    }
  }

  private emitPart(id: string, event: PartEvent): void {
    for (const listener of this.partListeners) {
      try {
        listener(id, event);
      } catch (e) {
        this.options.logger.warn(`part listener failed: ${describe(e)}`);
      }
    }
  }

  private async removeFromJournal(record: TransferRecord): Promise<void> {
    if (!(await this.claim(record))) return;
    try {
      await this.options.journal.remove(record.id);
    } catch (e) {
      this.options.logger.warn(`journal: ${describe(e)}`);
    }
    await this.options.locks?.release(record.id);
  }

  private startWatching(): void {
    const ms = this.options.watchIntervalMs;
    if (!ms || !this.options.locks || this.watchTimer || this.disposed) return;
    let busy = false;
    this.watchTimer = setInterval(() => {
      if (busy || this.disposed) return;
      busy = true;
      this.track(this.refreshForeign().finally(() => (busy = false)));
    }, ms);
    this.watchTimer.unref();
  }

  /** Reads the transfers of other processes again: progress, state, and whether their owner is still there. */
  async refreshForeign(): Promise<void> {
    const locks = this.options.locks;
    if (!locks) return;
    for (const record of [...this.records.values()]) {
      if (!record.elsewhere) continue;
      const [fresh, owner] = await Promise.all([this.options.journal.load(record.id), locks.owner(record.id)]);
      if (!fresh) {
        this.records.delete(record.id);
        continue;
      }
      Object.assign(record, fresh, { elsewhere: owner });
      if (!owner && (record.state === 'running' || record.state === 'queued')) {
        // Its owner is gone without finishing it: interrupted, and this process may take it over.
        record.state = 'paused';
        record.progress = idleProgress(record.progress);
      }
    }
    this.emit(undefined);
  }
}

export function describe(error: unknown): string {
  if (error instanceof ApiError) return error.describe();
  if (isAbortError(error)) return 'cancelled';
  if (error instanceof Error) return error.message;
  return String(error);
}
