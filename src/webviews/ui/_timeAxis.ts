// The run-history chart's time axis (DOM-free): its range and five tick labels that never repeat the same text.

/** The shortest axis: ticks a quarter of it apart stay at least 15 s apart, so labels in seconds always differ. */
export const MIN_AXIS_SPAN_MS = 60_000;

export interface TimeAxis {
  from: number;
  span: number;
  ticks: { time: number; label: string }[];
}

/** Tick labels: the time of day (seconds under 10 minutes) within one day, the date and time beyond. */
function tickFormat(span: number, lang: string): Intl.DateTimeFormat {
  if (span >= 86_400_000) return new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: span < 600_000 ? '2-digit' : undefined });
}

/**
 * The axis from the first start to the last end. A short history (one run of two seconds) gets MIN_AXIS_SPAN_MS, so
 * that its five labels do not all read the same second.
 */
export function timeAxis(starts: readonly number[], ends: readonly number[], lang: string): TimeAxis {
  const from = Math.min(...starts);
  const span = Math.max(Math.max(...ends) - from, MIN_AXIS_SPAN_MS);
  const format = tickFormat(span, lang);
  const ticks = [0, 1, 2, 3, 4].map((i) => {
    const time = from + (span * i) / 4;
    return { time, label: format.format(time) };
  });
  return { from, span, ticks };
}
