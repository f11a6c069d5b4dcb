// The questions commands ask (quick picks, input boxes, the open dialog, modal confirmations) behind one interface.
import * as vscode from 'vscode';

export interface PickOptions {
  title?: string;
  placeHolder?: string;
  ignoreFocusOut?: boolean;
  matchOnDetail?: boolean;
}

/** One step of a multi-step input that has a Back button from its second step on. */
export interface StepOptions {
  title: string;
  /** 0-based. */
  step: number;
  totalSteps: number;
  prompt: string;
  placeholder?: string;
  value: string;
  /** The problem with `value`, or undefined when it may be accepted. */
  validate(value: string): string | undefined;
}

export type StepAnswer = { kind: 'value'; value: string } | { kind: 'back' } | undefined;

/** A quick pick of suggestions that also takes a value typed in, checked as it is typed and when accepted. */
export interface PickOrTypeOptions {
  title: string;
  placeholder: string;
  suggestions: readonly { label: string; description?: string }[];
  /** The description of a typed value that is not a suggestion (why it would be refused, or what it is). */
  describeTyped(value: string): string;
  /** The accepted value, or the problem that keeps the picker open. */
  check(value: string): { value: string } | { problem: string };
  /** The warning shown when an accepted value is refused. */
  refused(problem: string): string;
}

export interface Prompts {
  /** One item, or undefined when dismissed. */
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined>;
  /** Any number of items (those with `picked` start ticked), or undefined when dismissed. */
  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T[] | undefined>;
  /** The text entered, or undefined when dismissed. */
  input(options: vscode.InputBoxOptions): Promise<string | undefined>;
  step(options: StepOptions): Promise<StepAnswer>;
  pickOrType(options: PickOrTypeOptions): Promise<string | undefined>;
  /** The files or folders chosen, or undefined when dismissed. */
  openDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined>;
  /** A modal warning: the button chosen, or undefined when dismissed. */
  confirm(message: string, detail: string | undefined, ...buttons: string[]): Promise<string | undefined>;
}

/** The prompts of the VS Code window. */
export class WindowPrompts implements Prompts {
  async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined> {
    return vscode.window.showQuickPick(items, options);
  }

  async pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T[] | undefined> {
    return vscode.window.showQuickPick(items, { ...options, canPickMany: true });
  }

  async input(options: vscode.InputBoxOptions): Promise<string | undefined> {
    return vscode.window.showInputBox(options);
  }

  async openDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
    return vscode.window.showOpenDialog(options);
  }

  async confirm(message: string, detail: string | undefined, ...buttons: string[]): Promise<string | undefined> {
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons);
  }

  step(options: StepOptions): Promise<StepAnswer> {
    const input = vscode.window.createInputBox();
    input.title = options.title;
    input.step = options.step + 1;
    input.totalSteps = options.totalSteps;
    input.prompt = options.prompt;
    input.placeholder = options.placeholder;
    input.value = options.value;
    input.ignoreFocusOut = true;
    input.buttons = options.step > 0 ? [vscode.QuickInputButtons.Back] : [];
    const check = (text: string): boolean => {
      input.validationMessage = options.validate(text);
      return input.validationMessage === undefined;
    };
    if (options.value) check(options.value);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (answer: StepAnswer): void => {
        if (settled) return;
        settled = true;
        resolve(answer);
        input.dispose();
      };
      input.onDidChangeValue((text) => check(text));
      input.onDidAccept(() => {
        if (check(input.value)) finish({ kind: 'value', value: input.value.trim() });
      });
      input.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish({ kind: 'back' });
      });
      input.onDidHide(() => finish(undefined));
      input.show();
    });
  }

  pickOrType(options: PickOrTypeOptions): Promise<string | undefined> {
    const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { value: string }>();
    quickPick.title = options.title;
    quickPick.placeholder = options.placeholder;
    quickPick.ignoreFocusOut = true;
    quickPick.matchOnDescription = false;
    const suggestions = options.suggestions.map((s) => ({ label: s.label, description: s.description, value: s.label }));
    const render = (): void => {
      const value = quickPick.value.trim();
      if (!value) {
        quickPick.items = suggestions;
        return;
      }
      const same = suggestions.find((s) => s.label === value);
      const matching = suggestions.filter((s) => s.label !== value && s.label.includes(value));
      quickPick.items = [same ?? { label: value, description: options.describeTyped(value), value, alwaysShow: true }, ...matching];
      quickPick.activeItems = [quickPick.items[0]];
    };
    render();
    return new Promise((resolve) => {
      let settled = false;
      const finish = (value: string | undefined): void => {
        if (settled) return;
        settled = true;
        resolve(value);
        quickPick.dispose();
      };
      quickPick.onDidChangeValue(render);
      quickPick.onDidAccept(() => {
        const checked = options.check(quickPick.selectedItems[0]?.value ?? quickPick.value);
        if ('value' in checked) {
          finish(checked.value);
          return;
        }
        quickPick.placeholder = checked.problem;
        void vscode.window.showWarningMessage(options.refused(checked.problem));
      });
      quickPick.onDidHide(() => finish(undefined));
      quickPick.show();
    });
  }
}
