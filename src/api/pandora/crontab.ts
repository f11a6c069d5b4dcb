// The job scheduler's crontab as the document writes it (`0 0 0/1 * * ?`): seconds first, six fields or seven
// with a year, `?` in day-of-month or day-of-week, each field within its range (names JAN–DEC, SUN–SAT).

interface CronField {
  low: number;
  high: number;
  names?: string;
  /** Extra forms a field takes (`?`, L, W, #). */
  special?: RegExp;
}

const DAY_OF_MONTH_SPECIAL = /^(\?|L|LW|L-([1-9]|[12]\d|30)|([1-9]|[12]\d|3[01])W)$/;
const DAY_OF_WEEK_SPECIAL = /^(\?|L|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/i;

const CRON_FIELDS: CronField[] = [
  { low: 0, high: 59 },
  { low: 0, high: 59 },
  { low: 0, high: 23 },
  { low: 1, high: 31, special: DAY_OF_MONTH_SPECIAL },
  { low: 1, high: 12, names: 'JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC' },
  { low: 1, high: 7, names: 'SUN MON TUE WED THU FRI SAT', special: DAY_OF_WEEK_SPECIAL },
  { low: 1970, high: 2099 },
];

function inRange(token: string, field: CronField): boolean {
  if (/^\d+$/.test(token)) return Number(token) >= field.low && Number(token) <= field.high;
  return !!field.names && field.names.split(' ').includes(token.toUpperCase());
}

function itemOk(item: string, field: CronField): boolean {
  if (field.special?.test(item)) return true;
  const m = /^(\*|[^/-]+|[^/-]+-[^/-]+)(?:\/(\d+))?$/.exec(item);
  if (!m) return false;
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > field.high)) return false;
  return m[1] === '*' || m[1].split('-').every((bound) => inRange(bound, field));
}

/** True for a crontab of the document's six/seven-field format with every field in range. */
export function isCrontab(spec: string): boolean {
  const parts = spec.trim().split(/\s+/);
  if (parts.length !== 6 && parts.length !== 7) return false;
  return parts.every((part, i) => part.split(',').every((item) => item !== '' && itemOk(item, CRON_FIELDS[i])));
}
