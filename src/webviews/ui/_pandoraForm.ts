// Page helpers shared by the Pandora job and export editors: element builders on @vscode-elements, field error slots, translated texts, the pages' own styles.
export interface ValueElement extends HTMLElement {
  value: string;
  disabled: boolean;
  invalid?: boolean;
}

export interface CheckElement extends HTMLElement {
  checked: boolean;
  disabled: boolean;
}

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

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export function custom<T extends HTMLElement = HTMLElement>(tag: string, attrs: Record<string, string> = {}, text?: string): T {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e as T;
}

/** A labelled control with its error slot (`data-error-for` = the validation field path). */
export function fieldBox(label: string, control: HTMLElement, path: string, hint?: string): HTMLElement {
  const wrap = el('div', { class: 'field', 'data-field': path });
  const id = `f-${path.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  control.id = id;
  wrap.append(custom('vscode-label', { for: id }, label), control);
  if (hint) wrap.append(el('div', { class: 'hint' }, hint));
  wrap.append(el('div', { class: 'error', 'data-error-for': path, role: 'alert' }));
  return wrap;
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

/** The pages' own styles, adopted (the CSP allows no inline style element). */
export function adoptStyles(css: string): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

export const PAGE_CSS = `
section { margin: 18px 0; max-width: 900px; }
h2 { font-size: 1.1em; font-weight: 600; margin: 0 0 6px; }
.grid-row { display: flex; gap: 8px; align-items: flex-start; flex-wrap: wrap; }
.grid-row > .field { flex: 1 1 160px; margin: 4px 0; }
.grid-row > vscode-button { margin-top: 24px; }
.hint { opacity: 0.8; font-size: 0.9em; }
.toolbar { display: flex; gap: 8px; align-items: center; margin: 6px 0; }
.status { opacity: 0.9; }
.banner-error { color: var(--vscode-errorForeground); white-space: pre-wrap; margin: 8px 0; }
.banner-ok { color: var(--vscode-testing-iconPassed); margin: 8px 0; }
.sql { display: flex; border: 1px solid var(--vscode-input-border, var(--vscode-panel-border)); background: var(--vscode-editor-background); max-width: 900px; }
.sql:focus-within { outline: 1px solid var(--vscode-focusBorder); }
.sql .gutter { padding: 6px 8px 6px 6px; text-align: right; color: var(--vscode-editorLineNumber-foreground); user-select: none; white-space: pre; overflow: hidden; min-width: 2.5em; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); line-height: 1.5; }
.sql textarea { flex: 1; border: 0; outline: none; resize: vertical; min-height: 14em; padding: 6px; background: transparent; color: var(--vscode-editor-foreground); font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); line-height: 1.5; white-space: pre; overflow: auto; tab-size: 2; }
table.schema { border-collapse: collapse; margin-top: 6px; }
table.schema th, table.schema td { border: 1px solid var(--vscode-panel-border); padding: 2px 10px; text-align: left; }
.mapping-row { display: flex; gap: 8px; align-items: flex-start; }
.mapping-row > .field { flex: 1; margin: 2px 0; }
.mapping-row > vscode-button { margin-top: 4px; }
.checks { display: flex; flex-wrap: wrap; gap: 4px 16px; }
`;
