import { isSmallCount } from '../core/reports/format';

/** Plain-text tables for the terminal: left-aligned text, right-aligned numbers, two spaces between columns. */
export interface Column<T> {
  header: string;
  value: (row: T) => string;
  align?: 'left' | 'right';
}

export function renderTable<T>(rows: readonly T[], columns: ReadonlyArray<Column<T>>): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => {
        const width = widths[i] ?? v.length;
        return columns[i]?.align === 'right' ? v.padStart(width) : v.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n') + '\n';
}

/** A rate or ratio with four decimals; "-" when undefined (null) or absent. */
export function num(value: number | null | undefined, digits = 4): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '-';
}

/** A count of rows or people as the CLI prints it: "<=10" for 1 to 10 (the reports' small-cell rule). */
export function safeCount(n: number): string {
  return isSmallCount(n) ? '<=10' : String(n);
}

/** A p-value: four decimals, or scientific notation below 0.0001. */
export function pValue(value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '-';
  return value !== 0 && value < 1e-4 ? value.toExponential(1) : value.toFixed(4);
}

/** {"race":"Black","sex":"Female"} → "Black × Female". */
export function groupLabel(key: Record<string, string>): string {
  return Object.values(key).join(' × ');
}
