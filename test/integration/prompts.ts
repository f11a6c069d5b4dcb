// Answers a command's questions the way a person would, from a script: the label to pick, the text to type (checked by
// the input box's own validation), the button to press. Anything unexpected is recorded and ends the command.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PickOptions, PickOrTypeOptions, Prompts, StepAnswer, StepOptions } from '../../src/platform/prompts';

export type Label = string | RegExp;

export type Answer =
  /** A quick pick: the item with this label (for a pick-or-type picker: that suggestion). */
  | { pick: Label }
  /** A multi-select: exactly the items with these labels ticked; 'as offered' keeps the ticks the picker starts with. */
  | { pickMany: readonly Label[] | 'as offered' }
  /** An input box, a step or a pick-or-type picker: this text, as if typed and Enter pressed. */
  | { type: string }
  /** An input box or a step: Enter on the value it opens with. */
  | { accept: true }
  /** A step: the Back button. */
  | { back: true }
  /** A modal confirmation: this button. */
  | { button: string }
  /** The open dialog: these files or folders. */
  | { open: readonly string[] }
  /** Any question: Escape. */
  | { dismiss: true };

/** A question as it was asked: its kind, its title or message, and the value an input opened with. */
export interface Asked {
  kind: 'pick' | 'pickMany' | 'input' | 'step' | 'pickOrType' | 'openDialog' | 'confirm';
  title?: string;
  /** The value an input opened with; the folder an open dialog starts in. */
  value?: string;
  items?: string[];
}

const matches = (label: Label, text: string): boolean => (typeof label === 'string' ? label === text : label.test(text));

export class ScriptedPrompts implements Prompts {
  readonly asked: Asked[] = [];
  private readonly problems: string[] = [];

  constructor(private readonly answers: Answer[]) {}

  /** Fails the test when an answer was refused, a question came unexpected, or an answer was left over. */
  assertDone(): void {
    assert.deepEqual(this.problems, [], `the questions did not go as scripted; asked: ${JSON.stringify(this.asked)}`);
    assert.deepEqual(this.answers, [], `answers left over; asked: ${JSON.stringify(this.asked)}`);
  }

  private next(asked: Asked): Answer | undefined {
    this.asked.push(asked);
    const answer = this.answers.shift();
    if (!answer) this.problems.push(`no answer for ${asked.kind} "${asked.title ?? ''}"`);
    return answer;
  }

  private refuse(asked: Asked, answer: Answer, why = 'does not fit'): undefined {
    this.problems.push(`${JSON.stringify(answer)} ${why} ${asked.kind} "${asked.title ?? ''}" (items: ${JSON.stringify(asked.items ?? [])})`);
    return undefined;
  }

  async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined> {
    const asked: Asked = { kind: 'pick', title: options.title ?? options.placeHolder, items: items.map((i) => i.label) };
    const answer = this.next(asked);
    if (!answer || 'dismiss' in answer) return undefined;
    if (!('pick' in answer)) return this.refuse(asked, answer);
    const item = items.find((i) => i.kind !== vscode.QuickPickItemKind.Separator && matches(answer.pick, i.label));
    return item ?? this.refuse(asked, answer, 'matches no item of');
  }

  async pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T[] | undefined> {
    const choices = items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator);
    const asked: Asked = { kind: 'pickMany', title: options.title ?? options.placeHolder, items: choices.map((i) => `${i.picked ? '[x]' : '[ ]'} ${i.label}`) };
    const answer = this.next(asked);
    if (!answer || 'dismiss' in answer) return undefined;
    if (!('pickMany' in answer)) return this.refuse(asked, answer);
    if (answer.pickMany === 'as offered') return choices.filter((i) => i.picked);
    const labels = answer.pickMany;
    const missing = labels.filter((label) => !choices.some((i) => matches(label, i.label)));
    if (missing.length) return this.refuse(asked, answer, `(${missing.join(', ')} not offered) in`);
    return choices.filter((i) => labels.some((label) => matches(label, i.label)));
  }

  async input(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const asked: Asked = { kind: 'input', title: options.prompt ?? options.title, value: options.value };
    const answer = this.next(asked);
    if (!answer || 'dismiss' in answer) return undefined;
    const text = 'type' in answer ? answer.type : 'accept' in answer ? (options.value ?? '') : undefined;
    if (text === undefined) return this.refuse(asked, answer);
    const problem = await options.validateInput?.(text);
    if (problem) return this.refuse(asked, answer, `is refused (${typeof problem === 'string' ? problem : problem.message}) by`);
    return text;
  }

  async step(options: StepOptions): Promise<StepAnswer> {
    const asked: Asked = { kind: 'step', title: `${options.title} ${options.step + 1}/${options.totalSteps}: ${options.prompt}`, value: options.value };
    const answer = this.next(asked);
    if (!answer || 'dismiss' in answer) return undefined;
    if ('back' in answer) return options.step > 0 ? { kind: 'back' } : this.refuse(asked, answer, 'has no Back button in');
    const text = 'type' in answer ? answer.type : 'accept' in answer ? options.value : undefined;
    if (text === undefined) return this.refuse(asked, answer);
    const problem = options.validate(text);
    if (problem) return this.refuse(asked, answer, `is refused (${problem}) by`);
    return { kind: 'value', value: text.trim() };
  }

  async pickOrType(options: PickOrTypeOptions): Promise<string | undefined> {
    const asked: Asked = { kind: 'pickOrType', title: options.title, items: options.suggestions.map((s) => s.label) };
    const answer = this.next(asked);
    if (!answer || 'dismiss' in answer) return undefined;
    const text = 'type' in answer ? answer.type : 'pick' in answer ? options.suggestions.find((s) => matches(answer.pick, s.label))?.label : undefined;
    if (text === undefined) return this.refuse(asked, answer);
    const checked = options.check(text);
    return 'value' in checked ? checked.value : this.refuse(asked, answer, `is refused (${checked.problem}) by`);
  }

  async openDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
    const asked: Asked = { kind: 'openDialog', title: options.title ?? options.openLabel, value: options.defaultUri?.fsPath };
    const answer = this.next(asked);
    if (!answer || 'dismiss' in answer) return undefined;
    if (!('open' in answer)) return this.refuse(asked, answer);
    if (answer.open.length > 1 && !options.canSelectMany) return this.refuse(asked, answer, 'picks several in');
    return answer.open.map((path) => vscode.Uri.file(path));
  }

  async confirm(message: string, _detail: string | undefined, ...buttons: string[]): Promise<string | undefined> {
    const asked: Asked = { kind: 'confirm', title: message, items: buttons };
    const answer = this.next(asked);
    if (!answer || 'dismiss' in answer) return undefined;
    if (!('button' in answer)) return this.refuse(asked, answer);
    return buttons.includes(answer.button) ? answer.button : this.refuse(asked, answer, 'is no button of');
  }
}
