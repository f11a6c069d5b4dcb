// What a transfer's details view shows beyond its record, kept in memory for the transfers this process runs: the
// confirmed bytes and smoothed speed once a second (a bounded ring), the state of every part, and the bytes re-sent
// by retries. Nothing of it goes to the journal; it starts again with each VS Code session.
import type { PartEvent } from './partActivity';
import type { TransferEngine } from './engine';
import type { TransferRecord } from './types';

/** One point of the throughput chart. */
export interface ThroughputSample {
  /** Epoch ms, at the start of its second. */
  at: number;
  /** Bytes the store had confirmed (or written, for a download). */
  confirmed: number;
  /** The engine's smoothed speed at that moment (bytes/s). */
  bytesPerSecond: number;
}

/** A fixed-size ring of samples, one per period: a later sample in the same period replaces the earlier one. */
export class SampleRing {
  private readonly items: ThroughputSample[] = [];

  constructor(
    readonly capacity: number,
    private readonly periodMs = 1000,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`capacity ${capacity} must be a positive integer`);
  }

  add(at: number, confirmed: number, bytesPerSecond: number): void {
    const slot = Math.floor(at / this.periodMs) * this.periodMs;
    const last = this.items.at(-1);
    const sample = { at: slot, confirmed, bytesPerSecond };
    if (last && last.at === slot) this.items[this.items.length - 1] = sample;
    else if (last && last.at > slot) return; // a clock that went back: the ring stays in time order
    else {
      this.items.push(sample);
      if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
    }
  }

  values(): ThroughputSample[] {
    return this.items.map((s) => ({ ...s }));
  }
}

/** A part as the map shows it. `retried`: done, after more than one attempt (a retry in flight shows as in flight). */
export type PartCell = 'pending' | 'sending' | 'done' | 'retried' | 'failed';

const CODES: Record<PartCell, string> = { pending: 'p', sending: 's', done: 'd', retried: 'r', failed: 'f' };

/** The parts of one file: one character per part (see `CODES`), so that 10,000 parts are a 10 KB string. */
export interface PartFileMap {
  /** The file of a folder upload; absent for a one-file transfer. */
  file?: string;
  cells: string;
}

interface FileParts {
  file?: string;
  state: Uint8Array;
  retried: Uint8Array;
}

const STATE_INDEX = ['pending', 'sending', 'done', 'failed'] as const;

/** The parts of a transfer, by file, from the protocol's part events. */
export class PartsModel {
  private readonly files = new Map<string, FileParts>();
  /** Parts of the files that did not fit in `maxCells` (counted once per file). */
  private readonly hiddenFiles = new Map<string, number>();

  /** Part cells kept at most (over all files): a folder of many large files keeps the first ones. */
  constructor(private readonly maxCells = 50_000) {}

  /** How many parts are not in the map (their files came after `maxCells` were taken). */
  hidden(): number {
    let n = 0;
    for (const count of this.hiddenFiles.values()) n += count;
    return n;
  }

  apply(event: PartEvent): void {
    const key = event.file ?? '';
    if (event.type === 'plan') {
      const kept = [...this.files.values()].reduce((n, f) => n + (f.file === event.file ? 0 : f.state.length), 0);
      if (kept + event.sizes.length > this.maxCells) {
        this.hiddenFiles.set(key, event.sizes.length);
        return;
      }
      const parts: FileParts = { ...(event.file === undefined ? {} : { file: event.file }), state: new Uint8Array(event.sizes.length), retried: new Uint8Array(event.sizes.length) };
      // A new plan of the same file (a new upload after its URLs expired) keeps which parts needed a retry.
      const before = this.files.get(key);
      if (before && before.retried.length === parts.retried.length) parts.retried.set(before.retried);
      for (const index of event.done) if (index >= 1 && index <= parts.state.length) parts.state[index - 1] = STATE_INDEX.indexOf('done');
      this.files.set(key, parts);
      return;
    }
    const parts = this.files.get(key);
    if (!parts || event.part < 1 || event.part > parts.state.length) return;
    if (event.type === 'retry') parts.retried[event.part - 1] = 1;
    else parts.state[event.part - 1] = STATE_INDEX.indexOf(event.state);
  }

