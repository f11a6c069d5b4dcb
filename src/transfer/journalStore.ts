// What the engine asks of a journal (load, save, remove, set aside, flush), and the in-memory one for tests and tools.
import { cloneJson, type JsonPath } from './journalDiff';
import { readEnvelope } from './schemas';
import type { TransferRecord } from './types';

/** A journal file that could not be read as a transfer: moved to `corrupt/`, with the reason. */
export interface SetAside {
  file: string;
  reason: string;
}

export interface JournalLoad {
  records: TransferRecord[];
  setAside: SetAside[];
}

export interface JournalStore {
  loadAll(): Promise<JournalLoad>;
  /** Reads one record again (another process may be writing it); undefined when it is gone. */
  load(id: string): Promise<TransferRecord | undefined>;
  /**
   * Persists the record. `changed`, when given, names every part of `params` and `checkpoint` changed since the last
   * save (paths from the record's root, e.g. `['checkpoint', 'files', name]`; the small fields beside them are always
   * compared): a folder upload's per-file save then costs the file's entry, not the whole record. Without it the
   * whole record is compared.
   */
  save(record: Readonly<TransferRecord>, changed?: readonly JsonPath[]): Promise<void>;
  remove(id: string): Promise<void>;
  /** Moves a record that cannot be used out of the way, saying why. */
  setAside(id: string, reason: string): Promise<SetAside>;
  /** Resolves once every write started so far has landed. */
  flush(): Promise<void>;
  /** Where the records live, when on disk (ownership locks are kept beside them). */
  readonly dir?: string;
}

/** What the journal stores of a record: everything but what describes this process's view of it. */
export function stored(record: Readonly<TransferRecord>): Record<string, unknown> {
  const { elsewhere: _elsewhere, ...rest } = record;
  const copy = cloneJson(rest);
  return typeof copy === 'object' && copy !== null && !Array.isArray(copy) ? { ...copy } : {};
}

export class MemoryJournal implements JournalStore {
  private readonly records = new Map<string, string>();
  async loadAll(): Promise<JournalLoad> {
    const records: TransferRecord[] = [];
    for (const text of this.records.values()) {
      const read = readEnvelope(JSON.parse(text));
      if ('record' in read) records.push(read.record);
    }
    return { records, setAside: [] };
  }
  async load(id: string): Promise<TransferRecord | undefined> {
    const text = this.records.get(id);
    const read = text === undefined ? undefined : readEnvelope(JSON.parse(text));
    return read && 'record' in read ? read.record : undefined;
  }
  async save(record: Readonly<TransferRecord>): Promise<void> {
    this.records.set(record.id, JSON.stringify(stored(record)));
  }
  async remove(id: string): Promise<void> {
    this.records.delete(id);
  }
  async setAside(id: string, reason: string): Promise<SetAside> {
    this.records.delete(id);
    return { file: id, reason };
  }
  async flush(): Promise<void> {}
}
