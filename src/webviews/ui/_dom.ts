// Element builders every page script uses (HTML, custom elements of @vscode-elements, SVG), and the shapes of those elements.
export interface ValueElement extends HTMLElement {
  value: string;
  disabled: boolean;
  invalid?: boolean;
}

export interface CheckElement extends HTMLElement {
  checked: boolean;
  disabled: boolean;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), attrs, text);
}

/** A custom element (vscode-textfield, vscode-button…), typed as the caller needs it. */
export function custom<T extends HTMLElement = HTMLElement>(tag: string, attrs: Record<string, string> = {}, text?: string): T {
  return fill(document.createElement(tag) as T, attrs, text);
}

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  return fill(document.createElementNS(SVG_NS, tag), attrs, text);
}

function fill<E extends Element>(e: E, attrs: Record<string, string | number>, text: string | undefined): E {
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A table of texts: the caption (when given), the header row, one row per entry. `scope` marks the headers as column headers. */
export function table(attrs: Record<string, string>, head: readonly string[], rows: readonly (readonly string[])[], options: { caption?: string; scope?: boolean } = {}): HTMLTableElement {
  const box = el('table', attrs);
  if (options.caption !== undefined) box.append(el('caption', {}, options.caption));
  const headRow = el('tr');
  for (const h of head) headRow.append(el('th', options.scope ? { scope: 'col' } : {}, h));
  box.append(headRow);
  for (const row of rows) {
    const tr = el('tr');
    for (const cell of row) tr.append(el('td', {}, cell));
    box.append(tr);
  }
  return box;
}