  cell(file: string | undefined, part: number): PartCell | undefined {
    const parts = this.files.get(file ?? '');
    if (!parts || part < 1 || part > parts.state.length) return undefined;
    const state = STATE_INDEX[parts.state[part - 1]];
    return parts.retried[part - 1] && state === 'done' ? 'retried' : state;
  }

  map(): PartFileMap[] {
    return [...this.files.values()].map((f) => {
      let cells = '';
      for (let i = 0; i < f.state.length; i++) cells += CODES[this.cell(f.file, i + 1) ?? 'pending'];
      return { ...(f.file === undefined ? {} : { file: f.file }), cells };
    });
  }
}

/** Everything the details view shows of one transfer that its record does not hold. */
export class TransferActivity {
  readonly samples: SampleRing;
  readonly parts = new PartsModel();
  /** Bytes that failed attempts had moved and their retries moved again. */
  resentBytes = 0;
  retries = 0;

  constructor(maxSamples: number) {
    this.samples = new SampleRing(maxSamples);
  }

  apply(event: PartEvent): void {
    if (event.type === 'retry') {
      this.retries++;
      this.resentBytes += event.resent;
    }
    this.parts.apply(event);
  }

  sample(record: TransferRecord, now: number): void {
    const p = record.progress;
    this.samples.add(now, p.bytesConfirmed ?? p.bytesDone, record.state === 'running' ? p.bytesPerSecond : 0);
  }
}

export interface ActivityLogOptions {
  /** Samples kept per transfer, one a second: 600 is the last ten minutes. */
  maxSamples?: number;
  now?: () => number;
}

type ActivityEngine = Pick<TransferEngine, 'onDidChange' | 'onPartEvent' | 'list' | 'get'>;

/** The activity of every transfer the engine runs here, for as long as the transfer is in its list. */
export class TransferActivityLog {
  private readonly activity = new Map<string, TransferActivity>();
  private readonly listeners = new Set<(id: string) => void>();
  private readonly subscriptions: { dispose(): void }[];
  private readonly maxSamples: number;
  private readonly now: () => number;

  constructor(private readonly engine: ActivityEngine, options: ActivityLogOptions = {}) {
    this.maxSamples = options.maxSamples ?? 600;
    this.now = options.now ?? Date.now;
    this.subscriptions = [
      engine.onDidChange((record) => {
        if (record) this.observe(record);
        else this.observeAll();
      }),
      engine.onPartEvent((id, event) => {
        this.of(id).apply(event);
        this.notify(id);
      }),
    ];
  }

  /** The activity of a transfer (empty when nothing ran here yet). */
  get(id: string): TransferActivity | undefined {
    return this.activity.get(id);
  }

  /** Something about transfer `id` changed (a sample or a part). */
  onDidChange(listener: (id: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.listeners.clear();
    this.activity.clear();
  }

  private of(id: string): TransferActivity {
    let found = this.activity.get(id);
    if (!found) {
      found = new TransferActivity(this.maxSamples);
      this.activity.set(id, found);
    }
    return found;
  }

  private observe(record: TransferRecord): void {
    if (record.state === 'running' && !record.elsewhere) this.of(record.id).sample(record, this.now());
    this.notify(record.id);
  }

  /** A change of progress (or of the list): every running transfer gets a sample; those gone from the list are dropped. */
  private observeAll(): void {
    const listed = new Set<string>();
    for (const record of this.engine.list()) {
      listed.add(record.id);
      if (record.state === 'running' && !record.elsewhere) this.observe(record);
    }
    for (const id of [...this.activity.keys()]) {
      if (listed.has(id)) continue;
      this.activity.delete(id);
      this.notify(id);
    }
  }

  private notify(id: string): void {
    for (const listener of this.listeners) listener(id);
  }
}
