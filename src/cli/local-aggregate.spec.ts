/**
 * `fairwatch aggregate`'s cell tables from small files whose cells are counted by hand. The values must come out
 * as the service reads them from the file (CSV text as written; Parquet by the rules for typed values), so that
 * the cell table's audit is the file's audit; test/aggregate.e2e-spec.ts checks that equality on the server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { cellTableCsv } from './cell-table';
import { LocalAggregateError, aggregateFile, csvHeader } from './local-aggregate';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fw-aggregate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function writeParquet(name: string, selectSql: string): Promise<string> {
  const path = join(dir, name);
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  await db.run(`COPY (${selectSql}) TO '${path}' (FORMAT parquet)`);
  db.closeSync();
  instance.closeSync();
  return path;
}

const ROLES = { label: 'y_true', prediction: 'y_pred', score: 'score', attrs: ['zip', 'sex'] };

describe('aggregate FILE (CSV)', () => {
  it('counts equal cells, keeps every value as written and rounds scores (semicolon file, BOM, quoted fields)', async () => {
    const csv = file(
      'semi.csv',
      '\uFEFFzip;sex;y_true;y_pred;score;ignored\n' +
        '01;F;1;1;0.1234;a\n' +
        '01;F;1;1;0.12345;b\n' + // 0.123 too: one cell of 2
        '1;F;1;1;0.1234;c\n' + // "1" is another zip than "01"
        '"02;x";;0;1.0;0.9;d\n' + // quoted delimiter; missing sex; "1.0" stays "1.0"
        ';M;0;0; 0.5 ;e\n', // missing zip; blanks around the score
    );
    expect(await csvHeader(csv)).toEqual({
      delimiter: ';',
      names: ['zip', 'sex', 'y_true', 'y_pred', 'score', 'ignored'],
    });
    const table = await aggregateFile({ ...ROLES, file: csv });
    expect(table.columns).toEqual(['zip', 'sex', 'y_true', 'y_pred', 'score']);
    expect(table.countColumn).toBe('n');
    const rows = table.cells.map((c, i) => [...c, table.counts[i]]);
    expect(rows).toEqual([
      ['01', 'F', '1', '1', '0.123', 2],
      ['02;x', '', '0', '1.0', '0.9', 1],
      ['1', 'F', '1', '1', '0.123', 1],
      ['', 'M', '0', '0', '0.5', 1],
    ]);
    expect(cellTableCsv(table)).toBe(
      'zip,sex,y_true,y_pred,score,n\n01,F,1,1,0.123,2\n02;x,,0,1.0,0.9,1\n1,F,1,1,0.123,1\n,M,0,0,0.5,1\n',
    );
  });

  it('without --score: no score column, cells of attributes, label and prediction', async () => {
    const csv = file('noscore.csv', 'zip,sex,y_true,y_pred\nA,F,1,0\nA,F,1,0\nB,M,0,0\n');
    const table = await aggregateFile({ ...ROLES, score: undefined, file: csv, scoreDecimals: 3 });
    expect(cellTableCsv(table)).toBe('zip,sex,y_true,y_pred,n\nA,F,1,0,2\nB,M,0,0,1\n');
  });

  it('stops at a score the service would refuse, naming the row and the column', async () => {
    const text = 'zip,sex,y_true,y_pred,score\nA,F,1,1,0.5\nA,F,1,1,0.25\nB,M,0,0,high\nB,M,0,0,0.1\n';
    await expect(aggregateFile({ ...ROLES, file: file('bad.csv', text) })).rejects.toThrow(
      'row 3, column "score": "high" is not a number',
    );
    const nan = 'zip,sex,y_true,y_pred,score\nA,F,1,1,0.5\nA,F,1,1,NaN\n';
    await expect(aggregateFile({ ...ROLES, file: file('nan.csv', nan) })).rejects.toThrow(
      'row 2, column "score": "NaN" is not a number',
    );
  });

  it('names a missing column and lists the columns there are', async () => {
    const csv = file('cols.csv', 'zip,gender,y_true,y_pred,score\nA,F,1,1,0.5\n');
    const run = aggregateFile({ ...ROLES, file: csv });
    await expect(run).rejects.toThrow(LocalAggregateError);
    await expect(run).rejects.toThrow(
      'has no column "sex" (its columns: zip, gender, y_true, y_pred, score)',
    );
  });

  it('reports a ragged row with its line instead of guessing', async () => {
    const csv = file('ragged.csv', 'zip,sex,y_true,y_pred,score\nA,F,1,1,0.5\nA,F,1,0.5\n');
    await expect(aggregateFile({ ...ROLES, file: csv })).rejects.toThrow(/cannot read .*Line: 3/);
  });
});

describe('aggregate FILE (Parquet)', () => {
  it('writes typed values by the service rules: numbers shortest, booleans true/false, DECIMAL as DuckDB renders it', async () => {
    const parquet = await writeParquet(
      'typed.parquet',
      `SELECT * FROM (VALUES
         (1.0::DOUBLE, 1.50::DECIMAL(4,2), true, 1::BIGINT, 0.2501::DOUBLE),
         (1.0::DOUBLE, 1.50::DECIMAL(4,2), true, 1::BIGINT, 0.2499::DOUBLE),
         (2.5::DOUBLE, NULL, false, 0::BIGINT, 0.7::DOUBLE)
       ) AS t(zip, sex, y_true, y_pred, score)`,
    );
    const table = await aggregateFile({ ...ROLES, file: parquet, scoreDecimals: 2 });
    // By hand: 0.2501 and 0.2499 both round to 0.25 → one cell of 2; 1.0 is written "1" (String(1.0)), as the
    // server's Parquet ingest writes a DOUBLE; DECIMAL 1.50 is DuckDB's text "1.50".
    expect(cellTableCsv(table)).toBe(
      'zip,sex,y_true,y_pred,score,n\n1,1.50,true,1,0.25,2\n2.5,,false,0,0.7,1\n',
    );
  });

  it('refuses a nested column and a NaN score, naming them', async () => {
    const nested = await writeParquet(
      'nested.parquet',
      `SELECT [1, 2] AS zip, 'F' AS sex, 1 AS y_true, 1 AS y_pred, 0.5 AS score`,
    );
    await expect(aggregateFile({ ...ROLES, file: nested })).rejects.toThrow(
      /column "zip" of .* has type INTEGER\[\], which an audit cannot read/,
    );
    const nan = await writeParquet(
      'nan.parquet',
      `SELECT * FROM (VALUES ('A', 'F', 1, 1, 0.5::DOUBLE), ('A', 'F', 1, 1, 'NaN'::DOUBLE)) AS t(zip, sex, y_true, y_pred, score)`,
    );
    await expect(aggregateFile({ ...ROLES, file: nan })).rejects.toThrow(
      'row 2, column "score": "nan" is not a number',
    );
  });
});
