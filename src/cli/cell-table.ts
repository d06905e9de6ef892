/**
 * A cell table in memory: one row per distinct combination of the cell columns and how many rows it stands for.
 * `fairwatch aggregate` builds one from a file, runs its post-processing steps over it (a step may replace the
 * counts, e.g. with noised ones), and writes it as the CSV that is uploaded with `config.countColumn`.
 */

export interface CellTable {
  /** The cell columns (attributes, label, prediction, score), without the count column. */
  readonly columns: readonly string[];
  /** The name of the count column, written last. */
  readonly countColumn: string;
  /** Each cell's values as the upload's text ('' for a missing value), in `columns` order. */
  readonly cells: readonly (readonly string[])[];
  /** How many rows each cell stands for, parallel to `cells`. */
  readonly counts: readonly number[];
}

/** A step between building the cell table and writing it (privacy noise is one); returns a new table. */
export type CellTableStep = (table: CellTable) => CellTable | Promise<CellTable>;

export async function applySteps(table: CellTable, steps: readonly CellTableStep[]): Promise<CellTable> {
  let current = table;
  for (const step of steps) current = await step(current);
  return current;
}

/** The total count of a cell table: the number of rows it stands for. */
export function totalCount(table: Pick<CellTable, 'counts'>): number {
  return table.counts.reduce((a, b) => a + b, 0);
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The cell table as CSV: a header row, then one line per cell; counts are written as integers. */
export function cellTableCsv(table: CellTable): string {
  const lines = [[...table.columns, table.countColumn].map(csvField).join(',')];
  table.cells.forEach((cell, i) => {
    lines.push([...cell.map(csvField), String(table.counts[i])].join(','));
  });
  return `${lines.join('\n')}\n`;
}

/**
 * The text a value of a query result stands for in the upload, by the rules the service applies to typed values
 * (Parquet, JSON; src/core/ingest/columnar-ingestor.ts): null → '' (missing), booleans "true"/"false", numbers in
 * JavaScript's shortest round-trip form, bigints in decimal, strings as they are.
 */
export function uploadText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return '';
    case 'object':
      if (value === null) return '';
      throw new TypeError('cannot write an object value into a CSV cell');
    case 'function':
    case 'symbol':
      throw new TypeError(`cannot write a ${typeof value} value into a CSV cell`);
  }
}

/**
 * A cell table from query result rows (objects keyed by column name, as `pg` returns them, or arrays in column
 * order). The count must be a non-negative integer (a bigint or a decimal string is accepted: PostgreSQL's
 * COUNT(*) is a bigint that `pg` returns as text).
 */
export function cellTableFromRows(
  columns: readonly string[],
  countColumn: string,
  rows: readonly (Readonly<Record<string, unknown>> | readonly unknown[])[],
): CellTable {
  const cells: string[][] = [];
  const counts: number[] = [];
  for (const row of rows) {
    const at = (name: string, k: number): unknown =>
      Array.isArray(row) ? row[k] : (row as Record<string, unknown>)[name];
    cells.push(columns.map((name, k) => uploadText(at(name, k))));
    const n = Number(at(countColumn, columns.length));
    if (!Number.isSafeInteger(n) || n < 0)
      throw new TypeError(`count ${String(at(countColumn, columns.length))} is not a non-negative integer`);
    counts.push(n);
  }
  return { columns, countColumn, cells, counts };
}
