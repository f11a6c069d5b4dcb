// Asks for a Datahub subtask id: recent ones to pick, or a new one typed in, validated as typed.
import * as vscode from 'vscode';
import { validateSubtaskId } from '../api/datahub/client';
import { describeError } from '../api/errors';
import type { Prompts } from '../platform/prompts';

const RECENT_KEY = 'datahub.recentSubtasks';
const MAX_RECENT = 10;

function problemOf(value: string): string | undefined {
  try {
    validateSubtaskId(value);
    return undefined;
  } catch (e) {
    return describeError(e);
  }
}

export class SubtaskPicker {
  constructor(
    private readonly state: vscode.Memento,
    private readonly prompts: Prompts,
  ) {}

  recent(): string[] {
    return this.state.get<string[]>(RECENT_KEY, []).filter((s) => typeof s === 'string');
  }

  async remember(id: string): Promise<void> {
    const next = [id, ...this.recent().filter((s) => s !== id)].slice(0, MAX_RECENT);
    await this.state.update(RECENT_KEY, next);
  }

  /** Resolves to a valid id, or undefined when the user dismisses the picker. */
  pick(title: string): Promise<string | undefined> {
    const recent = this.recent();
    return this.prompts.pickOrType({
      title,
      placeholder: recent.length ? vscode.l10n.t('Pick a recent subtask id or type a new one') : vscode.l10n.t('Type the Datahub subtask id (e.g. task_abc_001)'),
      suggestions: recent.map((id) => ({ label: id, description: vscode.l10n.t('recent') })),
      describeTyped: (value) => {
        const problem = problemOf(value);
        return problem ? `$(warning) ${problem}` : vscode.l10n.t('new subtask id');
      },
      check: (value) => {
        const problem = problemOf(value);
        return problem ? { problem } : { value: validateSubtaskId(value) };
      },
      refused: (problem) => vscode.l10n.t('Subtask id refused — {0}', problem),
    });
  }
}
