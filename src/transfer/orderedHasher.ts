// MD5 (and multipart ETag candidates) of a file being downloaded in ranges, computed as the ranges land, in order.
import { createHash, type Hash } from 'node:crypto';
import { CompositeCandidate } from './compositeEtag';

export interface OrderedHasherOptions {
  /** The file's size: finish() needs every byte of [0, size). */
  size: number;
  /**
   * Bytes that arrived ahead of the hashing point are kept in memory up to this many; beyond it they are read
   * back from the file when the hashing point reaches them (from the page cache: they were just written).
   */
  windowBytes: number;
  /** Reads `length` bytes at `offset` of the file (only ever bytes that push() reported written). */
  readAt: (offset: number, length: number) => Promise<Buffer>;
  /** Part sizes whose multipart ETag ("<hex>-N") is also computed, from part MD5s taken on the way. */
  compositePartSizes?: number[];
}

export interface OrderedHashResult {
  md5: string;
  /** Composite hex by part size, for each of `compositePartSizes`. */
  composite: Map<number, string>;
  /** Bytes that had to be read back from the file (they came too far ahead of the hashing point). */
  bytesReadBack: number;
}

interface Held {
  start: number;
  end: number;
  data: Buffer;
}

const READ_BACK_SIZE = 1024 * 1024;

/**
 * Fed with every range of bytes as it is written (any order, any chunking, repeats allowed), it hashes the
 * file front to back: what lands at the hashing point is hashed at once, what lands ahead of it is held (up to
 * the window) or, past the window, only noted as written and read back later. So the check of a download is
 * done when its last byte lands, instead of in a second pass over the finished file.
 */
export class OrderedHasher {
  private readonly whole: Hash = createHash('md5');
  private readonly candidates: CompositeCandidate[];
  /** Every byte before this one is hashed. */
  private hashedTo = 0;
  /** Chunks ahead of the hashing point kept in memory, by start. */
  private held: Held[] = [];
  private heldBytes = 0;
  /** Written ranges ahead of the hashing point, sorted and merged (held ones included). */
  private written: [number, number][] = [];
  private reading: Promise<void> | undefined;
  private failure: Error | undefined;
  private readBack = 0;

  constructor(private readonly options: OrderedHasherOptions) {
    this.candidates = (options.compositePartSizes ?? []).map((p) => new CompositeCandidate(p));
  }

  /** Bytes [offset, offset + data.length) are written to the file. `data` must not be changed afterwards. */
  push(offset: number, data: Buffer): void {
    const end = offset + data.length;
    if (data.length === 0 || end <= this.hashedTo) return;
    if (!this.reading && offset <= this.hashedTo) {
      this.hash(data.subarray(this.hashedTo - offset));
      this.drain();
      return;
    }
    this.note(offset, end);
    if (this.heldBytes + data.length <= this.options.windowBytes) {
      this.held.push({ start: offset, end, data });
      this.heldBytes += data.length;
    }
    if (!this.reading) this.drain();
  }

  /**
   * Bytes [offset, end) are in the file already (written by an earlier run): they are read back when the hashing
   * point reaches them.
   */
  alreadyWritten(offset: number, end: number): void {
    if (end <= this.hashedTo || end <= offset) return;
    this.note(offset, end);
    if (!this.reading) this.drain();
  }

  /** Where the hashing has got to (bytes). */
  get position(): number {
    return this.hashedTo;
  }

  /** Once every byte was pushed: hashes what is left (reading back what was not held) and returns the digests. */
  async finish(): Promise<OrderedHashResult> {
    while (this.reading) await this.reading;
    this.drain();
    while (this.reading) await this.reading;
    if (this.failure) throw this.failure;
    if (this.hashedTo < this.options.size) {
      throw new Error(`bytes ${this.hashedTo}–${this.options.size - 1} were never reported written; cannot verify the download`);
    }
    const composite = new Map<number, string>();
    for (const c of this.candidates) composite.set(c.partSize, c.finish());
    return { md5: this.whole.digest('hex'), composite, bytesReadBack: this.readBack };
  }

  private hash(chunk: Buffer): void {
    const room = this.options.size - this.hashedTo;
    const take = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.whole.update(take);
    for (const c of this.candidates) c.update(take);
    this.hashedTo += take.length;
  }

  private note(start: number, end: number): void {
    const ranges = [...this.written, [start, end] as [number, number]].sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const r of ranges) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    this.written = merged;
  }

  /** Hashes from the held chunks as far as they reach; starts a read-back where only the file has the bytes. */
  private drain(): void {
    for (;;) {
      this.forgetBehind();
      const chunk = this.held.find((h) => h.start <= this.hashedTo && this.hashedTo < h.end);
      if (chunk) {
        this.hash(chunk.data.subarray(this.hashedTo - chunk.start));
        continue;
      }
      const range = this.written.find((r) => r[0] <= this.hashedTo && this.hashedTo < r[1]);
      if (range && this.hashedTo < this.options.size) this.startReadBack();
      return;
    }
  }

  private forgetBehind(): void {
    if (this.held.some((h) => h.end <= this.hashedTo)) {
      this.held = this.held.filter((h) => {
        if (h.end > this.hashedTo) return true;
        this.heldBytes -= h.data.length;
        return false;
      });
    }
    while (this.written.length > 0 && this.written[0][1] <= this.hashedTo) this.written.shift();
  }

  private startReadBack(): void {
    this.reading = this.readBackLoop()
      .catch((err: unknown) => {
        this.failure = err instanceof Error ? err : new Error(String(err));
      })
      .finally(() => {
        this.reading = undefined;
        if (!this.failure) this.drain();
      });
  }

  /** Reads written-but-not-held bytes at the hashing point until a held chunk (or nothing written) is there. */
  private async readBackLoop(): Promise<void> {
    for (;;) {
      this.forgetBehind();
      if (this.held.some((h) => h.start <= this.hashedTo && this.hashedTo < h.end)) return;
      const range = this.written.find((r) => r[0] <= this.hashedTo && this.hashedTo < r[1]);
      if (!range || this.hashedTo >= this.options.size) return;
      const nextHeld = Math.min(range[1], ...this.held.filter((h) => h.start > this.hashedTo).map((h) => h.start));
      const length = Math.min(READ_BACK_SIZE, nextHeld - this.hashedTo, this.options.size - this.hashedTo);
      const data = await this.options.readAt(this.hashedTo, length);
      if (data.length !== length) throw new Error(`reading back ${length} bytes at ${this.hashedTo} gave ${data.length}`);
      this.readBack += length;
      this.hash(data);
    }
  }
}
