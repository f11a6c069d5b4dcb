// Unsaved edits of an editor panel (host side). A webview panel has no dirty flag of its own: the page reports every
// change (its draft, or null once it matches what was saved), the host shows ● in the tab title and, when a dirty
// panel is closed, asks "Save changes?". onDidDispose cannot stop a close, so Cancel reopens the panel with the draft.
import * as vscode from 'vscode';
import type { Prompts } from '../platform/prompts';

/** The mark a modified editor's tab carries (VS Code draws it for text editors; a webview panel shows it in its title). */
export const DIRTY_MARK = '●';

export function dirtyTitle(title: string, dirty: boolean): string {
  return dirty ? `${DIRTY_MARK} ${title}` : title;
}

/** The draft of one open panel and its tab title. */
export class PanelDraft<D> {
  private draft: D | undefined;

  /**
   * `initial`: the edits the panel opens with; `firstTitle`: its title now (`title` may not answer yet while the panel
   * is being built).
   */
  constructor(private readonly panel: vscode.WebviewPanel, private readonly title: () => string, initial?: D, firstTitle?: string) {
    this.draft = initial;
    if (firstTitle !== undefined) panel.title = dirtyTitle(firstTitle, initial !== undefined);
  }

  get dirty(): boolean {
    return this.draft !== undefined;
  }

  get current(): D | undefined {
    return this.draft;
  }

  /** The page's draft (undefined: the form matches what was saved). */
  set(draft: D | undefined): void {
    this.draft = draft;
    this.retitle();
  }

  /** Sets the tab title again (after a save renamed the panel, say). */
  retitle(): void {
    this.panel.title = dirtyTitle(this.title(), this.dirty);
  }
}

export interface ClosedDraft<D> {
  prompts: Prompts;
  /** The panel's title without the mark, as the question names it. */
  title: string;
  draft: D;
  /** Saves the draft; resolves to the field errors when it could not (the panel then reopens with them). */
  save(draft: D): Promise<Record<string, string> | undefined>;
  /** Opens the panel again with the draft (and the errors of a failed save). */
  reopen(draft: D, errors?: Record<string, string>): void;
}

/**
 * Asks what to do with a closed panel's unsaved draft: Save (and reopen with the errors when the save fails),
 * Don't Save, or Cancel (the panel is already gone, so it comes back with the draft).
 */
export async function settleClosedDraft<D>(closed: ClosedDraft<D>): Promise<'saved' | 'discarded' | 'reopened'> {
  const save = vscode.l10n.t('Save');
  const discard = vscode.l10n.t("Don't Save");
  const answer = await closed.prompts.confirm(
    vscode.l10n.t('Do you want to save the changes you made to {0}?', closed.title),
    vscode.l10n.t("Your changes will be lost if you don't save them."),
    save,
    discard,
  );
  if (answer === discard) return 'discarded';
  if (answer === save) {
    const errors = await closed.save(closed.draft);
    if (!errors) return 'saved';
    closed.reopen(closed.draft, errors);
    return 'reopened';
  }
  closed.reopen(closed.draft);
  return 'reopened';
}
