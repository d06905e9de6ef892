/** Plain, locale-free formatting of numbers, intervals and dates for reports (deterministic). */

export const SUPPRESSED_TEXT = 'suppressed';
export const SMALL_COUNT_TEXT = '≤10';
export const UNDEFINED_TEXT = '—';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** A count of people or rows: 1..10 is a small cell (CMS cell-size rule); 0 may be shown. */
export function isSmallCount(x: number | null | undefined): boolean {
  return x !== null && x !== undefined && Number.isFinite(x) && x > 0 && x < 10.5;
}

function groupThousands(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "12,345"; weighted (fractional) counts get one decimal. Never call it for a small cell. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return UNDEFINED_TEXT;
  if (Number.isInteger(n)) return (n < 0 ? '-' : '') + groupThousands(String(Math.abs(n)));
  const [i, d] = Math.abs(n).toFixed(1).split('.');
  return (n < 0 ? '-' : '') + groupThousands(i ?? '0') + '.' + (d ?? '0');
}

/** A count with the small-cell rule applied: "≤10" for 1..10. */
export function formatSafeCount(n: number): string {
  return isSmallCount(n) ? SMALL_COUNT_TEXT : formatCount(n);
}

export function formatNumber(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return UNDEFINED_TEXT;
  const s = v.toFixed(digits);
  return s === `-${(0).toFixed(digits)}` ? (0).toFixed(digits) : s;
}

export function formatInterval(
  lo: number | null | undefined,
  hi: number | null | undefined,
  digits = 2,
): string | null {
  if (lo === null || lo === undefined || hi === null || hi === undefined) return null;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return null;
  return `(${formatNumber(lo, digits)}–${formatNumber(hi, digits)})`;
}

/** "0.63 (0.61–0.65)". */
export function formatValueWithInterval(
  v: number | null | undefined,
  lo?: number | null,
  hi?: number | null,
  digits = 2,
): { text: string; value: string; interval: string | null } {
  const value = formatNumber(v, digits);
  const interval = value === UNDEFINED_TEXT ? null : formatInterval(lo, hi, digits);
  return { text: interval ? `${value} ${interval}` : value, value, interval };
}

/** 0.724 → "72%". */
export function formatPercent(v: number, digits = 0): string {
  return `${(v * 100).toFixed(digits)}%`;
}

export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return UNDEFINED_TEXT;
  if (p < 0.001) return '< 0.001';
  return p.toFixed(3);
}

/** A p-value after "p" in a sentence: "< 0.001" or "= 0.023". */
export function formatPRelation(p: number): string {
  return p < 0.001 ? '< 0.001' : `= ${formatPValue(p)}`;
}

/** ISO timestamp → "12 March 2026" (UTC). Invalid input is returned unchanged. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`;
}

/** ISO timestamp → "2026-03-12" (UTC). */
export function formatIsoDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().slice(0, 10);
}

/** A group key in its slice's attribute order: {race:"Black", sex:"Female"} → "Black × Female". */
export function groupLabel(key: Record<string, string>, attributes?: readonly string[]): string {
  const order = attributes && attributes.length > 0 ? attributes : Object.keys(key);
  return order.map((a) => key[a] ?? '?').join(' × ');
}

/** Stable identity of a group key, independent of property order. */
export function keyId(key: Record<string, string>): string {
  return Object.keys(key)
    .sort()
    .map((k) => `${k}=${key[k] ?? ''}`)
    .join('\u0001');
}

const METRIC_LABELS: Record<string, string> = {
  count: 'Count',
  base_rate: 'Base rate',
  selection_rate: 'Selection rate',
  true_positive_rate: 'True positive rate',
  false_positive_rate: 'False positive rate',
  true_negative_rate: 'True negative rate',
  false_negative_rate: 'False negative rate',
  positive_predictive_value: 'Positive predictive value',
  negative_predictive_value: 'Negative predictive value',
  false_discovery_rate: 'False discovery rate',
  false_omission_rate: 'False omission rate',
  accuracy: 'Accuracy',
  balanced_accuracy: 'Balanced accuracy',
  f1: 'F1 score',
  roc_auc: 'AUC',
  brier_score: 'Brier score',
  mean_score: 'Mean score',
  scoring_rate: 'Scoring rate',
  demographic_parity_difference: 'Demographic parity difference',
  demographic_parity_ratio: 'Demographic parity ratio',
  equalized_odds_difference: 'Equalized odds difference',
  equalized_odds_ratio: 'Equalized odds ratio',
  equal_opportunity_difference: 'Equal opportunity difference',
  equal_opportunity_ratio: 'Equal opportunity ratio',
  average_odds_difference: 'Average odds difference',
  impact_ratio: 'Impact ratio',
};

export function metricLabel(key: string): string {
  return METRIC_LABELS[key] ?? key.replace(/[_.]/g, ' ');
}

/**
 * Last line of defence for free text written elsewhere (control rationales, drift messages): replaces
 * numbers that read as a small count ("n = 6", "6 patients", "6 of 40", and any standalone occurrence
 * of a known small count) with "≤10". Decimals, percentages and regulation numbers are left alone.
 */
export function scrubSmallCounts(text: string, knownSmall: readonly number[] = []): string {
  let out = text.replace(/\b(n|N|count)(\s*[=:]\s*)(10|[1-9])(?![\d.,]\d|%)\b/g, `$1$2${SMALL_COUNT_TEXT}`);
  out = out.replace(/(?<![\d.,(§])\b(10|[1-9])(\s+(?:of|out of)\s+\d)/g, `${SMALL_COUNT_TEXT}$2`);
  out = out.replace(
    /(?<![\d.,(§])\b(10|[1-9])(\s+(?:rows?|records?|patients?|people|persons?|individuals?|members?|cases?|events?|positives?|negatives?|applicants?|participants?|observations?|admissions?|encounters?))\b/gi,
    `${SMALL_COUNT_TEXT}$2`,
  );
  const small = [...new Set(knownSmall.filter((k) => isSmallCount(k) && Number.isInteger(k)))];
  for (const k of small) {
    const re = new RegExp(
      `(?<![\\d.,(§\\w])(?<!Art |Article |Annex |Principles? )${k}(?![\\d%)]|\\.\\d|,\\d|\\(|-)`,
      'g',
    );
    out = out.replace(re, SMALL_COUNT_TEXT);
  }
  return out;
}
