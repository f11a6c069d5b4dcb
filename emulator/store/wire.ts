// What reached the store on the wire: the request headers of the last data requests, in the order they were sent.

export interface WireEntry {
  method: string;
  path: string;
  /** [name, value] as sent (names in the client's spelling); an Authorization value is replaced by its length. */
  headers: [string, string][];
  at: string;
}

const KEEP = 200;

/** The last requests of one kind (part PUTs, ranged GETs), for tests that prove what a client sends. */
export class WireLog {
  private entries: WireEntry[] = [];

  record(method: string, path: string, rawHeaders: readonly string[]): void {
    const headers: [string, string][] = [];
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = rawHeaders[i];
      headers.push([name, name.toLowerCase() === 'authorization' ? `<${rawHeaders[i + 1].length} characters>` : rawHeaders[i + 1]]);
    }
    this.entries.push({ method, path, headers, at: new Date().toISOString() });
    if (this.entries.length > KEEP) this.entries.splice(0, this.entries.length - KEEP);
  }

  list(): readonly WireEntry[] {
    return this.entries;
  }

  clear(): void {
    this.entries = [];
  }
}
