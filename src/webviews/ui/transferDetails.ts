// The transfer details page (browser): draws the throughput chart (plain SVG), the part map with its legend and a table
// of the same data as text, and the details list, from the host's `state` messages; it sends only `ready` and the
// journal file's Reveal / Copy Path.
import { formatDuration, formatRate } from '../../transfer/format';
import type { PartFileMap, ThroughputSample } from '../../transfer/transferActivity';
import type { DetailsState, DetailsStrings, HostMessage, PageMessage } from '../transferDetailsProtocol';
import { el, svg } from './_dom';

declare function acquireVsCodeApi(): { postMessage(message: PageMessage): void };
const vscode = acquireVsCodeApi();

const app = document.getElementById('app') as HTMLElement;
let texts: DetailsStrings | undefined;

type Cell = keyof DetailsStrings['cells'];
const CELLS: readonly Cell[] = ['done', 'sending', 'retried', 'failed', 'pending'];
const CODE_TO_CELL: Record<string, Cell> = { d: 'done', s: 'sending', r: 'retried', f: 'failed', p: 'pending' };

function format(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m));
}

/** The throughput line over the samples' time span; its text alternative says the range and the last value. */
function chart(samples: readonly ThroughputSample[], t: DetailsStrings): HTMLElement {
  const section = el('section', { class: 'td-section', 'aria-labelledby': 'td-chart-h' });
  section.append(el('h2', { id: 'td-chart-h' }, t.throughput));
  if (samples.length < 2) {
    section.append(el('p', { class: 'td-empty' }, t.noSamples));
    return section;
  }
  const width = 600;
  const height = 160;
  const pad = { left: 64, right: 8, top: 8, bottom: 22 };
  const first = samples[0].at;
  const span = Math.max(1000, samples[samples.length - 1].at - first);
  const rates = samples.map((s) => s.bytesPerSecond);
  const top = Math.max(1, ...rates);
  const x = (at: number): number => pad.left + ((at - first) / span) * (width - pad.left - pad.right);
  const y = (rate: number): number => height - pad.bottom - (rate / top) * (height - pad.top - pad.bottom);
  const summary = format(t.chartSummary, formatDuration(span / 1000), formatRate(Math.min(...rates)), formatRate(top), formatRate(rates[rates.length - 1]));
  const figure = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'td-chart', role: 'img', 'aria-label': summary, preserveAspectRatio: 'none' });
  figure.append(svg('line', { x1: pad.left, y1: height - pad.bottom, x2: width - pad.right, y2: height - pad.bottom, class: 'td-axis' }));
  figure.append(svg('line', { x1: pad.left, y1: pad.top, x2: pad.left, y2: height - pad.bottom, class: 'td-axis' }));
  const points = samples.map((s) => `${x(s.at).toFixed(1)},${y(s.bytesPerSecond).toFixed(1)}`);
  const base = height - pad.bottom;
  figure.append(svg('polygon', { points: `${pad.left},${base} ${points.join(' ')} ${x(samples[samples.length - 1].at).toFixed(1)},${base}`, class: 'td-area' }));
  figure.append(svg('polyline', { points: points.join(' '), class: 'td-line' }));
  const label = (text: string, lx: number, ly: number, anchor: string): void => {
    const node = svg('text', { x: lx, y: ly, 'text-anchor': anchor, class: 'td-label' });
    node.textContent = text;
    figure.append(node);
  };
  label(formatRate(top), pad.left - 4, pad.top + 10, 'end');
  label(formatRate(0), pad.left - 4, base, 'end');
  label(`−${formatDuration(span / 1000)}`, pad.left, height - 6, 'start');
  label(new Date(samples[samples.length - 1].at).toLocaleTimeString(), width - pad.right, height - 6, 'end');
  section.append(figure, el('p', { class: 'td-summary' }, summary));
  return section;
}

/** "1–4, 7, 9–12": part numbers as ranges. */
function ranges(parts: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const start = parts[i];
    while (i + 1 < parts.length && parts[i + 1] === parts[i] + 1) i++;
    out.push(start === parts[i] ? String(start) : `${start}–${parts[i]}`);
  }
  return out.join(', ');
}

