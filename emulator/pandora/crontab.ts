// The crontab format of the document's example (`0 0 0/1 * * ?`): six or seven fields, seconds first,
// `?` for "no value" in day-of-month / day-of-week (Quartz style). Returns why a spec is refused, if it is.

interface FieldKind {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** `?` and the L / W / # forms of the day fields. */
  day?: 'month' | 'week';
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const FIELDS: readonly FieldKind[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, day: 'month' },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 1, max: 7, names: WEEKDAYS, day: 'week' },
  { name: 'year', min: 1970, max: 2099 },
];

function value(token: string, kind: FieldKind): number | undefined {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    return n >= kind.min && n <= kind.max ? n : undefined;
  }
  const at = kind.names?.indexOf(token.toUpperCase() as never) ?? -1;
  return at >= 0 ? at + kind.min : undefined;
}

/** One comma-separated part of a field: `*`, `v`, `a-b`, each optionally `/step`, or a day form. */
function partOk(part: string, kind: FieldKind): boolean {
  if (kind.day === 'month' && /^(L(-\d{1,2})?|LW|\d{1,2}W)$/.test(part)) {
    const n = /\d+/.exec(part);
    return !n || (Number(n[0]) >= 1 && Number(n[0]) <= 31);
  }
  if (kind.day === 'week') {
    if (part === 'L') return true;
    const special = /^(\w+)(L|#([1-5]))$/.exec(part);
    if (special) return value(special[1], kind) !== undefined;
  }
  const [base, step, ...extra] = part.split('/');
  if (extra.length) return false;
  if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1 || Number(step) > kind.max)) return false;
  if (base === '*') return true;
  const bounds = base.split('-');
  if (bounds.length > 2) return false;
  return bounds.every((b) => value(b, kind) !== undefined);
}

/** undefined when `spec` is a crontab of the document's format, otherwise which field is wrong. */
export function crontabProblem(spec: string): string | undefined {
  const fields = spec.trim().split(/\s+/);
  if (fields.length < 6 || fields.length > 7) return `has ${fields.length} fields; the format is second minute hour day-of-month month day-of-week [year], e.g. 0 0 0/1 * * ?`;
  for (let i = 0; i < fields.length; i++) {
    const kind = FIELDS[i];
    const field = fields[i];
    if (field === '?') {
      if (kind.day) continue;
      return `? is only allowed in day of month or day of week, not in ${kind.name}`;
    }
    if (!field.split(',').every((part) => part !== '' && partOk(part, kind))) return `${kind.name} "${field}" is outside ${kind.min}–${kind.max} or not a crontab field`;
  }
  return undefined;
}
