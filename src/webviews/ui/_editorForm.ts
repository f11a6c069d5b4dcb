// What the Pandora job and export editors share around their fields: which errors show (touched fields, or all once
// Save was pressed), the Save/Cancel bar with its status line, the save round trip, the start from `init`, the keys.
import type { Response } from './_channel';
import { el } from './_dom';
import { DraftTracker, errorSummary, focusFirst, formKeys, revealFirstError } from './_formKit';
import { button, fieldLabel, showErrors, Texts } from './_pandoraForm';

export interface EditorFormOptions<D, R> {
  /** The errors the form has now (the shared validation module, in the page's language). */
  errors(): Record<string, string>;
  /** The form as a draft, undefined before `init`. */
  draft(): D | undefined;
  /** Tells the host about unsaved edits and keeps them in the webview state. */
  drafts: DraftTracker<D>;
  render(): void;
  cancel(): void;
  /** Sends the save request. */
  send(draft: D): Promise<Response<R>>;
  /** A save the host accepted: updates the form and returns what to show, or undefined when the answer is not one. */
  saved(result: R | undefined): string | undefined;
  /**
   * Whether an error at `path` shows once `touched` was edited: it does below the touched field; with `upward` it
   * also does above it (a list's error once one of its rows was edited).
   */
  upward?: boolean;
}

export class EditorForm<D, R> {
  texts = new Texts({});
  /** Save was pressed (or the host said a save failed): every error shows, not only those of touched fields. */
  private submitted = false;
  private readonly touched = new Set<string>();
  private banner = el('div');
  private statusLine: HTMLElement | undefined;
  private busy = false;

  constructor(private readonly app: HTMLElement, private readonly options: EditorFormOptions<D, R>) {
    formKeys(() => void this.save(), () => options.cancel());
    // Ctrl+S (Cmd+S) saves, as in a text editor.
    document.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void this.save();
      }
    });
  }

  readonly t = (s: string, ...a: (string | number)[]): string => this.texts.t(s, ...a);

  private visible(path: string, extra: Record<string, string>): boolean {
    if (this.submitted || path in extra) return true;
    const below = (f: string, p: string): boolean => p === f || p.startsWith(`${f}.`) || p.startsWith(`${f}[`);
    return [...this.touched].some((f) => below(f, path) || (this.options.upward === true && below(path, f)));
  }

  /** Shows the errors of the touched fields (all after Save) and tells the host whether there are unsaved edits. */
  refreshErrors(extra: Record<string, string> = {}): void {
    showErrors(this.app, this.banner, { ...this.options.errors(), ...extra }, (path) => this.visible(path, extra));
    const draft = this.options.draft();
    if (draft !== undefined) this.options.drafts.changed(draft);
  }

  /** The field at `path` was edited: its errors show from now on. */
  touch(path: string): void {
    this.touched.add(path);
    this.refreshErrors();
  }

  /** Like touch, without showing yet (the page renders next). */
  markTouched(path: string): void {
    this.touched.add(path);
  }

  /** A failed save: each error next to its field, the first one scrolled into view, all of them at the top. */
  saveFailed(errors: Record<string, string>): void {
    this.refreshErrors(errors);
    this.status('banner-error', this.t('Could not save: {0}', errorSummary({ ...this.options.errors(), ...errors }, (path) => fieldLabel(this.app, path))));
    revealFirstError(this.app);
  }

  private status(className: string, text: string): void {
    if (!this.statusLine) return;
    this.statusLine.className = className;
    this.statusLine.textContent = text;
  }

  /** Save and Cancel stay at the top of a long form, with what the last save said (its errors too) over renders. */
  bar(): HTMLElement {
    const bar = el('div', { class: 'form-bar' });
    const actions = el('div', { class: 'actions' });
    actions.append(button(this.t('Save'), () => void this.save(), { 'data-testid': 'save' }), button(this.t('Cancel'), () => this.options.cancel(), { secondary: '', 'data-testid': 'cancel' }));
    const previous = this.statusLine;
    this.statusLine = el('div', { class: previous?.className ?? 'status', role: 'status', 'data-testid': 'status' }, previous?.textContent ?? '');
    this.banner = el('div', { role: 'alert', 'data-testid': 'banner' });
    bar.append(actions, this.statusLine, this.banner);
    return bar;
  }

  /** Checks the form, sends it, then shows what the host said: the saved message, or each error at its field. */
  async save(): Promise<void> {
    const draft = this.options.draft();
    if (draft === undefined || this.busy) return;
    this.submitted = true;
    this.refreshErrors();
    if (Object.keys(this.options.errors()).length) {
      this.saveFailed({});
      return;
    }
    this.busy = true;
    this.status('status', this.t('Saving…'));
    const response = await this.options.send(draft);
    this.busy = false;
    const message = response.ok ? this.options.saved(response.result) : undefined;
    if (message === undefined) {
      this.saveFailed(response.errors ?? {});
      return;
    }
    this.options.drafts.saved(this.options.draft() as D);
    this.options.render();
    this.status('banner-ok', message);
  }

  /**
   * The page's data arrived: `restore` sets the form from the unsaved edits the host kept (or what it holds), whose
   * draft `baseline` is what the host holds; then the form shows, with the errors of a save that failed before.
   */
  start(strings: Record<string, string>, baseline: D, errors: Record<string, string> | undefined, focus: string): void {
    this.texts = new Texts(strings);
    this.options.drafts.saved(baseline);
    this.options.render();
    if (errors) {
      this.submitted = true;
      this.saveFailed(errors);
    } else focusFirst(this.app, focus);
  }

  /** A failed response no request waited for. */
  failed(errors: Record<string, string>): void {
    if (this.options.draft() === undefined) this.app.textContent = Object.values(errors).join('\n');
    else this.refreshErrors(errors);
  }
}
