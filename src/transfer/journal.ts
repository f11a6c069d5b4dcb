// Persists transfer records as one JSON file each, written atomically (temp file + rename).
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TransferRecord } from './types';

export interface JournalStore {
  loadAll(): Promise<TransferRecord[]>;
  save(record: TransferRecord): Promise<void>;
  remove(id: string): Promise<void>;
}

export class MemoryJournal implements JournalStore {
  private readonly records = new Map<string, string>();
  async loadAll(): Promise<TransferRecord[]> {
    return [...this.records.values()].map((text) => JSON.parse(text) as TransferRecord);
  }
  async save(record: TransferRecord): Promise<void> {
    this.records.set(record.id, JSON.stringify(record));
  }
  async remove(id: string): Promise<void> {
    this.records.delete(id);
  }
}

export class FileJournal implements JournalStore {
  private sequence = 0;
  /** Saves of one record are chained so that an older snapshot never lands after a newer one. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly dir: string) {}

  private file(id: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`journal: bad transfer id ${id}`);
    return join(this.dir, `${id}.json`);
  }

  async loadAll(): Promise<TransferRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const records: TransferRecord[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      try {
        const record = JSON.parse(await readFile(join(this.dir, name), 'utf8')) as TransferRecord;
        if (record && typeof record.id === 'string' && typeof record.protocol === 'string') records.push(record);
      } catch {
        // A record that cannot be read is skipped, not fatal: the others still resume.
      }
    }
    return records;
  }

  save(record: TransferRecord): Promise<void> {
    const text = JSON.stringify(record);
    const previous = this.pending.get(record.id) ?? Promise.resolve();
    const next = previous.then(async () => {
      await mkdir(this.dir, { recursive: true });
      const tmp = join(this.dir, `.${record.id}.${process.pid}.${this.sequence++}.tmp`);
      await writeFile(tmp, text);
      await rename(tmp, this.file(record.id));
    });
    const tracked = next.catch(() => undefined);
    this.pending.set(record.id, tracked);
    void tracked.then(() => {
      if (this.pending.get(record.id) === tracked) this.pending.delete(record.id);
    });
    return next;
  }

  async remove(id: string): Promise<void> {
    await (this.pending.get(id) ?? Promise.resolve());
    await rm(this.file(id), { force: true });
  }
}
