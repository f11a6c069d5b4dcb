// MD5 (and multipart ETag candidates) of a file being downloaded in ranges, computed as the ranges land, in order,
// by a worker thread that reads each newly written stretch back from the file: the receiving thread hashes nothing.
import { Worker } from 'node:worker_threads';
import { WRITTEN_FILE_HASHER_SOURCE } from './orderedHashWorker';

export interface OrderedHasherOptions {
  /** The file's descriptor, open for reading (threads share descriptors; the worker reads by position). */
  fd: number;
  /** The file's size: finish() needs every byte of [0, size). */
  size: number;
  /** Part sizes whose multipart ETag ("<hex>-N") is also computed, from part MD5s taken on the way. */
  compositePartSizes?: number[];
  /**
   * How far ahead of the last stretch handed to the worker the written prefix must get before the next one is handed
   * over (1 MiB by default): fewer, longer reads, and a message per MiB instead of one per network chunk.
   */
  stepBytes?: number;
}

export interface OrderedHashResult {
  md5: string;
  /** Composite hex by part size, for each of `compositePartSizes`. */
  composite: Map<number, string>;
  /** Bytes the worker read back from the file to hash them: every byte of the file. */
  bytesReadBack: number;
}

interface WorkerResult {
  md5: string;
  composite: [number, string][];
  readBack: number;
}

/** What the worker posts: how far it has hashed, after each stretch; its result at the end. */
type WorkerMessage = { hashed: number } | WorkerResult;

/**
 * Told of every range of bytes once it is written (any order, any chunking, repeats allowed), it hands the worker
 * each new stretch of the written prefix [0, n): the worker hashes the file front to back, on the other core, while
 * the ranges after it still arrive. So the check of a download is done when its last byte lands, without a second
 * pass over the finished file and without the MD5's CPU on the thread that receives (on two cores that thread, not
 * the hashing, limits the download). The bytes are read back from the page cache: they were just written.
 */
export class OrderedHasher {
  private readonly worker: Worker;
  private readonly result: Promise<WorkerResult>;
  /** Written ranges beyond the prefix, sorted and merged. */
  private written: [number, number][] = [];
  /** Every byte before this one is written. */
  private prefix = 0;
  /** The prefix the worker was last told about (-1: none yet). */
  private handedOver = -1;
  private readonly step: number;
  private closed = false;
  private hashedTo = 0;

  constructor(private readonly options: OrderedHasherOptions) {
    this.step = options.stepBytes ?? 1024 * 1024;
    this.worker = new Worker(WRITTEN_FILE_HASHER_SOURCE, { eval: true, workerData: { fd: options.fd, size: options.size, partSizes: options.compositePartSizes ?? [] } });
    this.result = new Promise<WorkerResult>((resolve, reject) => {
      this.worker.on('message', (message: WorkerMessage) => {
        if ('hashed' in message) this.hashedTo = message.hashed;
        else resolve(message);
      });
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`the download's hashing stopped (exit code ${code}) before it reached the end of the file`)));
    });
    // A download that fails or is cancelled never asks for the result: its rejection is nobody's error.
    this.result.catch(() => undefined);
    if (options.size === 0) this.handOver();
  }

  /** Bytes [offset, offset + length) are written to the file. */
  push(offset: number, length: number): void {
    this.note(offset, offset + length);
  }

  /** Bytes [offset, end) are in the file already (written by an earlier run). */
  alreadyWritten(offset: number, end: number): void {
    this.note(offset, end);
  }

  /** Every byte before this one is written (and handed to the worker, or about to be). */
  get position(): number {
    return this.prefix;
  }

  /** How far the worker has hashed (it reports after each stretch handed over). */
  get hashed(): number {
    return this.hashedTo;
  }

  /** Once every byte was written: waits for the worker to hash the rest, and returns the digests. */
  async finish(): Promise<OrderedHashResult> {
    if (this.prefix < this.options.size) {
      const from = this.prefix;
      await this.dispose();
      throw new Error(`bytes ${from}–${this.options.size - 1} were never reported written; cannot verify the download`);
    }
    this.handOver();
    try {
      const { md5, composite, readBack } = await this.result;
      return { md5, composite: new Map(composite), bytesReadBack: readBack };
    } finally {
      await this.dispose();
    }
  }

  /** Stops the worker. Awaited before the file is closed, so that it never reads a descriptor reused for another file. */
  async dispose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.worker.terminate();
  }

  private note(start: number, end: number): void {
    end = Math.min(end, this.options.size);
    if (end <= this.prefix || end <= start) return;
    if (start <= this.prefix) this.prefix = end;
    else this.written = merged(this.written, start, end);
    // Ranges that now touch the prefix join it.
    while (this.written.length > 0 && this.written[0][0] <= this.prefix) {
      const first = this.written.shift();
      if (first) this.prefix = Math.max(this.prefix, first[1]);
    }
    if (this.prefix - this.handedOver >= this.step || this.prefix === this.options.size) this.handOver();
  }

  private handOver(): void {
    if (this.closed || this.prefix <= this.handedOver) return;
    this.handedOver = this.prefix;
    this.worker.postMessage(this.prefix);
  }
}

/** Sorted, disjoint ranges with [start, end) added: the ranges it touches or overlaps become one (a range's next chunk extends it). */
function merged(ranges: [number, number][], start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  let added: [number, number] = [start, end];
  for (const range of ranges) {
    if (range[1] < added[0]) out.push(range);
    else if (range[0] > added[1]) {
      out.push(added);
      added = range;
    } else added = [Math.min(range[0], added[0]), Math.max(range[1], added[1])];
  }
  out.push(added);
  return out;
}
