// Ownership between windows: taking a transfer for this process, showing one another process runs, reading those again.
import type { EngineOptions } from './engineTypes';
import { idleProgress } from './progressTracker';
import type { TransferRecord } from './types';

/** What the ownership checks need of the engine's records. */
export interface ForeignHost {
  readonly options: EngineOptions;
  readonly records: Map<string, TransferRecord>;
  emit(record: TransferRecord | undefined): void;
  notifySettled(record: TransferRecord): void;
  track(work: Promise<unknown>): void;
  isDisposed(): boolean;
}

export class ForeignTransfers {
  private watchTimer: NodeJS.Timeout | undefined;

  constructor(private readonly host: ForeignHost) {}

  /** Takes the transfer for this process; when another live process has it, the record shows that process's state. */
  async claim(record: TransferRecord): Promise<boolean> {
    const locks = this.host.options.locks;
    if (!locks || locks.holds(record.id)) return true;
    const owner = await locks.acquire(record.id);
    if (!owner) return true;
    await this.adoptForeign(record.id, owner);
    return false;
  }

  /** Shows a transfer as another process has it: its journal state, marked as running there. */
  private async adoptForeign(id: string, owner: NonNullable<TransferRecord['elsewhere']>): Promise<void> {
    const fresh = await this.host.options.journal.load(id);
    const record = this.host.records.get(id);
    if (!fresh) {
      this.host.records.delete(id);
    } else if (record) {
      Object.assign(record, fresh, { elsewhere: owner });
      this.host.notifySettled(record);
    } else {
      this.host.records.set(id, { ...fresh, elsewhere: owner });
    }
    this.host.emit(undefined);
  }

  startWatching(): void {
    const ms = this.host.options.watchIntervalMs;
    if (!ms || !this.host.options.locks || this.watchTimer || this.host.isDisposed()) return;
    let busy = false;
    this.watchTimer = setInterval(() => {
      if (busy || this.host.isDisposed()) return;
      busy = true;
      this.host.track(this.refresh().finally(() => (busy = false)));
    }, ms);
    this.watchTimer.unref();
  }

  /** Reads the transfers of other processes again: progress, state, and whether their owner is still there. */
  async refresh(): Promise<void> {
    const locks = this.host.options.locks;
    if (!locks) return;
    for (const record of [...this.host.records.values()]) {
      if (!record.elsewhere) continue;
      const [fresh, owner] = await Promise.all([this.host.options.journal.load(record.id), locks.owner(record.id)]);
      if (!fresh) {
        this.host.records.delete(record.id);
        continue;
      }
      Object.assign(record, fresh, { elsewhere: owner });
      if (!owner && (record.state === 'running' || record.state === 'queued')) {
        // Its owner is gone without finishing it: interrupted, and this process may take it over.
        record.state = 'paused';
        record.progress = idleProgress(record.progress);
      }
    }
    this.host.emit(undefined);
  }

  dispose(): void {
    if (this.watchTimer) clearInterval(this.watchTimer);
  }
}
