/**
 * The push-down query of `fairwatch aggregate-sql`: one SELECT … GROUP BY whose result is a cell table (one row
 * per distinct combination of the attributes, label, prediction and rounded score, with `n` = COUNT(*)). The
 * result uploads as it is with `config.countColumn: "n"`, and the audit equals the audit of the table's rows
 * (with the scores rounded). Pure functions: nothing here talks to a database.
 *
 * Per dialect (the documentation each choice follows):
 * - Quoting. PostgreSQL, DuckDB and Snowflake delimit identifiers with double quotes and write an embedded double
 *   quote twice (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS,
 *   https://duckdb.org/docs/sql/dialect/keywords_and_identifiers,
 *   https://docs.snowflake.com/en/sql-reference/identifiers-syntax#double-quoted-identifiers). BigQuery quotes
 *   with backticks, inside which "the same escape sequences as string literals" apply, so a backtick is \` and a
 *   backslash \\ (https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#quoted_identifiers).
 *   Spark SQL quotes with backticks and writes an embedded backtick twice
 *   (https://spark.apache.org/docs/latest/sql-ref-identifier.html).
 * - Case. A quoted name is used exactly as written. PostgreSQL folds unquoted names to lower case and Snowflake to
 *   UPPER case, so give the names as the catalog stores them (Snowflake: usually `--label Y_TRUE`). BigQuery and
 *   Spark column names are case-insensitive, quoted or not.
 * - Rounding. PostgreSQL has no round(double precision, int), only round(numeric, int), which breaks ties away
 *   from zero (https://www.postgresql.org/docs/current/functions-math.html); the score is CAST to NUMERIC first
 *   (a double becomes its 15-significant-digit decimal, so 0.1235 rounds to 0.124). BigQuery's ROUND on FLOAT64
 *   "rounds halfway cases away from zero"
 *   (https://cloud.google.com/bigquery/docs/reference/standard-sql/mathematical_functions#round). Snowflake's
 *   ROUND defaults to HALF_AWAY_FROM_ZERO; on FLOAT it works on the binary value, so a tie written in decimal may
 *   go either way (https://docs.snowflake.com/en/sql-reference/functions/round). Spark's round is HALF_UP, i.e.
 *   away from zero (bround is the banker's one) (https://spark.apache.org/docs/latest/api/sql/#round). DuckDB's
 *   round(DOUBLE, s) (https://duckdb.org/docs/sql/functions/numeric) sends a tie as written in decimal away from
 *   zero: measured 0.0045 → 0.005, 1.0005 → 1.001, 2.675 → 2.68 although each double lies just below its tie
 *   (cell-table-sql.spec.ts runs it).
 *   None of them rounds half to even by default. The audit is that of the rounded scores, whatever the engine.
 * - Grouping. GROUP BY repeats the SELECT expressions instead of naming output columns or using ordinals:
 *   ordinals are not standard SQL, and in PostgreSQL a GROUP BY name that is both an input column and an output
 *   alias means the input column (https://www.postgresql.org/docs/current/sql-select.html#SQL-GROUPBY), so
 *   `GROUP BY "score"` would group by the unrounded score.
 * - Missing values. GROUP BY keeps NULL as a group of its own in every engine (SQL:2016 §7.12: NULLs are "not
 *   distinct" for grouping). Written as an empty field, a NULL attribute is the service's missing level
 *   ("Unknown" by default, `config.missingTokens`).
 */

export const DIALECTS = ['postgres', 'duckdb', 'bigquery', 'snowflake', 'spark'] as const;
export type Dialect = (typeof DIALECTS)[number];

/** Scores keep this many decimals unless --score-decimals says otherwise (1,001 levels in [0, 1]). */
export const DEFAULT_SCORE_DECIMALS = 3;
/** A double carries 15–17 significant digits; more decimals than this round nothing. */
export const MAX_SCORE_DECIMALS = 15;
export const DEFAULT_COUNT_NAME = 'n';

/** Where the rows are: a table (`db.schema.table`, parts optionally quoted) or a relation written in SQL. */
export type CellTableSource = { readonly table: string } | { readonly relationSql: string };

export interface CellTableSpec {
  readonly dialect: Dialect;
  readonly source: CellTableSource;
  readonly attrs: readonly string[];
  readonly label: string;
  readonly prediction: string;
  readonly score?: string;
  readonly scoreDecimals?: number;
  readonly countName?: string;
}

/** A mistake in the names or options of a cell-table query (the CLI prints it and exits 1). */
export class CellTableSpecError extends Error {}

interface DialectRules {
  /** Quotes one identifier. */
  quote(name: string): string;
  /** The score as a number that the dialect's two-argument ROUND accepts. */
  numericScore(quoted: string): string;
}

const doubled =
  (q: string) =>
  (name: string): string =>
    q + name.split(q).join(q + q) + q;

