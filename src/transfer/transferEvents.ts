// The engine's listeners: record changes (progress alone throttled to one event per interval) and part events.
import { describe, type EngineOptions, type PartListener, type TransferListener } from './engineTypes';
import type { PartEvent } from './partActivity';
import type { TransferRecord } from './types';

export class TransferEvents {
  private readonly listeners = new Set<TransferListener>();
  private readonly partListeners = new Set<PartListener>();
  private progressTimer: NodeJS.Timeout | undefined;
  private dirtyProgress = false;

  constructor(private readonly options: EngineOptions) {}

  onDidChange(listener: TransferListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  onPartEvent(listener: PartListener): { dispose(): void } {
    this.partListeners.add(listener);
    return { dispose: () => void this.partListeners.delete(listener) };
  }

  emit(record: TransferRecord | undefined): void {
    for (const listener of this.listeners) {
      try {
        listener(record);
      } catch (e) {
        this.options.logger.warn(`transfer listener failed: ${describe(e)}`);
      }
    }
  }

  emitPart(id: string, event: PartEvent): void {
    for (const listener of this.partListeners) {
      try {
        listener(id, event);
      } catch (e) {
        this.options.logger.warn(`part listener failed: ${describe(e)}`);
      }
    }
  }

  /** Progress changed: one event for all of it at the end of the interval. */
  scheduleProgress(): void {
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

  dispose(): void {
    if (this.progressTimer) clearTimeout(this.progressTimer);
  }
}
