// A Pandora crontab (Quartz style: second minute hour day-of-month month day-of-week [year]) in plain words, such as
// "at 01:00 on day 1 of every month"; undefined for the forms it does not cover, whose expression is shown alone.
// No vscode import: the translation is passed in (vscode.l10n in the extension), so that it is unit-tested in Node.

/** What `vscode.l10n` offers: `t(template, ...args)` with `{0}` holes. */
export interface Translator {
  t(message: string, ...args: (string | number | boolean)[]): string;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function monthName(l10n: Translator, month: number): string {
  const names = [
    l10n.t('January'), l10n.t('February'), l10n.t('March'), l10n.t('April'), l10n.t('May'), l10n.t('June'),
    l10n.t('July'), l10n.t('August'), l10n.t('September'), l10n.t('October'), l10n.t('November'), l10n.t('December'),
  ];
  return names[month - 1];
}

function weekdayName(l10n: Translator, day: number): string {
  const names = [l10n.t('Sunday'), l10n.t('Monday'), l10n.t('Tuesday'), l10n.t('Wednesday'), l10n.t('Thursday'), l10n.t('Friday'), l10n.t('Saturday')];
  return names[day - 1];
}

/** A single value of a field (a number in range, or a name), else undefined. */
function single(token: string, min: number, max: number, names?: readonly string[]): number | undefined {
  if (/^\d{1,4}$/.test(token)) {
    const n = Number(token);
    return n >= min && n <= max ? n : undefined;
  }
  const at = names?.indexOf(token.toUpperCase()) ?? -1;
  return at >= 0 ? at + min : undefined;
}

/** `*`, `0/n` or `* /n` (every n from the start), as the step; 1 for `*`. */
function every(token: string): number | undefined {
  if (token === '*') return 1;
  const match = /^(\*|0)\/(\d{1,2})$/.exec(token);
  return match && Number(match[2]) > 0 ? Number(match[2]) : undefined;
}

const noDay = (token: string): boolean => token === '*' || token === '?';
const two = (n: number): string => String(n).padStart(2, '0');

/** The day part ("every day", "on day 1 of every month", …) as a template taking the time as {0}. */
function atTime(l10n: Translator, time: string, dom: string, month: string, dow: string): string | undefined {
  const everyMonth = month === '*';
  const m = everyMonth ? undefined : single(month, 1, 12, MONTHS);
  if (!everyMonth && m === undefined) return undefined;
  if (noDay(dom) && noDay(dow)) return everyMonth ? l10n.t('at {0} every day', time) : l10n.t('at {0} every day in {1}', time, monthName(l10n, m ?? 1));
  if (!noDay(dom) && noDay(dow)) {
    if (dom === 'L') return everyMonth ? l10n.t('at {0} on the last day of every month', time) : l10n.t('at {0} on the last day of {1}', time, monthName(l10n, m ?? 1));
    const days = dom.split(',').map((d) => single(d, 1, 31));
    if (days.some((d) => d === undefined)) return undefined;
    const list = days.join(', ');
    return everyMonth ? l10n.t('at {0} on day {1} of every month', time, list) : l10n.t('at {0} on day {1} of {2}', time, list, monthName(l10n, m ?? 1));
  }
  if (noDay(dom) && everyMonth) {
    const range = /^(\w+)-(\w+)$/.exec(dow);
    if (range) {
      const [from, to] = [single(range[1], 1, 7, WEEKDAYS), single(range[2], 1, 7, WEEKDAYS)];
      return from !== undefined && to !== undefined ? l10n.t('at {0} every {1} to {2}', time, weekdayName(l10n, from), weekdayName(l10n, to)) : undefined;
    }
    const days = dow.split(',').map((d) => single(d, 1, 7, WEEKDAYS));
    if (days.some((d) => d === undefined)) return undefined;
    return l10n.t('at {0} every {1}', time, days.map((d) => weekdayName(l10n, d ?? 1)).join(', '));
  }
  return undefined;
}

/** `expression` in words, or undefined when it is not one of the forms described (the expression then stands alone). */
export function describeCron(expression: string, l10n: Translator): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length < 6 || fields.length > 7 || (fields.length === 7 && fields[6] !== '*')) return undefined;
  const [sec, min, hour, dom, month, dow] = fields;
  const s = single(sec, 0, 59);
  const mi = single(min, 0, 59);
  const h = single(hour, 0, 23);
  const everyDay = noDay(dom) && noDay(dow) && month === '*';
  // A fixed time of day.
  if (s !== undefined && mi !== undefined && h !== undefined) {
    return atTime(l10n, s === 0 ? `${two(h)}:${two(mi)}` : `${two(h)}:${two(mi)}:${two(s)}`, dom, month, dow);
  }
  if (!everyDay) return undefined;
  // Every n hours at a minute.
  const hours = every(hour);
  if (s === 0 && mi !== undefined && hours !== undefined) {
    return hours === 1 ? l10n.t('every hour at minute {0}', two(mi)) : l10n.t('every {0} hours at minute {1}', hours, two(mi));
  }
  // Every n minutes.
  const minutes = every(min);
  if (s === 0 && hour === '*' && minutes !== undefined) return minutes === 1 ? l10n.t('every minute') : l10n.t('every {0} minutes', minutes);
  // Every n seconds.
  const seconds = every(sec);
  if (min === '*' && hour === '*' && seconds !== undefined) return seconds === 1 ? l10n.t('every second') : l10n.t('every {0} seconds', seconds);
  return undefined;
}