/** BigQuery: backslash escapes, as in its string literals. */
function bigQueryQuote(name: string): string {
  const escaped = name
    .replace(/\\/g, '\\\\')
    .replace(/`/g, '\\`')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return '`' + escaped + '`';
}

const RULES: Record<Dialect, DialectRules> = {
  postgres: { quote: doubled('"'), numericScore: (s) => `CAST(${s} AS NUMERIC)` },
  duckdb: { quote: doubled('"'), numericScore: (s) => `CAST(${s} AS DOUBLE)` },
  bigquery: { quote: bigQueryQuote, numericScore: (s) => `CAST(${s} AS FLOAT64)` },
  snowflake: { quote: doubled('"'), numericScore: (s) => `CAST(${s} AS DOUBLE)` },
  spark: { quote: doubled('`'), numericScore: (s) => `CAST(${s} AS DOUBLE)` },
};

/** One identifier quoted for the dialect; refuses names no engine accepts (empty, or with a NUL character). */
export function quoteIdentifier(dialect: Dialect, name: string): string {
  if (name.length === 0) throw new CellTableSpecError('a column or table name cannot be empty');
  if (name.includes('\u0000'))
    throw new CellTableSpecError(`name ${JSON.stringify(name)} contains a NUL character`);
  return RULES[dialect].quote(name);
}

/**
 * The parts of a qualified table name: `db.schema.table` splits at the dots; a part written in double quotes or
 * backticks may hold dots (`"my.schema".t`), with the quote written twice inside it. Each part is re-quoted for
 * the dialect, so `proj-1.ds.t` works in BigQuery as `proj-1`.`ds`.`t`.
 */
export function tableNameParts(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    const q = text[i];
    let part = '';
    if (q === '"' || q === '`') {
      i++;
      for (;;) {
        if (i >= text.length) throw new CellTableSpecError(`table name ${text}: unterminated ${q}`);
        if (text[i] === q) {
          if (text[i + 1] === q) {
            part += q;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += text[i];
        i++;
      }
      if (i < text.length && text[i] !== '.')
        throw new CellTableSpecError(`table name ${text}: expected "." after a quoted part`);
    } else {
      const dot = text.indexOf('.', i);
      const end = dot === -1 ? text.length : dot;
      part = text.slice(i, end).trim();
      i = end;
    }
    if (part.length === 0)
      throw new CellTableSpecError(`table name ${JSON.stringify(text)} has an empty part`);
    parts.push(part);
    if (i >= text.length) return parts;
    i++; // the dot
  }
}

/** The columns of the cell table, in order: the attributes, label, prediction, score (if any) and the count. */
export function cellTableColumns(spec: Omit<CellTableSpec, 'dialect' | 'source'>): string[] {
  const countName = spec.countName ?? DEFAULT_COUNT_NAME;
  const columns = [
    ...spec.attrs,
    spec.label,
    spec.prediction,
    ...(spec.score !== undefined ? [spec.score] : []),
  ];
  const all = [...columns, countName];
  const seen = new Set<string>();
  for (const name of all) {
    if (name.length === 0) throw new CellTableSpecError('a column name cannot be empty');
    if (seen.has(name))
      throw new CellTableSpecError(
        name === countName
          ? `the count column "${name}" is also an input column: choose another --count-name`
          : `column "${name}" is named twice (each column plays one role)`,
      );
    seen.add(name);
  }
  return all;
}

function scoreDecimals(spec: Pick<CellTableSpec, 'scoreDecimals'>): number {
  const d = spec.scoreDecimals ?? DEFAULT_SCORE_DECIMALS;
  if (!Number.isInteger(d) || d < 0 || d > MAX_SCORE_DECIMALS)
    throw new CellTableSpecError(`--score-decimals must be an integer from 0 to ${MAX_SCORE_DECIMALS}`);
  return d;
}

/** The one SELECT that turns the source's rows into a cell table (see the module doc for each dialect's rules). */
export function cellTableQuery(spec: CellTableSpec): string {
  const rules = RULES[spec.dialect];
  const q = (name: string): string => quoteIdentifier(spec.dialect, name);
  const columns = cellTableColumns(spec);
  const decimals = scoreDecimals(spec);
  const countName = columns[columns.length - 1] as string;
  const plain = [...spec.attrs, spec.label, spec.prediction].map(q);
  const keys = [...plain];
  const select = [...plain];
  if (spec.score !== undefined) {
    const rounded = `ROUND(${rules.numericScore(q(spec.score))}, ${decimals})`;
    keys.push(rounded);
    select.push(`${rounded} AS ${q(spec.score)}`);
  }
  select.push(`COUNT(*) AS ${q(countName)}`);
  const from =
    'table' in spec.source
      ? tableNameParts(spec.source.table).map(q).join('.')
      : `(${spec.source.relationSql}) AS source_rows`;
  return [
    `SELECT ${select.join(',\n       ')}`,
    `FROM ${from}`,
    `GROUP BY ${keys.join(',\n         ')}`,
    `ORDER BY ${keys.join(',\n         ')}`,
  ].join('\n');
}

/** The audit config that reads the cell table: the same roles, and `countColumn`. */
export interface CellTableConfig {
  sensitiveAttributes: string[];
  labelColumn: string;
  predictionColumn: string;
  scoreColumn?: string;
  countColumn: string;
}

export function cellTableConfig(spec: Omit<CellTableSpec, 'dialect' | 'source'>): CellTableConfig {
  const columns = cellTableColumns(spec);
  return {
    sensitiveAttributes: [...spec.attrs],
    labelColumn: spec.label,
    predictionColumn: spec.prediction,
    ...(spec.score !== undefined && { scoreColumn: spec.score }),
    countColumn: columns[columns.length - 1] as string,
  };
}
