// The non-modal notifications (information, warning, error with buttons) behind one interface; in test mode each is
// recorded so that an integration test can read what a person would see and press one of its buttons.
import * as vscode from 'vscode';

export type Severity = 'info' | 'warning' | 'error';

export interface Notifier {
  /** Shows `message`; resolves to the button pressed, or undefined when it was dismissed. */
  show(severity: Severity, message: string, ...actions: string[]): Promise<string | undefined>;
}

/** The notifications of the VS Code window. */
export class WindowNotifier implements Notifier {
  async show(severity: Severity, message: string, ...actions: string[]): Promise<string | undefined> {
    if (severity === 'error') return vscode.window.showErrorMessage(message, ...actions);
    if (severity === 'warning') return vscode.window.showWarningMessage(message, ...actions);
    return vscode.window.showInformationMessage(message, ...actions);
  }
}

/** A notification as the test-mode API shows it. */
export interface Notice {
  id: number;
  severity: Severity;
  message: string;
  actions: string[];
  /** Whether a button was pressed or it was dismissed. */
  settled: boolean;
}

interface Shown extends Notice {
  resolve(action: string | undefined): void;
}

/** Test mode: shows each notification in the window too, and keeps it so that a test can press one of its buttons. */
export class RecordingNotifier implements Notifier {
  private readonly shown: Shown[] = [];
  private next = 1;

  constructor(private readonly window: Notifier) {}

  show(severity: Severity, message: string, ...actions: string[]): Promise<string | undefined> {
    return new Promise((resolve) => {
      const entry: Shown = {
        id: this.next++,
        severity,
        message,
        actions,
        settled: false,
        resolve: (action) => {
          if (entry.settled) return;
          entry.settled = true;
          resolve(action);
        },
      };
      this.shown.push(entry);
      void this.window.show(severity, message, ...actions).then(entry.resolve, () => entry.resolve(undefined));
    });
  }

  /** Every notification shown so far, oldest first. */
  list(): Notice[] {
    return this.shown.map(({ id, severity, message, actions, settled }) => ({ id, severity, message, actions: [...actions], settled }));
  }

  /** Presses `action` on notification `id` as a click would; false when it has no such button or was settled. */
  press(id: number, action: string): boolean {
    const entry = this.shown.find((n) => n.id === id);
    if (!entry || entry.settled || !entry.actions.includes(action)) return false;
    entry.resolve(action);
    return true;
  }
}
