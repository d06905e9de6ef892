/** Plain-language number and label formatting for rationales. */

const DAY_MS = 86_400_000;

/** A percentage for people; never rounds a value below `limit` up to the limit's own figure. */
export function percent(x: number, limit?: number): string {
  const whole = Math.round(x * 100);
  if (limit !== undefined && x < limit && whole >= Math.round(limit * 100)) return `${(x * 100).toFixed(1)}%`;
  return `${whole}%`;
}

/** Percentage points of an absolute gap between two rates. */
export function points(x: number): string {
  const p = Math.abs(x) * 100;
  return `${Number.isInteger(Math.round(p * 10) / 10) ? Math.round(p) : p.toFixed(1)} percentage points`;
}

/** The same as a limit: "10-percentage-point limit". */
export function pointLimit(x: number): string {
  return `${points(x)
    .replace(/ /g, '-')
    .replace(/points$/, 'point')} limit`;
}

/** A head count that respects the CMS cell-size rule: 1–10 is never printed. */
export function headCount(n: number): string {
  if (n >= 1 && n <= 10) return 'fewer than 11';
  return String(Math.round(n));
}

/** A metric key for people: "false_negative_rate" → "false negative rate". */
export function metricName(key: string): string {
  return key.replace(/_/g, ' ');
}

export function groupLabel(key: Record<string, string>): string {
  return Object.values(key).join(', ');
}

export function attributesLabel(attributes: readonly string[]): string {
  return attributes.join(' and ');
}

export function listLabel(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/** Whole days from `from` to `to` (ISO 8601); null when either does not parse. */
export function daysBetween(from: string, to: string): number | null {
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return (b - a) / DAY_MS;
}

const NAMED_CADENCES: Record<string, number> = {
  daily: 1,
  weekly: 7,
  fortnightly: 14,
  biweekly: 14,
  monthly: 31,
  quarterly: 92,
  'semi-annually': 183,
  semiannually: 183,
  biannually: 183,
  annually: 366,
  yearly: 366,
};
const UNIT_DAYS: Record<string, number> = {
  d: 1,
  day: 1,
  w: 7,
  week: 7,
  m: 31,
  month: 31,
  y: 366,
  year: 366,
};

/**
 * Days allowed between audits for a cadence like "monthly", "every 90 days", "3 months" or ISO "P90D";
 * null when the text cannot be read as a period. Months count 31 days and years 366 so a run on the same
 * calendar day is never overdue.
 */
export function cadenceDays(text: string): number | null {
  const t = text.trim().toLowerCase();
  const named = NAMED_CADENCES[t];
  if (named !== undefined) return named;
  const iso = /^p(\d+)([dwmy])$/.exec(t);
  const free = /^(?:every\s+)?(\d+)?\s*(day|week|month|year)s?$/.exec(t);
  const match = iso ?? free;
  if (!match) return null;
  const unit = UNIT_DAYS[match[2] ?? ''];
  const n = match[1] === undefined ? 1 : Number(match[1]);
  return unit === undefined || n <= 0 ? null : n * unit;
}