/** One cell per part (hidden from screen readers: the table below says the same), a legend, and the table. */
function partMap(files: readonly PartFileMap[], hidden: number, t: DetailsStrings): HTMLElement {
  const section = el('section', { class: 'td-section', 'aria-labelledby': 'td-parts-h' });
  section.append(el('h2', { id: 'td-parts-h' }, t.parts));
  if (files.length === 0) {
    section.append(el('p', { class: 'td-empty' }, t.noParts));
    return section;
  }
  const legend = el('ul', { class: 'td-legend', 'aria-hidden': 'true' });
  for (const cell of CELLS) {
    const item = el('li');
    item.append(el('span', { class: `td-swatch td-${cell}` }), document.createTextNode(t.cells[cell]));
    legend.append(item);
  }
  section.append(legend);
  const table = el('table', { class: 'td-table', id: 'td-parts-table' });
  const multi = files.some((f) => f.file !== undefined);
  const head = el('tr');
  if (multi) head.append(el('th', { scope: 'col' }, t.tableFile));
  head.append(el('th', { scope: 'col' }, t.tableState), el('th', { scope: 'col' }, t.tableCount), el('th', { scope: 'col' }, t.tableParts));
  table.append(el('caption', {}, t.parts), el('thead'), el('tbody'));
  table.tHead?.append(head);
  for (const file of files) {
    if (multi) section.append(el('h3', { class: 'td-file' }, file.file ?? ''));
    const grid = el('div', { class: 'td-grid', 'aria-hidden': 'true' });
    const byCell = new Map<Cell, number[]>();
    for (let i = 0; i < file.cells.length; i++) {
      const cell = CODE_TO_CELL[file.cells[i]] ?? 'pending';
      grid.append(el('span', { class: `td-cell td-${cell}`, title: `${i + 1}: ${t.cells[cell]}` }));
      const list = byCell.get(cell) ?? [];
      list.push(i + 1);
      byCell.set(cell, list);
    }
    section.append(grid);
    for (const cell of CELLS) {
      const parts = byCell.get(cell);
      if (!parts) continue;
      const row = el('tr', { 'data-state': cell });
      if (multi) row.append(el('td', {}, file.file ?? ''));
      row.append(el('th', { scope: 'row' }, t.cells[cell]), el('td', {}, String(parts.length)), el('td', {}, ranges(parts)));
      table.tBodies[0].append(row);
    }
  }
  section.append(table);
  if (hidden > 0) section.append(el('p', { class: 'td-empty' }, format(t.morePartsHidden, hidden)));
  return section;
}

function detailsList(state: DetailsState, t: DetailsStrings): HTMLElement {
  const section = el('section', { class: 'td-section', 'aria-labelledby': 'td-details-h' });
  section.append(el('h2', { id: 'td-details-h' }, t.details));
  const list = el('dl', { class: 'td-details' });
  for (const row of state.rows) {
    const value = el('dd', { 'data-key': row.key }, row.value);
    if (row.key === 'journal' && state.canReveal) {
      const actions = el('span', { class: 'td-actions' });
      const reveal = el('button', { type: 'button', id: 'td-reveal' }, t.reveal);
      reveal.addEventListener('click', () => vscode.postMessage({ type: 'revealJournal' }));
      const copy = el('button', { type: 'button', id: 'td-copy' }, t.copyPath);
      copy.addEventListener('click', () => vscode.postMessage({ type: 'copyJournalPath' }));
      actions.append(reveal, copy);
      value.append(actions);
    }
    list.append(el('dt', {}, row.label), value);
  }
  section.append(list);
  return section;
}

function render(state: DetailsState): void {
  if (!texts) return;
  // Keep the reader's place: a redraw twice a second must not scroll the page back to the top.
  const scroll = window.scrollY;
  app.replaceChildren(
    el('h1', {}, state.title),
    el('p', { class: state.removed ? 'td-notice td-removed' : 'td-notice', role: 'status', id: 'td-notice' }, state.notice),
    chart(state.samples, texts),
    partMap(state.parts, state.hiddenParts, texts),
    detailsList(state, texts),
  );
  app.setAttribute('aria-busy', 'false');
  window.scrollTo(0, scroll);
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (message.type === 'init') texts = message.strings;
  else if (message.type === 'state') render(message.state);
});

vscode.postMessage({ type: 'ready' });
