// The open panels of one kind by key (their target: a job, an export, a connector). The area creates one at activation,
// passes it to the panels it opens and disposes it (with every panel still open) when it is disposed.

export class PanelRegistry<P extends { dispose(): void }> {
  private readonly open = new Map<string, P>();

  get(key: string): P | undefined {
    return this.open.get(key);
  }

  has(key: string): boolean {
    return this.open.has(key);
  }

  /** `panel` now stands for `key` (a panel is under one key at a time). */
  set(key: string, panel: P): void {
    this.delete(panel);
    this.open.set(key, panel);
  }

  /** Forgets `panel`, whatever its key. */
  delete(panel: P): void {
    for (const [key, open] of this.open) if (open === panel) this.open.delete(key);
  }

  get size(): number {
    return this.open.size;
  }

  dispose(): void {
    const panels = [...this.open.values()];
    this.open.clear();
    for (const panel of panels) panel.dispose();
  }
}
