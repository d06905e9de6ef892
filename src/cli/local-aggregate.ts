/**
 * `fairwatch aggregate FILE`: the cell table of a CSV or Parquet file, built locally with DuckDB (the engine
 * the server's Parquet ingest uses) by the same query `fairwatch aggregate-sql --dialect duckdb` prints. The file
 * is streamed by DuckDB, never loaded whole; only the cell table (one row per distinct combination) reaches
 * JavaScript.
 *
 * Every value reaches the cell table as the text the service would read from the file itself, so uploading the
 * cell table with `countColumn` gives the audit of the file (scores rounded):
 * - CSV is read with every column as text (`all_varchar`): "01" stays "01", "1.0" stays "1.0", and the service
 *   reads the cell exactly as it would have read the row. The delimiter is detected from the header line by the
 *   service's own rule (comma, semicolon or tab; src/core/ingest/csv-fields.ts).
 * - Parquet values are read as typed values and written by the service's rules for typed values (uploadText);
 *   the types the service has DuckDB render as text (DECIMAL, FLOAT, dates…) are rendered by DuckDB here too.
 * - A score that is not a number (text, NaN, ±Infinity) stops the command, naming the row and the column, as the
 *   service would refuse that row.
 */
import { open } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { FieldStatus, newScannedField, scanField, scanHeaderLine } from '../core/ingest/csv-fields';
import { cellTableColumns, cellTableQuery, quoteIdentifier, type CellTableSpec } from './cell-table-sql';
import { cellTableFromRows, type CellTable } from './cell-table';

