// The shared transfer engine: a queue with a global concurrency limit, pause/resume/cancel/retry,
// a journal written on every checkpoint, and progress events throttled for the UI.
import { randomBytes } from 'node:crypto';
import { isAbortError } from '../api/errors';
import { ApiError } from '../api/errors';
import type { Logger } from '../api/logger';
import type { JournalStore } from './journal';
import { ThroughputMeter } from './throughput';
import type { Json, Protocol, ProtocolRun, TransferDirection, TransferProgress, TransferRecord, TransferState } from './types';

export interface EngineOptions {
  journal: JournalStore;
  logger: Logger;
  /** How many transfers run at once; read each time the queue moves. */
  concurrency: () => number;
  /** Minimum interval between change events for progress alone. */
  progressIntervalMs?: number;
}

export interface NewTransfer {
  protocol: string;
  direction: TransferDirection;
  label: string;
  localPath?: string;
  params: { [key: string]: Json };
  bytesTotal?: number;
}

export type TransferListener = (record: TransferRecord | undefined) => void;

interface ActiveRun {
  controller: AbortController;
  stopReason?: 'pause' | 'cancel' | 'shutdown';
  meter: ThroughputMeter;
}

const FINISHED: readonly TransferState[] = ['completed', 'failed', 'cancelled'];

export function isFinished(state: TransferState): boolean {
  return FINISHED.includes(state);
}

