/** Plain-words formatting for check messages. */

/** 0.2134 → "21%", 0.034 → "3.4%". */
export function formatPercent(share: number): string {
  const percent = share * 100;
  return Math.abs(percent) < 10 && percent !== 0 ? `${percent.toFixed(1)}%` : `${Math.round(percent)}%`;
}

/** A rate change in percentage points: 0.052 → "5.2 points". */
export function formatPoints(change: number): string {
  return `${(Math.abs(change) * 100).toFixed(1)} points`;
}

export function formatNumber(value: number): string {
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 2);
}

export function formatPValue(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** "true_positive_rate" → "true positive rate". */
export function humanize(metric: string): string {
  return metric.replace(/_/g, ' ');
}

/** undefined → "the whole sample"; {race: "Black"} → "group Black in race"; two attributes → "group race=Black, sex=F". */
export function describeSubject(key?: Record<string, string>): string {
  if (key === undefined) return 'the whole sample';
  const entries = Object.entries(key);
  if (entries.length === 1) {
    const [attribute, level] = entries[0]!;
    return `group ${level} in ${attribute}`;
  }
  return `group ${entries.map(([attribute, level]) => `${attribute}=${level}`).join(', ')}`;
}

/** "rose from 21% to 35%", "fell from …", or "stayed at 21%". */
export function describeRateMove(baseline: number, current: number): string {
  if (formatPercent(baseline) === formatPercent(current)) return `stayed at ${formatPercent(current)}`;
  const verb = current > baseline ? 'rose' : 'fell';
  return `${verb} from ${formatPercent(baseline)} to ${formatPercent(current)}`;
}