export const FILE_FORMATS = ['csv', 'parquet'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export type LocalAggregateSpec = Omit<CellTableSpec, 'dialect' | 'source'> & {
  readonly file: string;
  readonly format?: FileFormat;
};

/** A mistake in the file (a missing column, a score that is not a number): printed, exit 1. */
export class LocalAggregateError extends Error {}

/** How much of a CSV file is read to find its header line and delimiter. */
const HEADER_PROBE_BYTES = 1 << 20;
const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** The service's number syntax after blanks are stripped (src/core/ingest/cell-values.ts). */
const NUMBER_SYNTAX = String.raw`[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?`;
/** Space and tab, the blanks the service strips around a value. */
const BLANKS = 'chr(32) || chr(9)';
/** DuckDB type kinds read as JavaScript values, as the server's Parquet ingest does; others are rendered as text. */
const TYPED_KINDS =
  /^(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|DOUBLE|VARCHAR)$/;
/** Kinds with no text form the service accepts (it refuses them in a mapped column). */
const REFUSED_KINDS = /(\[\]$|^STRUCT|^MAP|^UNION|^BLOB|^BIT$|^INTERVAL)/;

export function formatOf(file: string, format: FileFormat | undefined): FileFormat {
  return format ?? (/\.parquet$/i.test(file) ? 'parquet' : 'csv');
}

/** A SQL string literal. */
const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/**
 * A CSV file's header as the service reads it (src/core/ingest/csv-ingestor.ts, with its scanner): the delimiter
 * (the candidate most frequent in the header line outside quotes) and the column names, trimmed.
 */
export async function csvHeader(file: string): Promise<{ delimiter: string; names: string[] }> {
  const handle = await open(file, 'r');
  try {
    const buf = new Uint8Array(HEADER_PROBE_BYTES);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const bytes = buf.subarray(0, bytesRead);
    const start = UTF8_BOM.every((b, i) => bytes[i] === b) ? UTF8_BOM.length : 0;
    const { delimiter } = scanHeaderLine(bytes, start);
    const names: string[] = [];
    const f = newScannedField();
    let status: FieldStatus = FieldStatus.more;
    for (let p = start; status === FieldStatus.more; p = f.next) {
      status = scanField(bytes, p, bytes.length, delimiter, true, f);
      if (status !== FieldStatus.more && status !== FieldStatus.recordEnd)
        throw new LocalAggregateError(`cannot read ${file}: its header line is not valid CSV`);
      const text = new TextDecoder().decode(bytes.subarray(f.start, f.end));
      names.push((f.escapes ? text.replaceAll('""', '"') : text).trim());
    }
    return { delimiter: String.fromCharCode(delimiter), names };
  } finally {
    await handle.close();
  }
}

async function readerSql(spec: LocalAggregateSpec, format: FileFormat): Promise<string> {
  if (format === 'parquet') return `read_parquet(${literal(spec.file)})`;
  // No sniffing: DuckDB's sniffer guesses (and gives up on a file with one ragged row); the header is read by
  // the service's rules instead and every column is text.
  const { delimiter, names } = await csvHeader(spec.file);
  const columns = names.map((n) => `${literal(n)}: 'VARCHAR'`).join(', ');
  return (
    `read_csv(${literal(spec.file)}, auto_detect = false, header = true, delim = ${literal(delimiter)}, ` +
    `quote = '"', escape = '"', columns = {${columns}})`
  );
}

/** The source columns' DuckDB types, by name. */
async function describe(
  connection: DuckDBConnection,
  reader: string,
  file: string,
): Promise<Map<string, string>> {
  const result = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}`).catch((err: unknown) => {
    throw new LocalAggregateError(`cannot read ${file}: ${duckdbReason(err)}`);
  });
  return new Map(result.getRows().map((row) => [String(row[0]), String(row[1])]));
}

/** The projection that hands each used column to the cell-table query in the form the service would read. */
function projection(names: readonly string[], types: Map<string, string>, file: string): string {
  const missing = names.filter((n) => !types.has(n));
  if (missing.length > 0)
    throw new LocalAggregateError(
      `${file} has no column ${missing.map((m) => `"${m}"`).join(', ')} (its columns: ${[...types.keys()].join(', ')})`,
    );
  return names
    .map((name) => {
      const q = quoteIdentifier('duckdb', name);
      const type = types.get(name) as string;
      if (REFUSED_KINDS.test(type))
        throw new LocalAggregateError(
          `column "${name}" of ${file} has type ${type}, which an audit cannot read`,
        );
      return TYPED_KINDS.test(type) ? q : `CAST(${q} AS VARCHAR) AS ${q}`;
    })
    .join(', ');
}

/** The first row (1-based, header excluded) whose score the service would refuse, or null. */
async function firstBadScore(
  connection: DuckDBConnection,
  reader: string,
  score: string,
): Promise<{ row: number; value: string } | null> {
  // One thread, so that row_number() follows the file's order.
  await connection.run('SET threads = 1');
  const q = quoteIdentifier('duckdb', score);
  const result = await connection.runAndReadAll(
    `SELECT rn, v FROM (SELECT row_number() OVER () AS rn, CAST(${q} AS VARCHAR) AS v FROM ${reader})
     WHERE v IS NOT NULL AND trim(v, ${BLANKS}) <> '' AND NOT regexp_full_match(trim(v, ${BLANKS}), ${literal(NUMBER_SYNTAX)})
     ORDER BY rn LIMIT 1`,
  );
  const row = result.getRows()[0];
  return row ? { row: Number(row[0]), value: String(row[1]) } : null;
}

/** The cell table of the file (see the module doc). */
export async function aggregateFile(spec: LocalAggregateSpec): Promise<CellTable> {
  const format = formatOf(spec.file, spec.format);
  const columns = cellTableColumns(spec);
  const used = columns.slice(0, -1);
  const countName = columns[columns.length - 1] as string;
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  try {
    const reader = await readerSql(spec, format);
    const types = await describe(connection, reader, spec.file);
    const relationSql = `SELECT ${projection(used, types, spec.file)} FROM ${reader}`;
    const sql = cellTableQuery({ ...spec, dialect: 'duckdb', source: { relationSql } });
    let rows: unknown[][];
    try {
      rows = (await connection.runAndReadAll(sql)).getRows();
    } catch (err) {
      // A score DuckDB cannot CAST is found and named; any other failure (a ragged row) is DuckDB's to tell.
      if (spec.score !== undefined)
        await stopAtBadScore(connection, reader, spec.score, spec.file).catch((located: unknown) => {
          if (located instanceof LocalAggregateError) throw located;
        });
      throw new LocalAggregateError(`cannot read ${spec.file}: ${duckdbReason(err)}`);
    }
    const table = cellTableFromRows(used, countName, rows);
    if (
      spec.score !== undefined &&
      table.cells.some((cell) => !Number.isFinite(Number(cell[used.length - 1])))
    )
      await stopAtBadScore(connection, reader, spec.score, spec.file);
    return table;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function stopAtBadScore(
  connection: DuckDBConnection,
  reader: string,
  score: string,
  file: string,
): Promise<void> {
  const bad = await firstBadScore(connection, reader, score);
  if (bad)
    throw new LocalAggregateError(
      `${file}: row ${bad.row}, column "${score}": ${JSON.stringify(bad.value.slice(0, 40))} is not a number`,
    );
}

/** DuckDB's message without its hints: the first line, and the second for a CSV error (what was expected). */
function duckdbReason(err: unknown): string {
  const lines = (err instanceof Error ? err.message : String(err)).split('\n');
  return (/CSV Error/.test(lines[0] ?? '') ? lines.slice(0, 2) : lines.slice(0, 1)).join('; ');
}