export class TransferEngine {
  private readonly protocols = new Map<string, Protocol>();
  private readonly records = new Map<string, TransferRecord>();
  private readonly active = new Map<string, ActiveRun>();
  private readonly listeners = new Set<TransferListener>();
  private readonly settleWaiters = new Map<string, ((record: TransferRecord) => void)[]>();
  private progressTimer: NodeJS.Timeout | undefined;
  private dirtyProgress = false;
  private disposed = false;
  /** Runs and journal writes still under way: dispose() waits for them, so nothing writes after it returns. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: EngineOptions) {}

  registerProtocol(protocol: Protocol): void {
    this.protocols.set(protocol.name, protocol);
  }

  /**
   * Loads the journal. Transfers that were queued or running when the process ended come back
   * as paused, so the user (or autoResume) decides when they continue; those are returned.
   */
  async restore(): Promise<TransferRecord[]> {
    const restored: TransferRecord[] = [];
    for (const record of await this.options.journal.loadAll()) {
      if (this.records.has(record.id)) continue;
      if (record.state === 'running' || record.state === 'queued') {
        record.state = 'paused';
        record.progress = { ...record.progress, bytesPerSecond: 0, etaSeconds: undefined };
        restored.push(record);
      }
      this.records.set(record.id, record);
    }
    this.emit(undefined);
    return restored;
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

  add(input: NewTransfer): TransferRecord {
    if (!this.protocols.has(input.protocol)) throw new Error(`unknown transfer protocol ${input.protocol}`);
    const record: TransferRecord = {
      id: `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`,
      protocol: input.protocol,
      direction: input.direction,
      label: input.label,
      localPath: input.localPath,
      state: 'queued',
      progress: { bytesDone: 0, bytesTotal: input.bytesTotal ?? 0, bytesPerSecond: 0 },
      createdAt: Date.now(),
      params: input.params,
      checkpoint: {},
    };
    this.records.set(record.id, record);
    this.persist(record);
    this.emit(record);
    this.pump();
    return record;
  }

  /** Resolves when the transfer stops running: completed, failed, cancelled or paused. */
  whenSettled(id: string): Promise<TransferRecord> {
    const record = this.records.get(id);
    if (!record) return Promise.reject(new Error(`no transfer ${id}`));
    if (isFinished(record.state) || record.state === 'paused') return Promise.resolve(record);
    return new Promise((resolve) => {
      const list = this.settleWaiters.get(id) ?? [];
      list.push(resolve);
      this.settleWaiters.set(id, list);
    });
  }

  pause(id: string): void {
    const record = this.records.get(id);
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
    const record = this.records.get(id);
    if (!record || this.active.has(id)) return;
    if (record.state !== 'paused' && record.state !== 'failed') return;
    record.error = undefined;
    this.setState(record, 'queued');
    this.pump();
  }

  /** Starts again: a failed transfer resumes from its checkpoint, a cancelled one (or one whose source changed) from scratch. */
  retry(id: string): void {
    const record = this.records.get(id);
    if (!record || this.active.has(id)) return;
    if (record.errorKind === 'source-changed') {
      // What the server holds for the old content is of no use any more.
      const discarded = structuredClone(record);
      void this.protocolHook(discarded, 'onDiscarded');
    }
    if (record.state === 'cancelled' || record.errorKind === 'source-changed') {
      record.errorKind = undefined;
      record.checkpoint = {};
      record.progress = { ...record.progress, bytesDone: 0, bytesPerSecond: 0, etaSeconds: undefined };
    }
    if (record.state === 'cancelled' || record.state === 'failed' || record.state === 'paused') {
      record.error = undefined;
      record.finishedAt = undefined;
      this.setState(record, 'queued');
      this.pump();
    }
  }

  cancel(id: string): void {
    const record = this.records.get(id);
    if (!record || isFinished(record.state)) return;
    const run = this.active.get(id);
    if (run) {
      run.stopReason = 'cancel';
      run.controller.abort();
      return;
    }
    this.finish(record, 'cancelled');
    void this.protocolHook(record, 'onCancelled');
  }

  /** Removes finished transfers from the list and the journal. */
  clearFinished(): number {
    let count = 0;
    for (const record of [...this.records.values()]) {
      if (!isFinished(record.state)) continue;
      this.records.delete(record.id);
      this.track(this.options.journal.remove(record.id).catch((e: unknown) => this.options.logger.warn(`journal: ${String(e)}`)));
      count++;
    }
    if (count) this.emit(undefined);
    return count;
  }

  /**
   * Stops every running transfer; the journal keeps them as interrupted, to come back paused on the next start.
   * Resolves once the runs have ended and every journal write they or the engine started has landed.
   */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const run of this.active.values()) {
      run.stopReason = 'shutdown';
      run.controller.abort();
    }
    if (this.progressTimer) clearTimeout(this.progressTimer);
    // A run that ends (or a write that lands) may start another write: wait until none is left.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  runningCount(): number {
    return this.active.size;
  }

  private pump(): void {
    if (this.disposed) return;
    const limit = Math.max(1, this.options.concurrency());
    const queued = [...this.records.values()].filter((r) => r.state === 'queued').sort((a, b) => a.createdAt - b.createdAt);
    for (const record of queued) {
      if (this.active.size >= limit) break;
      this.track(this.start(record).catch((e: unknown) => this.options.logger.error(`transfer ${record.label}: ${describe(e)}`)));
    }
  }

  private async start(record: TransferRecord): Promise<void> {
    const protocol = this.protocols.get(record.protocol);
    if (!protocol) {
      record.error = `unknown transfer protocol ${record.protocol}`;
      this.finish(record, 'failed');
      return;
    }
    const run: ActiveRun = { controller: new AbortController(), meter: new ThroughputMeter() };
    this.active.set(record.id, run);
    record.error = undefined;
    this.setState(record, 'running');

    if (Object.keys(record.checkpoint).length > 0 && protocol.checkResumable) {
      const problem = await protocol.checkResumable(record).catch((e: unknown) => String(e));
      if (problem) {
        this.active.delete(record.id);
        record.error = problem;
        record.errorKind = 'source-changed';
        this.finish(record, 'failed');
        this.pump();
        return;
      }
    }

    const protocolRun: ProtocolRun = {
      record,
      signal: run.controller.signal,
      logger: this.options.logger,
      progress: (update) => this.onProgress(record, run, update),
      checkpoint: async (update) => {
        Object.assign(record.checkpoint, update);
        const saving = this.options.journal.save(record);
        this.track(saving);
        await saving;
      },
    };
    let outcome: { hook?: 'onPaused' | 'onCancelled' | 'onFailed'; error?: unknown } = {};
    try {
      await protocol.run(protocolRun);
      if (run.controller.signal.aborted) throw new Error('aborted');
      record.progress = { ...record.progress, bytesDone: record.progress.bytesTotal, bytesPerSecond: 0, etaSeconds: 0 };
      this.active.delete(record.id);
      this.finish(record, 'completed');
    } catch (error) {
      // The run is over before anyone hears of it, so that resume/retry from a listener is accepted.
      this.active.delete(record.id);
      if (run.stopReason === 'shutdown') {
        // Left as running in the journal on purpose: restore() tells interrupted transfers from paused ones.
        this.notifySettled(record);
      } else if (run.stopReason === 'pause') {
        record.progress = { ...record.progress, bytesPerSecond: 0, etaSeconds: undefined };
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
      this.pump();
    }
    if (outcome.hook) await this.protocolHook(record, outcome.hook, outcome.error);
  }

  private async protocolHook(record: TransferRecord, hook: 'onPaused' | 'onCancelled' | 'onFailed' | 'onDiscarded', error?: unknown): Promise<void> {
    const protocol = this.protocols.get(record.protocol);
    try {
      if (hook === 'onFailed') await protocol?.onFailed?.(record, error);
      else await protocol?.[hook]?.(record);
    } catch (e) {
      this.options.logger.warn(`transfer ${record.label}: ${hook} report failed: ${describe(e)}`);
    }
  }

  private onProgress(record: TransferRecord, run: ActiveRun, update: Partial<TransferProgress>): void {
    if (update.phase !== undefined && update.phase !== record.progress.phase) run.meter.reset();
    const next = { ...record.progress, ...update };
    run.meter.record(next.bytesDone);
    next.bytesPerSecond = run.meter.bytesPerSecond();
    next.etaSeconds = run.meter.etaSeconds(next.bytesTotal - next.bytesDone);
    record.progress = next;
    this.scheduleProgress();
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
    record.progress = { ...record.progress, bytesPerSecond: 0, etaSeconds: state === 'completed' ? 0 : undefined };
    this.setState(record, state);
    this.notifySettled(record);
  }

  private notifySettled(record: TransferRecord): void {
    const waiters = this.settleWaiters.get(record.id);
    if (!waiters) return;
    this.settleWaiters.delete(record.id);
    for (const resolve of waiters) resolve(record);
  }

  private persist(record: TransferRecord): void {
    this.track(this.options.journal.save(record).catch((e: unknown) => this.options.logger.warn(`journal: could not save ${record.id}: ${describe(e)}`)));
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
}

export function describe(error: unknown): string {
  if (error instanceof ApiError) return error.describe();
  if (isAbortError(error)) return 'cancelled';
  if (error instanceof Error) return error.message;
  return String(error);
}
