// The notifications of the Transfers area, in one place: each is shown in the window and kept in a short list, so
// that the test-mode API can read what was said and press a button as a person would.
import * as vscode from 'vscode';

export type NoticeSeverity = 'info' | 'warning' | 'error';

export interface ShownNotice {
  readonly severity: NoticeSeverity;
  readonly message: string;
  readonly buttons: readonly string[];
}

interface OpenNotice extends ShownNotice {
  press(button: string | undefined): void;
}

/** How many notices are kept for reading back. */
const KEPT = 50;

export class TransferNotices {
  private readonly shown: OpenNotice[] = [];

  /** Shows the notification; resolves with the button pressed, or undefined when it is dismissed. */
  show(severity: NoticeSeverity, message: string, ...buttons: string[]): Promise<string | undefined> {
    let press: (button: string | undefined) => void = () => undefined;
    const pressed = new Promise<string | undefined>((resolve) => (press = resolve));
    const shown = severity === 'info' ? vscode.window.showInformationMessage(message, ...buttons) : severity === 'warning' ? vscode.window.showWarningMessage(message, ...buttons) : vscode.window.showErrorMessage(message, ...buttons);
    this.shown.push({ severity, message, buttons, press });
    if (this.shown.length > KEPT) this.shown.shift();
    return Promise.race([Promise.resolve(shown), pressed]);
  }

  /** The notices shown so far (the last few), oldest first. */
  list(): readonly ShownNotice[] {
    return this.shown.map(({ severity, message, buttons }) => ({ severity, message, buttons }));
  }

  /** Presses `button` on the newest notice whose message matches; false when there is none or it has no such button. */
  press(message: RegExp, button: string): boolean {
    const notice = [...this.shown].reverse().find((n) => message.test(n.message));
    if (!notice?.buttons.includes(button)) return false;
    notice.press(button);
    return true;
  }
}
