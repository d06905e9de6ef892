/**
 * Formatting shared by the regression and multiclass sections: measures on the outcome's own scale (cost in
 * dollars, days in hospital) with as many decimals as their size needs, table cells and group rows.
 */
import type { MetricValue } from '../fairness/types';
import { SMALL_COUNT_TEXT, SUPPRESSED_TEXT, UNDEFINED_TEXT, formatCount, formatNumber } from './format';
import type { CellReason } from './task-suppression';
import type { GroupRow, TableCell } from './types';

/** Decimals for a measure of this size: 0 from 1,000, 1 from 100, else 2. */
export function measureDigits(magnitude: number): number {
  const m = Math.abs(magnitude);
  return m >= 1000 ? 0 : m >= 100 ? 1 : 2;
}

/** A measure with thousands separators: 12345.6 → "12,346" (0 decimals), −0.004 → "0.00". */
export function formatMeasure(v: number | null | undefined, digits: number): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return UNDEFINED_TEXT;
  const s = formatNumber(v, digits);
  const [int = '', dec] = s.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const grouped = int.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${dec !== undefined ? `.${dec}` : ''}`;
}

export const SUPPRESSED_CELL: TableCell = {
  text: SUPPRESSED_TEXT,
  value: SUPPRESSED_TEXT,
  interval: null,
  suppressed: true,
};
export const UNDEFINED_CELL: TableCell = {
  text: UNDEFINED_TEXT,
  value: UNDEFINED_TEXT,
  interval: null,
  suppressed: false,
};

/** "12,345 (11,020–13,670)". */
export function measureCell(
  v: number | null | undefined,
  lo: number | null | undefined,
  hi: number | null | undefined,
  digits: number,
): TableCell {
  const value = formatMeasure(v, digits);
  const interval =
    value === UNDEFINED_TEXT ||
    lo === null ||
    lo === undefined ||
    hi === null ||
    hi === undefined ||
    !Number.isFinite(lo) ||
    !Number.isFinite(hi)
      ? null
      : `(${formatMeasure(lo, digits)}–${formatMeasure(hi, digits)})`;
  return { text: interval ? `${value} ${interval}` : value, value, interval, suppressed: false };
}

/** A metric value's cell, or "suppressed" / "—". */
export function metricValueCell(m: MetricValue | undefined, digits: number, hidden: boolean): TableCell {
  if (hidden) return SUPPRESSED_CELL;
  if (!m) return UNDEFINED_CELL;
  return measureCell(m.value, m.ciLow, m.ciHigh, digits);
}

/** A group's n as printed: its count, "≤10" for 1 to 10, "suppressed" for a partner (it is not small). */
export function countText(count: number, reason: 'small_count' | 'complementary' | null): string {
  return reason === 'small_count'
    ? SMALL_COUNT_TEXT
    : reason === 'complementary'
      ? SUPPRESSED_TEXT
      : formatCount(count);
}

/** A cell's n as printed (decile cells): "≤10" for its own small count, "suppressed" otherwise when hidden. */
export function cellCountText(count: number, reason: CellReason | null): string {
  if (reason === null) return formatCount(count);
  return reason === 'small' ? SMALL_COUNT_TEXT : SUPPRESSED_TEXT;
}

/** A group row with the reference and suppressed flags, in the binary tables' words. */
export function taskRow(
  label: string,
  count: string,
  cells: TableCell[],
  opts: { reference: boolean; insufficient?: boolean },
): GroupRow {
  const flags: GroupRow['flags'] = [];
  const flagLabels: string[] = [];
  if (opts.reference) {
    flags.push('reference');
    flagLabels.push('reference');
  }
  if (opts.insufficient) {
    flags.push('insufficient');
    flagLabels.push('small sample');
  }
  if (cells.some((c) => c.suppressed) || count === SMALL_COUNT_TEXT || count === SUPPRESSED_TEXT) {
    flags.push('suppressed');
    flagLabels.push('suppressed');
  }
  return { label, count, cells, flags, flagLabels, detectable: null };
}
