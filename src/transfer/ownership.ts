// Who owns a transfer: one process at a time, through an exclusive lock file beside its journal record that names the
// owner (pid, host, kind) and whose modification time is a lease the owner renews while it lives.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ForeignOwner } from './types';

export interface LockOptions {
  /** The journal folder: `<id>.lock` lives beside `<id>.json`. */
  dir: string;
  kind: ForeignOwner['kind'];
  /** A lock not renewed for this long belongs to nobody (the owner's machine slept, or it is on another host). */
  leaseMs?: number;
  /** Told when a lock this process held was taken by another (its lease had run out): stop writing that transfer. */
  onLost?: (id: string) => void;
}

interface LockContent {
  pid: number;
  host: string;
  token: string;
  kind: ForeignOwner['kind'];
}

interface SeenLock {
  content: LockContent;
  mtimeMs: number;
}

export const DEFAULT_LEASE_MS = 30_000;

/** Whether a process with this pid runs on this machine (EPERM: it does, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseContent(text: string): LockContent | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockContent>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.token === 'string' && (v.kind === 'window' || v.kind === 'cli')) {
      return { pid: v.pid, host: v.host, token: v.token, kind: v.kind };
    }
  } catch {
    /* a lock cut short while being written belongs to nobody */
  }
  return undefined;
}

export class TransferLocks {
  /** This owner (engine instance): two engines of one process are two owners. */
  readonly token = randomBytes(8).toString('hex');
  private readonly held = new Set<string>();
  private readonly leaseMs: number;
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;

  constructor(private readonly options: LockOptions) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  private file(id: string): string {
    return join(this.options.dir, `${id}.lock`);
  }

  holds(id: string): boolean {
    return this.held.has(id);
  }

  /** Makes the transfer this process's: undefined when it is (now) ours, else the live owner that has it. */
  async acquire(id: string): Promise<ForeignOwner | undefined> {
    if (this.held.has(id)) return undefined;
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    for (let attempt = 0; attempt < 5; attempt++) {
      const content: LockContent = { pid: process.pid, host: hostname(), token: this.token, kind: this.options.kind };
      try {
        // O_EXCL: exactly one process creates it; O_NOFOLLOW: a link planted there is not followed.
        const handle = await open(this.file(id), constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600);
        try {
          await handle.writeFile(JSON.stringify(content));
        } finally {
          await handle.close();
        }
        this.held.add(id);
        this.schedule();
        return undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const seen = await this.inspect(id);
      if (!seen) continue;
      if (seen.content.token === this.token) {
        this.held.add(id);
        return undefined;
      }
      if (this.live(seen)) return { pid: seen.content.pid, kind: seen.content.kind };
      await this.breakStale(id, seen);
    }
    const seen = await this.inspect(id);
    return seen ? { pid: seen.content.pid, kind: seen.content.kind } : { pid: 0, kind: 'cli' };
  }

  /** The live owner of the transfer when it is another than this one; undefined when it is ours or nobody's. */
  async owner(id: string): Promise<ForeignOwner | undefined> {
    if (this.held.has(id)) return undefined;
    const seen = await this.inspect(id);
    if (!seen || seen.content.token === this.token || !this.live(seen)) return undefined;
    return { pid: seen.content.pid, kind: seen.content.kind };
  }

  /** Lets the transfer go (its lock file is removed when it is still ours). */
  async release(id: string): Promise<void> {
    if (!this.held.delete(id)) return;
    const seen = await this.inspect(id);
    if (seen?.content.token === this.token) await rm(this.file(id), { force: true });
  }

  async releaseAll(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.renewing;
    await Promise.all([...this.held].map((id) => this.release(id)));
  }

  private live(seen: SeenLock): boolean {
    if (Date.now() - seen.mtimeMs > this.leaseMs) return false;
    return seen.content.host !== hostname() || processAlive(seen.content.pid);
  }

  private async inspect(id: string): Promise<SeenLock | undefined> {
    try {
      const [text, info] = await Promise.all([readFile(this.file(id), 'utf8'), stat(this.file(id))]);
      // A lock with unreadable content (cut short by a kill while written) is stale: its mtime alone says nothing.
      const content = parseContent(text) ?? { pid: 0, host: '', token: '', kind: 'cli' };
      return { content, mtimeMs: content.token ? info.mtimeMs : 0 };
    } catch {
      return undefined;
    }
  }

  /**
   * Removes a lock whose owner is gone. It is renamed first (only one process can rename it) and checked again: if the
   * file renamed is not the stale one seen (another process took the transfer meanwhile), it is put back.
   */
  private async breakStale(id: string, seen: SeenLock): Promise<void> {
    const aside = `${this.file(id)}.${this.token}.stale`;
    try {
      await rename(this.file(id), aside);
    } catch {
      return;
    }
    const moved = parseContent(await readFile(aside, 'utf8').catch(() => ''));
    if (moved && moved.token !== seen.content.token) await link(aside, this.file(id)).catch(() => undefined);
    await rm(aside, { force: true });
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.renewing ??= this.renew().finally(() => (this.renewing = undefined));
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  /** Renews the lease of every lock held; one found taken by another process is given up and reported. */
  private async renew(): Promise<void> {
    const now = new Date();
    for (const id of [...this.held]) {
      const seen = await this.inspect(id);
      if (seen?.content.token === this.token) {
        await utimes(this.file(id), now, now).catch(() => undefined);
        continue;
      }
      this.held.delete(id);
      this.options.onLost?.(id);
    }
  }
}
