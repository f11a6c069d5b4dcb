// Assembles a multipart object while its parts arrive (in index order, hashing on the way), so complete is a rename.
import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, open, rm, stat } from 'node:fs/promises';
import type { StoredFile } from './files';

/** What the store holds for one part now: its file and the record its PUT left (replaced on every PUT). */
export interface PartRef {
  path: string;
  record: StoredFile;
}

export interface AssembledFile extends StoredFile {
  path: string;
}

const BUFFER_SIZE = 1024 * 1024;

/**
 * One upload's object, built from parts 1, 2, … as soon as each is there. Without it, complete has to read,
 * hash and write the whole object again while the client waits (seconds per GiB). A part that is PUT again
 * with other content rolls the assembly back to just before it (the MD5 state at every part boundary is
 * kept); complete uses the result only when the appended parts are exactly the ones it was asked for.
 */
export class IncrementalAssembly {
  private out: FileHandle | undefined;
  /** What was appended, per part (index = part number - 1). */
  private readonly appended: StoredFile[] = [];
  /** MD5 state and size after 0, 1, 2, … appended parts. */
  private readonly hashes: Hash[] = [createHash('md5')];
  private readonly offsets: number[] = [0];
  private running: Promise<void> | undefined;
  private again = false;
  private disposed = false;
  private failed = false;

  constructor(
    readonly path: string,
    private readonly lookup: (partNumber: number) => PartRef | undefined,
  ) {}

  /** A part was stored (or stored again): append what can be appended now. */
  kick(): void {
    if (this.disposed || this.failed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = undefined;
    });
  }

  /** The assembled object when it is exactly `parts` (same contents, same order); otherwise undefined. */
  async finish(parts: StoredFile[]): Promise<AssembledFile | undefined> {
    while (this.running) await this.running;
    if (this.failed || this.disposed || !this.out) return undefined;
    if (parts.length !== this.appended.length) return undefined;
    if (!parts.every((p, i) => p.md5 === this.appended[i].md5 && p.size === this.appended[i].size)) return undefined;
    await this.out.close();
    this.out = undefined;
    this.disposed = true;
    const n = this.appended.length;
    return { path: this.path, size: this.offsets[n], md5: this.hashes[n].copy().digest('hex') };
  }

  /** Stops and deletes the partial object (abort, reset, or complete took another way). */
  async dispose(): Promise<void> {
    this.disposed = true;
    while (this.running) await this.running;
    await this.out?.close().catch(() => undefined);
    this.out = undefined;
    await rm(this.path, { force: true });
  }

  private async run(): Promise<void> {
    try {
      this.out ??= await open(this.path, 'w+');
      for (;;) {
        this.again = false;
        if (this.disposed) return;
        await this.rollBackChangedParts();
        const next = this.appended.length + 1;
        const ref = this.lookup(next);
        if (ref) await this.append(next, ref);
        else if (!this.again) return;
      }
    } catch {
      // Whatever went wrong (disk, a part deleted under us), complete falls back to a full concatenation.
      this.failed = true;
    }
  }

  private async rollBackChangedParts(): Promise<void> {
    for (let i = 0; i < this.appended.length; i++) {
      const now = this.lookup(i + 1)?.record;
      if (!now || now.md5 !== this.appended[i].md5 || now.size !== this.appended[i].size) {
        await this.truncateTo(i);
        return;
      }
    }
  }

  private async truncateTo(count: number): Promise<void> {
    this.appended.length = count;
    this.hashes.length = count + 1;
    this.offsets.length = count + 1;
    await this.out?.truncate(this.offsets[count]);
  }

  /** Appends part `n`; if it was replaced while being read, the append is undone (the loop tries again). */
  private async append(n: number, ref: PartRef): Promise<void> {
    const out = this.out;
    if (!out) return;
    const hash = this.hashes[n - 1].copy();
    let offset = this.offsets[n - 1];
    const input = await open(ref.path, 'r');
    let inode: number;
    try {
      inode = (await input.stat()).ino;
      const buffer = Buffer.allocUnsafe(BUFFER_SIZE);
      for (;;) {
        const { bytesRead } = await input.read(buffer, 0, BUFFER_SIZE, null);
        if (bytesRead === 0) break;
        hash.update(buffer.subarray(0, bytesRead));
        await out.write(buffer, 0, bytesRead, offset);
        offset += bytesRead;
        if (this.disposed) return;
      }
    } finally {
      await input.close();
    }
    const unchanged = this.lookup(n)?.record === ref.record && (await stat(ref.path).catch(() => undefined))?.ino === inode;
    if (!unchanged || offset - this.offsets[n - 1] !== ref.record.size) {
      await out.truncate(this.offsets[n - 1]);
      this.again = true;
      return;
    }
    this.appended.push(ref.record);
    this.hashes.push(hash);
    this.offsets.push(offset);
  }
}

/** The assemblies of one backend's open uploads, by upload id (memory only: after a restart, complete concatenates). */
export class AssemblyTracker {
  private readonly assemblies = new Map<string, IncrementalAssembly>();

  /** Call after a part of `uploadId` was stored. */
  partStored(uploadId: string, path: string, lookup: (partNumber: number) => PartRef | undefined): void {
    let assembly = this.assemblies.get(uploadId);
    if (!assembly) {
      assembly = new IncrementalAssembly(path, lookup);
      this.assemblies.set(uploadId, assembly);
    }
    assembly.kick();
  }

  /** The finished object when the assembly matches `parts`; the assembly is forgotten either way. */
  async finish(uploadId: string, parts: StoredFile[]): Promise<AssembledFile | undefined> {
    const assembly = this.assemblies.get(uploadId);
    if (!assembly) return undefined;
    const result = await assembly.finish(parts);
    if (!result) await assembly.dispose();
    this.assemblies.delete(uploadId);
    return result;
  }

  async dispose(uploadId: string): Promise<void> {
    const assembly = this.assemblies.get(uploadId);
    this.assemblies.delete(uploadId);
    await assembly?.dispose();
  }

  async disposeAll(): Promise<void> {
    const all = [...this.assemblies.values()];
    this.assemblies.clear();
    await Promise.all(all.map((a) => a.dispose()));
  }
}
