// The job editor's SQL code area: a textarea with line numbers beside it; Tab indents instead of leaving it.
import { el } from './_dom';

export class SqlArea {
  readonly element = el('div', { class: 'sql' });
  private readonly gutter = el('div', { class: 'gutter', 'aria-hidden': 'true' });
  private readonly area: HTMLTextAreaElement;

  constructor(label: string, code: string, onInput: (code: string) => void) {
    this.area = el('textarea', { spellcheck: 'false', 'aria-label': label, wrap: 'off', 'data-testid': 'sql' });
    this.area.value = code;
    this.area.addEventListener('input', () => {
      this.updateGutter();
      onInput(this.area.value);
    });
    this.area.addEventListener('scroll', () => this.updateGutter());
    this.area.addEventListener('keydown', (e) => {
      if (e.key === 'Tab' && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        const { selectionStart: a, selectionEnd: b, value } = this.area;
        this.area.value = `${value.slice(0, a)}  ${value.slice(b)}`;
        this.area.selectionStart = this.area.selectionEnd = a + 2;
        this.area.dispatchEvent(new Event('input'));
      }
    });
    this.element.append(this.gutter, this.area);
    this.updateGutter();
  }

  /** The code changed elsewhere (the editor tab opened with "Edit in Editor Tab"). */
  set(code: string): void {
    this.area.value = code;
    this.updateGutter();
  }

  private updateGutter(): void {
    const lines = this.area.value.split('\n').length;
    this.gutter.textContent = Array.from({ length: lines }, (_, i) => String(i + 1)).join('\n');
    this.gutter.scrollTop = this.area.scrollTop;
  }
}
