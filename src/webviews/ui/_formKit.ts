// Page helpers every form shares: the unsaved-edit tracker (tells the host, keeps the draft in the webview state for a
// window reload), the keyboard (Enter submits, Escape cancels), and showing a failed save where the person looks.

/**
 * Compares the form with what was last saved. The host gets the draft (or null when there is nothing unsaved) only
 * when that changes; `persist` keeps it in the webview's state so that the panel serializer can restore it.
 */
export class DraftTracker<D> {
  private baseline = '';
  private reported: string | undefined;

  constructor(
    private readonly report: (draft: D | null) => void,
    private readonly persist: (draft: D | undefined) => void,
  ) {}

  /** What the host holds now (the loaded or just saved form). */
  saved(draft: D): void {
    this.baseline = JSON.stringify(draft);
    // Always reported and kept: what the state names (a new job that now has a name) may have changed.
    this.reported = undefined;
    this.changed(draft);
  }

  /** The form as it is now. */
  changed(draft: D): void {
    const text = JSON.stringify(draft);
    const dirty = text !== this.baseline;
    const key = dirty ? text : '';
    if (key === this.reported) return;
    this.reported = key;
    this.report(dirty ? draft : null);
    this.persist(dirty ? draft : undefined);
  }
}

/** The select of vscode-elements that has its list open (Escape then closes the list, not the form). */
function inOpenSelect(event: KeyboardEvent): boolean {
  return event.composedPath().some((node) => node instanceof HTMLElement && /^VSCODE-(SINGLE|MULTI)-SELECT$/.test(node.tagName) && node.hasAttribute('open'));
}

/** The element the key went to is a one-line text field (Enter in a code area or on a button keeps its own meaning). */
function inTextField(event: KeyboardEvent): boolean {
  const first = event.composedPath()[0];
  if (first instanceof HTMLInputElement) return first.type !== 'checkbox' && first.type !== 'button';
  return first instanceof HTMLElement && first.tagName === 'VSCODE-TEXTFIELD';
}

/** Enter in a text field submits, Escape anywhere cancels (unless it closes an open list). */
export function formKeys(submit: () => void, cancel: () => void): void {
  // Capture: a select closes its list on Escape before the event bubbles up, so whether it was open is read first.
  document.addEventListener(
    'keydown',
    (event) => {
      if (event.isComposing || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (event.key === 'Escape' && !inOpenSelect(event)) {
        event.preventDefault();
        cancel();
      } else if (event.key === 'Enter' && inTextField(event)) {
        event.preventDefault();
        submit();
      }
    },
    true,
  );
}

/** Scrolls the first field with an error into view and puts the focus in it. */
export function revealFirstError(root: HTMLElement): void {
  const slot = Array.from(root.querySelectorAll<HTMLElement>('.error[data-error-for], .error[id^="e-"]')).find((s) => (s.textContent ?? '') !== '');
  const field = slot?.closest<HTMLElement>('[data-field]') ?? slot ?? undefined;
  if (!field) return;
  field.scrollIntoView({ block: 'center' });
  const control = field.querySelector<HTMLElement>('vscode-textfield, vscode-single-select, textarea, vscode-checkbox');
  control?.focus();
}

/** A one-line summary of the errors of a failed save, for the top of the page. */
export function errorSummary(errors: Record<string, string>, label: (path: string) => string): string {
  const { _form: general, ...fields } = errors;
  const parts = Object.entries(fields).map(([path, message]) => `${label(path)}: ${message}`);
  return [general, ...parts].filter((p): p is string => !!p).join('\n');
}

/** Puts the focus in the first control `selector` finds, once it has rendered (a Lit element renders after it is attached). */
export function focusFirst(root: HTMLElement, selector: string): void {
  const control = root.querySelector<HTMLElement & { updateComplete?: Promise<unknown> }>(selector);
  if (control) void Promise.resolve(control.updateComplete).then(() => control.focus());
}
