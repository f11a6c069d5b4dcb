// Refreshes the Load Tasks view every few seconds while a task runs or pauses and the view is visible; idle otherwise.
import type * as vscode from 'vscode';

export interface PollTarget {
  hasActiveTasks(): boolean;
  refresh(): void;
  onDidLoad: vscode.Event<unknown>;
}

export interface VisibleView {
  readonly visible: boolean;
  onDidChangeVisibility: vscode.Event<unknown>;
}

export class LoadTasksPoller implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    private readonly view: VisibleView,
    private readonly target: PollTarget,
    private readonly intervalMs: () => number,
  ) {
    this.subscriptions.push(view.onDidChangeVisibility(() => this.update()), target.onDidLoad(() => this.update()));
  }

  /** Whether a refresh is scheduled (for tests and the log). */
  get polling(): boolean {
    return this.timer !== undefined;
  }

  /** Schedules the next refresh when it is wanted, cancels it when it is not. */
  update(): void {
    const wanted = !this.disposed && this.view.visible && this.target.hasActiveTasks();
    if (!wanted) {
      this.stop();
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // The provider reloads, fires onDidLoad, and that schedules the next round.
      if (this.view.visible) this.target.refresh();
    }, Math.max(250, this.intervalMs()));
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
    for (const s of this.subscriptions) s.dispose();
  }
}
