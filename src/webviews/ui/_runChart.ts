// The job editor's run history (page side): one SVG bar per run on a time axis, coloured by status with the theme's
// colours; the run id, status and duration on hover and on keyboard focus; a click or Enter selects the run for
// Stop / Rerun (run through the host's run commands). The same runs as a table for screen readers.
import type { RunBar, RunsMessage } from '../jobEditorProtocol';
import type { Response } from './_channel';
import { el, svg, table } from './_dom';
import { button } from './_pandoraForm';
import { timeAxis } from './_timeAxis';

/** What the chart asks of the host (through the page's channel). */
export interface RunHistoryHost {
  /** Read the runs again. */
  refresh(): void;
  /** Stop or Rerun one run; the response says whether it could. */
  act(action: 'stop' | 'rerun', runId: number): Promise<Response<unknown>>;
}

const WIDTH = 640;
const LEFT = 56;
const RIGHT = 12;
const TOP = 22;
const ROW = 22;
const BAR = 14;

export class RunHistory {
  /** The section the form shows (kept across the form's renders). */
  readonly element = el('section', { class: 'run-history', 'data-testid': 'run-history' });
  private runs: RunBar[] = [];
  private error: string | undefined;
  private selected: number | undefined;
  private status = '';
  private readonly tooltip = el('div', { class: 'run-tooltip', role: 'tooltip', id: 'run-tooltip', hidden: '' });
  private readonly lang = document.documentElement.lang || 'en';

  constructor(private readonly t: (s: string, ...a: (string | number)[]) => string, private readonly host: RunHistoryHost) {}

  /** New runs from the host; the selection stays on the same run while it is listed. */
  update(message: RunsMessage): void {
    this.runs = message.runs;
    this.error = message.error;
    if (this.selected !== undefined && !this.runs.some((r) => r.runId === this.selected)) this.selected = undefined;
    this.render();
  }

  /** Selects a run (a click or Enter on its bar). */
  select(runId: number): void {
    this.selected = runId;
    this.status = '';
    this.render();
    this.element.querySelector<SVGGElement>(`[data-run-id="${runId}"]`)?.focus();
  }

  private render(): void {
    const t = this.t;
    this.element.replaceChildren(el('h2', {}, t('Run history')));
    if (this.error) this.element.append(el('div', { class: 'banner-error', role: 'alert' }, t('Could not read the run history: {0}', this.error)));
    else if (this.runs.length === 0) this.element.append(el('div', { class: 'hint' }, t('No runs yet.')));
    else this.element.append(this.chart(), this.table(), this.tooltip);
    this.element.append(this.actions());
  }

