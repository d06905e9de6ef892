/**
 * The push-down SQL against each engine's documented syntax (the pages cited in cell-table-sql.ts), with expected
 * texts written by hand from those pages, then run on a real engine (DuckDB, in process) to show the query
 * means what it says. PostgreSQL runs it in test/aggregate.e2e-spec.ts.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  CellTableSpecError,
  cellTableConfig,
  cellTableQuery,
  quoteIdentifier,
  tableNameParts,
  type CellTableSpec,
} from './cell-table-sql';

const BASE: Omit<CellTableSpec, 'dialect'> = {
  source: { table: 'analytics.scored' },
  attrs: ['race', 'sex'],
  label: 'y_true',
  prediction: 'y_pred',
  score: 'score',
};

describe('quoteIdentifier', () => {
  it('doubles an embedded double quote in PostgreSQL, DuckDB and Snowflake (their identifier syntax)', () => {
    for (const d of ['postgres', 'duckdb', 'snowflake'] as const) {
      expect(quoteIdentifier(d, 'race')).toBe('"race"');
      expect(quoteIdentifier(d, 'ethnic "group" 2')).toBe('"ethnic ""group"" 2"');
      expect(quoteIdentifier(d, 'a`b')).toBe('"a`b"');
    }
  });

  it('escapes a backtick and a backslash with a backslash in BigQuery (string-literal escapes)', () => {
    expect(quoteIdentifier('bigquery', 'race')).toBe('`race`');
    expect(quoteIdentifier('bigquery', 'a`b')).toBe('`a\\`b`');
    expect(quoteIdentifier('bigquery', 'a\\b')).toBe('`a\\\\b`');
    expect(quoteIdentifier('bigquery', 'two words "q"')).toBe('`two words "q"`');
    expect(quoteIdentifier('bigquery', 'line\nbreak')).toBe('`line\\nbreak`');
  });

  it('doubles an embedded backtick in Spark SQL (`a``b`)', () => {
    expect(quoteIdentifier('spark', 'a`b')).toBe('`a``b`');
    expect(quoteIdentifier('spark', 'a b "c"')).toBe('`a b "c"`');
  });

  it('refuses an empty name and a NUL character', () => {
    expect(() => quoteIdentifier('postgres', '')).toThrow(CellTableSpecError);
    expect(() => quoteIdentifier('spark', 'a\u0000b')).toThrow(/NUL/);
  });
});

describe('tableNameParts', () => {
  it('splits db.schema.table at the dots', () => {
    expect(tableNameParts('db.schema.table')).toEqual(['db', 'schema', 'table']);
    expect(tableNameParts('scored')).toEqual(['scored']);
    expect(tableNameParts('my-project.ml.scored')).toEqual(['my-project', 'ml', 'scored']);
  });

  it('keeps dots and doubled quotes inside a quoted part', () => {
    expect(tableNameParts('"my.schema".t')).toEqual(['my.schema', 't']);
    expect(tableNameParts('`proj.x`.ds.t')).toEqual(['proj.x', 'ds', 't']);
    expect(tableNameParts('"a""b".c')).toEqual(['a"b', 'c']);
  });

  it('refuses empty parts, an unterminated quote and text after a closing quote', () => {
    expect(() => tableNameParts('a..b')).toThrow(/empty part/);
    expect(() => tableNameParts('a.')).toThrow(/empty part/);
    expect(() => tableNameParts('"abc')).toThrow(/unterminated/);
    expect(() => tableNameParts('"a"x.b')).toThrow(/expected "\."/);
  });
});

describe('cellTableQuery', () => {
  it('PostgreSQL: quoted names, ROUND over NUMERIC, GROUP BY the expressions (not the output alias)', () => {
    expect(cellTableQuery({ ...BASE, dialect: 'postgres' })).toBe(
      [
        'SELECT "race",',
        '       "sex",',
        '       "y_true",',
        '       "y_pred",',
        '       ROUND(CAST("score" AS NUMERIC), 3) AS "score",',
        '       COUNT(*) AS "n"',
        'FROM "analytics"."scored"',
        'GROUP BY "race",',
        '         "sex",',
        '         "y_true",',
        '         "y_pred",',
        '         ROUND(CAST("score" AS NUMERIC), 3)',
        'ORDER BY "race",',
        '         "sex",',
        '         "y_true",',
        '         "y_pred",',
        '         ROUND(CAST("score" AS NUMERIC), 3)',
      ].join('\n'),
    );
  });

  it.each([
    ['duckdb', 'ROUND(CAST("score" AS DOUBLE), 2) AS "score"', 'FROM "analytics"."scored"'],
    ['snowflake', 'ROUND(CAST("score" AS DOUBLE), 2) AS "score"', 'FROM "analytics"."scored"'],
    ['bigquery', 'ROUND(CAST(`score` AS FLOAT64), 2) AS `score`', 'FROM `analytics`.`scored`'],
    ['spark', 'ROUND(CAST(`score` AS DOUBLE), 2) AS `score`', 'FROM `analytics`.`scored`'],
  ] as const)('%s: its CAST type, its quotes and --score-decimals', (dialect, select, from) => {
    const sql = cellTableQuery({ ...BASE, dialect, scoreDecimals: 2, countName: 'cell count' });
    expect(sql).toContain(select);
    expect(sql).toContain(from);
    expect(sql).toContain(
      dialect === 'bigquery' || dialect === 'spark' ? 'AS `cell count`' : 'AS "cell count"',
    );
    expect(sql).not.toMatch(/GROUP BY \d/); // no ordinals
  });

  it('without a score: no ROUND, and the config names no score column', () => {
    const spec = { ...BASE, dialect: 'postgres' as const, score: undefined };
    const sql = cellTableQuery(spec);
    expect(sql).not.toContain('ROUND');
    expect(sql).toContain('COUNT(*) AS "n"');
    expect(cellTableConfig(spec)).toEqual({
      sensitiveAttributes: ['race', 'sex'],
      labelColumn: 'y_true',
      predictionColumn: 'y_pred',
      countColumn: 'n',
    });
  });

  it('refuses a column named twice, a count name that is an input column, and decimals out of range', () => {
    expect(() => cellTableQuery({ ...BASE, dialect: 'duckdb', prediction: 'y_true' })).toThrow(/named twice/);
    expect(() => cellTableQuery({ ...BASE, dialect: 'duckdb', attrs: ['race', 'race'] })).toThrow(
      /named twice/,
    );
    expect(() => cellTableQuery({ ...BASE, dialect: 'duckdb', countName: 'sex' })).toThrow(/--count-name/);
    expect(() => cellTableQuery({ ...BASE, dialect: 'duckdb', scoreDecimals: 16 })).toThrow(/0 to 15/);
    expect(() => cellTableQuery({ ...BASE, dialect: 'duckdb', scoreDecimals: 1.5 })).toThrow(/0 to 15/);
    expect(cellTableQuery({ ...BASE, dialect: 'duckdb', scoreDecimals: 0 })).toContain(', 0)');
  });
});

describe('the DuckDB query on a real DuckDB', () => {
  let instance: DuckDBInstance;
  let db: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    db = await instance.connect();
    // Names with a quote, a space and a backtick; a NULL attribute; scores on exact ties at 3 decimals.
    await db.run(`CREATE SCHEMA "odd.schema"`);
    await db.run(
      `CREATE TABLE "odd.schema"."scored rows" ("race ""r""" VARCHAR, "se` +
        '`' +
        `x" VARCHAR, y INTEGER, p INTEGER, s DOUBLE)`,
    );
    await db.run(`INSERT INTO "odd.schema"."scored rows" VALUES
      ('A', 'F', 1, 1, 0.0045), ('A', 'F', 1, 1, 0.0051), ('A', 'F', 1, 1, 0.0049),
      ('A', 'M', 0, 1, -0.0045), (NULL, 'M', 0, 0, 0.2), (NULL, 'M', 0, 0, 0.2004), ('B', NULL, 1, 0, 0.5)`);
  });
  afterAll(() => {
    db.closeSync();
    instance.closeSync();
  });

  it('groups equal cells, keeps NULL as its own level and rounds decimal ties away from zero', async () => {
    const sql = cellTableQuery({
      dialect: 'duckdb',
      source: { table: '"odd.schema"."scored rows"' },
      attrs: ['race "r"', 'se`x'],
      label: 'y',
      prediction: 'p',
      score: 's',
    });
    const result = await db.runAndReadAll(sql);
    expect(result.columnNames()).toEqual(['race "r"', 'se`x', 'y', 'p', 's', 'n']);
    // By hand: 0.0045 → 0.005 (the decimal tie goes away from zero; half to even would give 0.004, and so would
    // the double's exact value 0.00449999…), 0.0051 → 0.005, 0.0049 → 0.005: one cell of 3; -0.0045 → -0.005;
    // 0.2 and 0.2004 → 0.2: one cell of 2 in the NULL race group.
    expect(result.getRows()).toEqual([
      ['A', 'F', 1, 1, 0.005, 3n],
      ['A', 'M', 0, 1, -0.005, 1n],
      ['B', null, 1, 0, 0.5, 1n],
      [null, 'M', 0, 0, 0.2, 2n],
    ]);
  });
});
