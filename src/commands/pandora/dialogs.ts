// The Pandora dialogs' questions (pick one, pick several, type a value) on VS Code's QuickPick and InputBox.
// In test mode the extension's testing API describes the open question and chooses or types in it, so that the
// integration tests drive the real widgets the way a person would (select, type, then Enter).
import * as vscode from 'vscode';

export interface PromptChoice {
  id: string;
  label: string;
  description?: string;
  detail?: string;
  picked?: boolean;
}

export interface InputQuestion {
  title: string;
  prompt: string;
  value?: string;
  placeHolder?: string;
  password?: boolean;
  /** A message when the text is refused, undefined when it is accepted. */
  validate?: (text: string) => string | undefined;
}

/** What the test hook sees of the open question. */
export interface OpenPrompt {
  step: number;
  kind: 'pick' | 'pickMany' | 'input';
  title: string;
  /** An input's prompt, as the widget shows it. */
  prompt?: string;
  choices?: { id: string; label: string; picked: boolean }[];
  value?: string;
  validationMessage?: string;
}

/** What the test hook may do to the open question: only what a person can (choose items, type). */
export interface PromptAction {
  select?: string[];
  value?: string;
}

type ChoiceItem = vscode.QuickPickItem & { id: string };

/** The widgets read `$(name)` in labels, descriptions, prompts and messages as an icon: shown text keeps it literal. */
export function literal(text: string): string;
export function literal(text: string | undefined): string | undefined;
export function literal(text: string | undefined): string | undefined {
  return text?.replace(/\$\(/g, '\\$(');
}

interface Open {
  describe(): OpenPrompt;
  act(action: PromptAction): void;
}

export class PandoraDialogs {
  private open: Open | undefined;
  private step = 0;

  describe(): OpenPrompt | undefined {
    return this.open?.describe();
  }

  act(action: PromptAction): OpenPrompt | undefined {
    this.open?.act(action);
    return this.describe();
  }

  pick(title: string, choices: readonly PromptChoice[], placeHolder?: string): Promise<string | undefined> {
    return this.choose(title, choices, false, placeHolder).then((ids) => ids?.[0]);
  }

  pickMany(title: string, choices: readonly PromptChoice[], placeHolder?: string): Promise<string[] | undefined> {
    return this.choose(title, choices, true, placeHolder);
  }

  private choose(title: string, choices: readonly PromptChoice[], many: boolean, placeHolder?: string): Promise<string[] | undefined> {
    const quickPick = vscode.window.createQuickPick<ChoiceItem>();
    const items: ChoiceItem[] = choices.map((c) => ({ id: c.id, label: literal(c.label), description: literal(c.description), detail: literal(c.detail), picked: c.picked }));
    quickPick.title = title;
    quickPick.placeholder = placeHolder;
    quickPick.canSelectMany = many;
    quickPick.ignoreFocusOut = true;
    quickPick.matchOnDescription = true;
    quickPick.items = items;
    if (many) quickPick.selectedItems = items.filter((i) => i.picked);
    const step = ++this.step;
    return this.run(quickPick, {
      describe: () => ({ step, kind: many ? 'pickMany' : 'pick', title, choices: items.map((i, n) => ({ id: i.id, label: choices[n].label, picked: (many ? quickPick.selectedItems : quickPick.activeItems).includes(i) })) }),
      act: ({ select }) => {
        if (!select) return;
        const chosen = items.filter((i) => select.includes(i.id));
        if (many) quickPick.selectedItems = chosen;
        else quickPick.activeItems = chosen.slice(0, 1);
      },
    }, () => (many ? quickPick.selectedItems : quickPick.activeItems.slice(0, 1)).map((i) => i.id), () => many || quickPick.activeItems.length > 0);
  }

  input(question: InputQuestion): Promise<string | undefined> {
    const box = vscode.window.createInputBox();
    box.title = question.title;
    box.prompt = literal(question.prompt);
    box.value = question.value ?? '';
    box.placeholder = question.placeHolder;
    box.password = question.password === true;
    box.ignoreFocusOut = true;
    let problem: string | undefined;
    /** The message shows once the person types or presses Enter, not on a question just opened. */
    const check = (show = true): boolean => {
      problem = question.validate?.(box.value);
      if (show || problem === undefined) box.validationMessage = literal(problem);
      return problem === undefined;
    };
    box.onDidChangeValue(() => check());
    check(false);
    const step = ++this.step;
    return this.run(box, {
      describe: () => ({ step, kind: 'input', title: question.title, prompt: question.prompt, value: question.password ? undefined : box.value, validationMessage: problem }),
      act: ({ value }) => {
        if (value === undefined) return;
        box.value = value;
        check();
      },
    }, () => box.value, () => check());
  }

  /** Shows `widget`; resolves with `result()` on Enter when `acceptable()`, undefined when it is hidden. */
  private run<T>(widget: vscode.QuickPick<ChoiceItem> | vscode.InputBox, open: Open, result: () => T, acceptable: () => boolean): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve) => {
      let answer: T | undefined;
      let settled = false;
      const done = (): void => {
        if (settled) return;
        settled = true;
        if (this.open === open) this.open = undefined;
        widget.dispose();
        resolve(answer);
      };
      widget.onDidAccept(() => {
        if (!acceptable()) return;
        answer = result();
        done();
      });
      widget.onDidHide(done);
      this.open = open;
      widget.show();
    });
  }
}