  private chart(): SVGSVGElement {
    const t = this.t;
    // Oldest first, from the top.
    const runs = [...this.runs].sort((a, b) => a.start - b.start || a.runId - b.runId);
    const { from, span, ticks } = timeAxis(runs.map((r) => r.start), runs.map((r) => r.end), this.lang);
    const x = (time: number): number => LEFT + ((time - from) / span) * (WIDTH - LEFT - RIGHT);
    const height = TOP + runs.length * ROW + 4;
    const chart = svg('svg', { class: 'run-chart', viewBox: `0 0 ${WIDTH} ${height}`, role: 'group', 'aria-label': t('Run history of the job: one bar per run on a time axis'), 'data-testid': 'run-chart' });
    chart.append(svg('line', { class: 'axis', x1: LEFT, x2: WIDTH - RIGHT, y1: TOP - 4, y2: TOP - 4 }));
    ticks.forEach(({ time, label }, i) => {
      const anchor = i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle';
      chart.append(svg('text', { x: x(time), y: TOP - 8, 'text-anchor': anchor, 'aria-hidden': 'true' }, label));
    });
    runs.forEach((run, i) => {
      const y = TOP + i * ROW;
      const left = x(run.start);
      const description = this.describe(run);
      const bar = svg('g', {
        class: `run-bar status-${run.status}${run.runId === this.selected ? ' selected' : ''}`,
        tabindex: 0,
        role: 'button',
        'aria-pressed': String(run.runId === this.selected),
        'aria-label': description,
        'data-run-id': run.runId,
        'data-testid': `run-bar-${run.runId}`,
      });
      bar.append(
        svg('title', {}, description),
        svg('text', { x: LEFT - 6, y: y + BAR - 3, 'text-anchor': 'end', 'aria-hidden': 'true' }, `#${run.runId}`),
        svg('rect', { x: left, y, width: Math.max(3, x(run.end) - left), height: BAR, rx: 2 }),
      );
      bar.addEventListener('click', () => this.select(run.runId));
      bar.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          // The form treats Enter as Save: a bar keeps it.
          e.preventDefault();
          e.stopPropagation();
          this.select(run.runId);
        }
      });
      bar.addEventListener('mouseenter', () => this.showTooltip(bar, run));
      bar.addEventListener('focus', () => this.showTooltip(bar, run));
      bar.addEventListener('mouseleave', () => this.hideTooltip(bar));
      bar.addEventListener('blur', () => this.hideTooltip(bar));
      chart.append(bar);
    });
    return chart;
  }

  private describe(run: RunBar): string {
    return this.t('Run {0}: {1}, {2}, started {3}', run.runId, run.label, run.active ? `${run.duration} (${this.t('still running')})` : run.duration, new Date(run.start).toLocaleString(this.lang));
  }

  private showTooltip(bar: SVGGElement, run: RunBar): void {
    const t = this.t;
    this.tooltip.textContent = [t('Run {0}', run.runId), `${t('Status')}: ${run.label}`, `${t('Duration')}: ${run.duration}`, `${t('Started')}: ${new Date(run.start).toLocaleString(this.lang)}`, `${t('Ended')}: ${run.active ? t('still running') : new Date(run.end).toLocaleString(this.lang)}`].join('\n');
    this.tooltip.hidden = false;
    const box = (bar.querySelector('rect') ?? bar).getBoundingClientRect();
    const host = this.element.getBoundingClientRect();
    // Beside the bar (right of it, else left of it), so that the rows below stay visible; positioned through the
    // CSSOM, which the CSP allows (a style attribute it would not).
    const width = this.tooltip.offsetWidth;
    const right = box.right - host.left + 8;
    this.tooltip.style.left = `${right + width <= host.width ? right : Math.max(0, box.left - host.left - width - 8)}px`;
    this.tooltip.style.top = `${box.top - host.top}px`;
    bar.setAttribute('aria-describedby', this.tooltip.id);
  }

  private hideTooltip(bar: SVGGElement): void {
    this.tooltip.hidden = true;
    bar.removeAttribute('aria-describedby');
  }

  /** The chart's data for screen readers (the bars are decorative for them beyond their labels). */
  private table(): HTMLTableElement {
    const t = this.t;
    const rows = this.runs.map((run) => [String(run.runId), run.label, new Date(run.start).toLocaleString(this.lang), run.active ? t('still running') : new Date(run.end).toLocaleString(this.lang), run.duration]);
    return table({ class: 'sr-only', 'data-testid': 'run-table' }, [t('Run'), t('Status'), t('Started'), t('Ended'), t('Duration')], rows, { caption: t('Run history'), scope: true });
  }

  private actions(): HTMLElement {
    const t = this.t;
    const run = this.runs.find((r) => r.runId === this.selected);
    const bar = el('div', { class: 'toolbar' });
    const line = el('span', { class: 'status', role: 'status', 'data-testid': 'run-selected' }, run ? t('Selected: run {0} ({1})', run.runId, run.label) : this.runs.length ? t('Click a bar (or focus it and press Enter) to select a run.') : '');
    const stop = button(t('Stop Run'), () => void this.act('stop'), { secondary: '', 'data-testid': 'run-stop' });
    const rerun = button(t('Rerun Run'), () => void this.act('rerun'), { secondary: '', 'data-testid': 'run-rerun' });
    if (!run?.canStop) stop.setAttribute('disabled', '');
    if (!run?.canRerun) rerun.setAttribute('disabled', '');
    const refresh = button(t('Refresh'), () => this.host.refresh(), { secondary: '', 'data-testid': 'run-refresh' });
    bar.append(stop, rerun, refresh, line);
    const outcome = el('div', { class: this.status ? 'banner-error' : '', role: 'alert', 'data-testid': 'run-action-status' }, this.status);
    const box = el('div');
    box.append(bar, outcome);
    return box;
  }

  private async act(action: 'stop' | 'rerun'): Promise<void> {
    if (this.selected === undefined) return;
    const response = await this.host.act(action, this.selected);
    // On success the host sends the runs again; a refusal is shown under the buttons.
    this.status = response.ok ? '' : Object.values(response.errors ?? {}).join('\n');
    this.render();
  }
}
