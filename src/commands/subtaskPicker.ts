// Asks for a Datahub subtask id: recent ones in a quick pick, or a new one typed in, validated as typed.
import * as vscode from 'vscode';
import { validateSubtaskId } from '../api/datahub/client';
import { ValidationError } from '../api/errors';

const RECENT_KEY = 'datahub.recentSubtasks';
const MAX_RECENT = 10;

export class SubtaskPicker {
  constructor(private readonly state: vscode.Memento) {}

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
    const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { subtaskId?: string }>();
    quickPick.title = title;
    quickPick.placeholder = recent.length
      ? vscode.l10n.t('Pick a recent subtask id or type a new one')
      : vscode.l10n.t('Type the Datahub subtask id (e.g. task_abc_001)');
    quickPick.ignoreFocusOut = true;
    quickPick.matchOnDescription = false;
    const recentItems = recent.map((id) => ({ label: id, description: vscode.l10n.t('recent'), subtaskId: id }));
    const render = (): void => {
      const value = quickPick.value.trim();
      if (!value) {
        quickPick.items = recentItems;
        return;
      }
      let description = vscode.l10n.t('new subtask id');
      try {
        validateSubtaskId(value);
      } catch (e) {
        description = `$(warning) ${(e as Error).message}`;
      }
      const typed = { label: value, description, subtaskId: value, alwaysShow: true };
      const matching = recentItems.filter((r) => r.label !== value && r.label.includes(value));
      quickPick.items = recentItems.some((r) => r.label === value) ? [recentItems.find((r) => r.label === value)!, ...matching] : [typed, ...matching];
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
        const chosen = quickPick.selectedItems[0]?.subtaskId ?? quickPick.value;
        try {
          finish(validateSubtaskId(chosen ?? ''));
        } catch (e) {
          const message = e instanceof ValidationError ? e.message : String(e);
          quickPick.placeholder = message;
          void vscode.window.showWarningMessage(vscode.l10n.t('Subtask id refused — {0}', message));
        }
      });
      quickPick.onDidHide(() => finish(undefined));
      quickPick.show();
    });
  }
}
