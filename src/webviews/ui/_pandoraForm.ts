// Page helpers shared by the Pandora job and export editors: controls on @vscode-elements, field error slots, translated texts.
import { custom, el, type CheckElement, type ValueElement } from './_dom';

/** English text → the language the host sent; `{0}` placeholders filled. */
export class Texts {
  constructor(private readonly strings: Record<string, string>) {}
  t(text: string, ...args: (string | number)[]): string {
    const template = this.strings[text] ?? text;
    return template.replace(/\{(\d+)\}/g, (_m, i: string) => String(args[Number(i)] ?? ''));
  }
  /** For the validation module's formatIssue. */
  readonly translate = (template: string): string => this.strings[template] ?? template;
}

/** A labelled control with its error slot (`data-error-for` = the validation field path). */
export function fieldBox(label: string, control: HTMLElement, path: string, hint?: string): HTMLElement {
  const wrap = el('div', { class: 'field', 'data-field': path });
  const id = `f-${path.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  control.id = id;
  wrap.append(custom('vscode-label', { for: id }, label), control);
  if (hint) wrap.append(el('div', { class: 'hint' }, hint));
  wrap.append(errorSlot(path));
  return wrap;
}

/** The error slot of the field at `path` (showErrors fills it); `alert`: read out when its text changes. */
export function errorSlot(path: string, alert = true): HTMLElement {
  return el('div', { class: 'error', 'data-error-for': path, ...(alert ? { role: 'alert' } : {}) });
}

/** A checkbox field at `path` with its error slot (the checkbox carries its own label). */
export function checkBox(control: HTMLElement, path: string): HTMLElement {
  const box = el('div', { class: 'field', 'data-field': path });
  box.append(control, errorSlot(path, false));
  return box;
}

/** A list row's Remove button: takes row `i` out of `rows`, then the form renders again. */
export function removeButton(label: string, rows: unknown[], i: number, render: () => void): HTMLElement {
  return button(label, () => {
    rows.splice(i, 1);
    render();
  }, { secondary: '' });
}

export function textField(value: string, onInput: (v: string) => void, attrs: Record<string, string> = {}): ValueElement {
  const input = custom<ValueElement>('vscode-textfield', attrs);
  input.value = value;
  input.addEventListener('input', () => onInput(input.value));
  return input;
}

export function select(options: readonly { value: string; label: string }[], value: string, onChange: (v: string) => void, attrs: Record<string, string> = {}): ValueElement {
  const s = custom<ValueElement>('vscode-single-select', attrs);
  for (const o of options) {
    const option = custom('vscode-option', { value: o.value }, o.label);
    if (o.value === value) option.setAttribute('selected', '');
    s.append(option);
  }
  s.addEventListener('change', () => onChange(s.value));
  return s;
}

export function checkbox(label: string, checked: boolean, onChange: (v: boolean) => void, attrs: Record<string, string> = {}): CheckElement {
  const c = custom<CheckElement>('vscode-checkbox', { label, ...attrs });
  c.checked = checked;
  c.addEventListener('change', () => onChange(c.checked));
  return c;
}

export function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLElement {
  const b = custom('vscode-button', attrs, label);
  b.addEventListener('click', onClick);
  return b;
}

/** The label of the field at `path` as the page shows it (the path itself when the field has none). */
export function fieldLabel(root: HTMLElement, path: string): string {
  const box = Array.from(root.querySelectorAll<HTMLElement>('[data-field]')).find((e) => e.dataset.field === path);
  return box?.querySelector(':scope > vscode-label')?.textContent ?? path;
}

/** Shows each error in the slot of its field, or of the nearest enclosing field, or in the banner. */
export function showErrors(root: HTMLElement, banner: HTMLElement, errors: Record<string, string>, visible: (path: string) => boolean): void {
  const slots = new Map<string, HTMLElement>();
  root.querySelectorAll<HTMLElement>('[data-error-for]').forEach((slot) => {
    slot.textContent = '';
    slots.set(slot.dataset.errorFor ?? '', slot);
  });
  root.querySelectorAll<ValueElement>('[data-field] > vscode-textfield, [data-field] > vscode-single-select').forEach((c) => (c.invalid = false));
  const unplaced: string[] = [];
  for (const [path, message] of Object.entries(errors)) {
    if (!visible(path)) continue;
    let key = path;
    while (key && !slots.has(key)) key = key.includes('.') || key.includes('[') ? key.replace(/(\.[^.[\]]*|\[\d+\])$/, '') : '';
    const slot = key ? slots.get(key) : undefined;
    if (!slot || path === '_form') {
      unplaced.push(path === '_form' ? message : `${path}: ${message}`);
      continue;
    }
    if (!slot.textContent) slot.textContent = key === path ? message : `${path.slice(key.length).replace(/^\./, '')}: ${message}`;
    const control = slot.parentElement?.querySelector<ValueElement>(':scope > vscode-textfield, :scope > vscode-single-select');
    if (control) control.invalid = true;
  }
  banner.textContent = unplaced.join('\n');
  banner.className = unplaced.length ? 'banner-error' : '';
}
