// Running one transfer: taking it, checking its checkpoint still fits, protocol.run (signal, progress, parts, saves) riding out outages, how it ends.
import type { BoundProtocol, HookName } from './boundProtocol';
import type { EngineRecords } from './engineRecords';
import { describe, WAITING_FOR_NETWORK } from './engineTypes';
import { rideOutOutages } from './networkWait';
import { idleProgress, ProgressTracker } from './progressTracker';
import { isEmptyCheckpoint, type TransferProgress, type TransferRecord } from './types';

export interface ActiveRun {
  controller: AbortController;
  stopReason?: 'pause' | 'cancel' | 'shutdown' | 'lost';
  tracker: ProgressTracker;
}

/** How often running transfers are looked at for a stall (nothing reported at all is not news otherwise). */
const STALL_CHECK_MS = 1000;

/** How often a running transfer's progress alone is written to the journal (for other windows to show). */
const PROGRESS_PERSIST_MS = 2000;

export class TransferRunner {
  readonly active = new Map<string, ActiveRun>();
  private stallTimer: NodeJS.Timeout | undefined;
  /** Aborted by stopAll(): best-effort server reports (status 5, …) stop retrying, so shutting down is prompt. */
  private readonly shutdown = new AbortController();

  constructor(
    private readonly book: EngineRecords,
    private readonly protocols: ReadonlyMap<string, BoundProtocol>,
    /** Moves the queue on once a run has ended or given way. */
    private readonly pump: () => void,
  ) {}

  async run(record: TransferRecord): Promise<void> {
    const run: ActiveRun = { controller: new AbortController(), tracker: new ProgressTracker(Date.now()) };
    this.active.set(record.id, run);
    this.watchForStalls();
    const protocol = this.protocols.get(record.protocol);
    if (!protocol) {
      this.active.delete(record.id);
      record.error = `unknown transfer protocol ${record.protocol}`;
      this.book.finish(record, 'failed');
      return;
    }
    const { options } = this.book;
    let ours: boolean;
    try {
      ours = !options.locks || options.locks.holds(record.id) || (await this.book.claim(record));
    } catch (error) {
      // The lock could not even be tried (the journal folder is not writable): the transfer fails, it does not hang.
      this.active.delete(record.id);
      record.error = `cannot take the transfer: ${describe(error)}`;
      this.book.finish(record, 'failed');
      return;
    }
    if (!ours) {
      this.active.delete(record.id);
      this.pump();
      return;
    }
    record.error = undefined;
    this.book.setState(record, 'running');

    if (!isEmptyCheckpoint(record.checkpoint as object) && !run.controller.signal.aborted) {
      const problem = await protocol.checkResumable(record).catch((e: unknown) => describe(e));
      if (problem) {
        this.active.delete(record.id);
        record.error = problem;
        record.errorKind = 'source-changed';
        this.book.finish(record, 'failed');
        this.pump();
        return;
      }
    }

    let outcome: { hook?: HookName; error?: unknown } = {};
    try {
      const { networkWait, probe } = options;
      await rideOutOutages(
        () =>
          protocol.run(record, {
            signal: run.controller.signal,
            logger: options.logger,
            progress: (update) => this.onProgress(record, run, update),
            parts: (event) => this.book.events.emitPart(record.id, event),
            save: (changed) => this.book.save(record, changed),
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
      this.book.finish(record, 'completed');
    } catch (error) {
      // The run is over before anyone hears of it, so that resume/retry from a listener is accepted.
      this.active.delete(record.id);
      if (run.stopReason === 'shutdown' || run.stopReason === 'lost') {
        // Left as running in the journal on purpose: restore() tells interrupted transfers from paused ones. Its last
        // progress is written, so that the next start shows what this one showed (never less).
        if (run.stopReason === 'shutdown') this.book.persist(record);
        this.book.notifySettled(record);
      } else if (run.stopReason === 'pause') {
        record.progress = idleProgress(record.progress);
        this.book.setState(record, 'paused');
        this.book.notifySettled(record);
        outcome = { hook: 'onPaused' };
      } else if (run.stopReason === 'cancel') {
        this.book.finish(record, 'cancelled');
        outcome = { hook: 'onCancelled' };
      } else {
        record.error = describe(error);
        options.logger.error(`transfer ${record.label} failed: ${record.error}`);
        this.book.finish(record, 'failed');
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

  async protocolHook(record: TransferRecord, hook: HookName, error?: unknown): Promise<void> {
    try {
      await this.protocols.get(record.protocol)?.hook(hook, record, { giveUp: this.shutdown.signal }, error);
    } catch (e) {
      this.book.options.logger.warn(`transfer ${record.label}: ${hook} report failed: ${describe(e)}`);
    }
  }

  /** Stops every run for shutdown: the journal keeps them as interrupted; server reports stop retrying. */
  stopAll(): void {
    this.shutdown.abort();
    for (const run of this.active.values()) {
      run.stopReason = 'shutdown';
      run.controller.abort();
    }
  }

  dispose(): void {
    if (this.stallTimer) clearInterval(this.stallTimer);
  }

  private onProgress(record: TransferRecord, run: ActiveRun, update: Partial<TransferProgress>): void {
    record.progress = run.tracker.apply(record.progress, update, Date.now());
    // Other windows read progress from the journal: it is written now and then even between checkpoints.
    // Only the progress changed here: nothing of params or checkpoint is compared (a folder's record is large).
    if (this.book.options.locks && Date.now() - (this.book.persistedAt.get(record.id) ?? 0) > PROGRESS_PERSIST_MS) this.book.persist(record, []);
    this.book.events.scheduleProgress();
  }

  /** The run cannot reach its endpoint: it shows so, with the time of the next try, until it runs again. */
  private onWaiting(record: TransferRecord, run: ActiveRun, nextAttemptAt: number, error: unknown): void {
    if (record.progress.phase !== WAITING_FOR_NETWORK) this.book.options.logger.warn(`transfer ${record.label}: ${describe(error)}; waiting for the network`);
    run.tracker.leaveData();
    record.progress = { ...idleProgress(record.progress), phase: WAITING_FOR_NETWORK, nextAttemptAt };
    this.book.emit(record);
  }

  /** While anything runs, a transfer that reports nothing is looked at once a second: it may have stalled. */
  private watchForStalls(): void {
    if (this.stallTimer || this.book.disposed) return;
    this.stallTimer = setInterval(() => {
      const now = Date.now();
      for (const [id, run] of this.active) {
        const record = this.book.records.get(id);
        const next = record && run.tracker.tick(record.progress, now);
        if (!record || !next) continue;
        record.progress = next;
        this.book.events.scheduleProgress();
      }
    }, STALL_CHECK_MS);
    this.stallTimer.unref?.();
  }
}
