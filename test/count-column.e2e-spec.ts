/**
 * config.countColumn over HTTP on PostgreSQL: one dataset uploaded as rows and as its cell table (one row per
 * distinct attributes × label × prediction × score, with the count `n`) as CSV, JSON records and Parquet gives
 * the same metrics, calibration, thresholds and drift, every value (within 1e-12 relative: sums of scores add
 * c·s once instead of s c times; the counts and everything derived from them are identical); the audit's
 * rowCount is the people and summary.cellCount the cells. Bad counts are 400s naming row and column, in every
 * form, and store nothing. Both CSV paths run: the off-thread ingest workers and the in-thread sliced parser.
 * The tables are written by DuckDB (GROUP BY ... count(*)), independently of Fairwatch's ingest.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON response bodies */
type Json = Record<string, any>;

const CONFIG = {
  labelColumn: 'y_true',
  predictionColumn: 'y_pred',
  scoreColumn: 'score',
  sensitiveAttributes: ['race', 'sex'],
  intersections: [['race', 'sex']],
};
const COUNTED = { ...CONFIG, countColumn: 'n' };

/** 4,000 patients with many ties (scores on a 0.05 grid); `shift` moves the positives' scores (drift). */
const rowsTable = (name: string, seed: number, shift: number) => `
  CREATE TABLE ${name} AS
  SELECT (CASE WHEN h % 10 < 6 THEN 'White' WHEN h % 10 < 9 THEN 'Black' ELSE 'Asian' END) AS race,
         (CASE WHEN (h // 10) % 2 = 0 THEN 'F' ELSE 'M' END) AS sex,
         (CASE WHEN (h // 20) % 100 < 25 + 10 * (h % 3) THEN 1 ELSE 0 END) AS y_true,
         0 AS y_pred, 0.0 AS score, h
  FROM (SELECT hash(i * ${seed}) % 1000003 AS h FROM range(4000) t(i));
  UPDATE ${name} SET score = round(least(1, ((h // 7) % 70) / 100.0 + y_true * ${shift}) * 20) / 20;
  UPDATE ${name} SET y_pred = CASE WHEN score >= 0.5 THEN 1 ELSE 0 END;`;

const CELLS = (table: string) =>
  `SELECT * FROM (SELECT race, sex, y_true, y_pred, score, count(*) AS n FROM ${table} GROUP BY ALL) ORDER BY hash(race || sex || score || y_true)`;

const IGNORED = new Set(['auditId', 'id', 'baselineAuditId', 'currentAuditId', 'createdAt', 'computedAt']);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** A message names the audits compared: their ids differ between the two uploads, nothing else may. */
function withoutIds(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(UUID, '<id>') : value;
}

/** Same shape, strings (audit ids aside) and nulls; numbers within 1e-12 relative. Returns the mismatches. */
function differences(rows: unknown, cells: unknown, path = '$', out: string[] = []): string[] {
  if (typeof rows === 'number' && typeof cells === 'number') {
    const relative = rows === cells ? 0 : Math.abs(rows - cells) / Math.max(Math.abs(rows), Math.abs(cells));
    if (!(relative <= 1e-12)) out.push(`${path}: ${rows} vs ${cells}`);
  } else if (Array.isArray(rows) && Array.isArray(cells)) {
    if (rows.length !== cells.length) out.push(`${path}: ${rows.length} vs ${cells.length} items`);
    rows.forEach((v, i) => differences(v, cells[i], `${path}[${i}]`, out));
  } else if (typeof rows === 'object' && rows !== null && typeof cells === 'object' && cells !== null) {
    const keys = Object.keys(rows).filter((k) => !IGNORED.has(k));
    const other = Object.keys(cells).filter((k) => !IGNORED.has(k));
    if (keys.join() !== other.join()) out.push(`${path}: keys ${keys.join()} vs ${other.join()}`);
    for (const k of keys) differences((rows as Json)[k], (cells as Json)[k], `${path}.${k}`, out);
  } else if (withoutIds(rows) !== withoutIds(cells)) out.push(`${path}: ${String(rows)} vs ${String(cells)}`);
  return out;
}

describe.each([
  ['ingest workers', {}],
  ['in-thread sliced CSV parser', { INGEST_WORKERS: '0' }],
])('countColumn on PostgreSQL (%s)', (_, env) => {
  let t: TestApp;
  let modelId: string;
  let dir: string;
  let db: DuckDBInstance;
  let duck: DuckDBConnection;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fw-counts-e2e-'));
    db = await DuckDBInstance.create(':memory:');
    duck = await db.connect();
    await duck.run(rowsTable('base', 7919, 0.3));
    await duck.run(rowsTable('cur', 104729, 0.2));
    t = await startTestApp(env);
    modelId = (
      await t.http.post('/v1/models').set(t.auth()).send({ name: 'counts', version: '1' }).expect(201)
    ).body.id as string;
  });
  afterAll(async () => {
    await t.close();
    duck.closeSync();
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  async function write(name: string, select: string): Promise<Buffer> {
    const path = join(dir, name);
    await duck.run(`COPY (${select}) TO '${path}' (FORMAT ${name.endsWith('.parquet') ? 'parquet' : 'csv'})`);
    return readFileSync(path);
  }

  async function records(select: string): Promise<Json[]> {
    const reader = await duck.runAndReadAll(select);
    return reader.getRowObjectsJson();
  }

  const uploadFile = (file: Buffer, filename: string, config: object) =>
    t.http
      .post(`/v1/models/${modelId}/audits`)
      .set(t.auth())
      .field('config', JSON.stringify(config))
      .attach('file', file, filename);

  const get = async (path: string): Promise<Json> =>
    (await t.http.get(path).set(t.auth()).expect(200)).body as Json;

  /** Metrics, calibration and thresholds of an audit. */
  const views = async (id: string) => ({
    metrics: await get(`/v1/audits/${id}/metrics`),
    calibration: await get(`/v1/audits/${id}/calibration`),
    thresholds: await get(`/v1/audits/${id}/thresholds`),
  });

  async function auditsOf(
    table: string,
  ): Promise<{ rows: Json; cells: Json[]; people: number; cellCount: number }> {
    const rows = (
      await uploadFile(
        await write(`${table}.csv`, `SELECT * EXCLUDE (h) FROM ${table}`),
        `${table}.csv`,
        CONFIG,
      ).expect(201)
    ).body as Json;
    const cellRecords = await records(CELLS(table));
    const cells = [
      (
        await uploadFile(
          await write(`${table}-cells.csv`, CELLS(table)),
          `${table}-cells.csv`,
          COUNTED,
        ).expect(201)
      ).body,
      (
        await uploadFile(
          await write(`${table}-cells.parquet`, CELLS(table)),
          `${table}-cells.parquet`,
          COUNTED,
        ).expect(201)
      ).body,
      (
        await t.http
          .post(`/v1/models/${modelId}/audits`)
          .set(t.auth())
          .send({ config: COUNTED, records: cellRecords })
          .expect(201)
      ).body,
    ] as Json[];
    return { rows, cells, people: 4000, cellCount: cellRecords.length };
  }

  it('rows and cell tables (CSV, Parquet, JSON records) give the same audit, metrics, calibration, thresholds and drift', async () => {
    const base = await auditsOf('base');
    const cur = await auditsOf('cur');
    expect(base.cellCount).toBeLessThan(400); // ten times fewer rows than people
    for (const side of [base, cur]) {
      expect(side.rows.rowCount).toBe(4000);
      expect(side.rows.summary.cellCount).toBeUndefined();
      const expected = await views(side.rows.id as string);
      for (const cells of side.cells) {
        expect(cells.rowCount).toBe(side.people);
        expect(cells.summary.cellCount).toBe(side.cellCount);
        expect(cells.columnsUsed.count).toBe('n');
        const { cellCount: _cells, ...summary } = cells.summary as Json;
        expect(differences(side.rows.summary, summary)).toEqual([]);
        expect(differences(expected, await views(cells.id as string))).toEqual([]);
      }
    }
    const drift = (current: Json, baseline: Json) =>
      get(`/v1/audits/${current.id}/drift?baseline=${baseline.id}`);
    const expectedDrift = await drift(cur.rows, base.rows);
    expect(expectedDrift.checks.filter((c: Json) => c.statistic === 'ks').length).toBeGreaterThan(3);
    for (let k = 0; k < 3; k++) {
      expect(differences(expectedDrift, await drift(cur.cells[k]!, base.cells[k]!))).toEqual([]);
    }
    // A cell table against a baseline of rows, and rows against a baseline cell table.
    expect(differences(expectedDrift, await drift(cur.cells[0]!, base.rows))).toEqual([]);
    expect(differences(expectedDrift, await drift(cur.rows, base.cells[1]!))).toEqual([]);
  });

  async function storedAudits(): Promise<number> {
    const [row] = await t.dataSource.query('SELECT count(*)::int AS n FROM audits');
    return (row as { n: number }).n;
  }

  it.each([
    ['-1', '"-1" is not a whole number ≥ 0'],
    ['2.5', '"2.5" is not a whole number ≥ 0'],
    ['x', '"x" is not a whole number ≥ 0'],
    ['', 'missing count'],
  ])('a CSV count %p is a 400 naming row and column, and stores nothing', async (value, problem) => {
    const before = await storedAudits();
    const csv = `race,sex,y_true,y_pred,score,n\nWhite,F,1,1,0.9,3\nBlack,M,0,1,0.7,${value}\n`;
    const res = await uploadFile(Buffer.from(csv), 'cells.csv', COUNTED).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([
      {
        row: 2,
        column: 'n',
        message: `row 2 (line 3), column "n": ${problem.startsWith('"') ? `count ${problem}` : problem}`,
      },
    ]);
    expect(await storedAudits()).toBe(before);
  });

  it('bad counts in JSON and Parquet are 400s naming row and column', async () => {
    const before = await storedAudits();
    for (const n of [-1, 2.5, 'x', null]) {
      const res = await t.http
        .post(`/v1/models/${modelId}/audits`)
        .set(t.auth())
        .send({
          config: COUNTED,
          records: [
            { race: 'A', sex: 'F', y_true: 1, y_pred: 1, score: 0.5, n: 2 },
            { race: 'A', sex: 'F', y_true: 1, y_pred: 1, score: 0.5, n },
          ],
        })
        .expect(400);
      expect(res.body.errors[0]).toMatchObject({ row: 2, column: 'n' });
    }
    for (const n of ["'-1'", "'2.5'", "'x'", 'NULL', '-1', '2.5']) {
      const parquet = await write(
        'bad.parquet',
        `SELECT 'A' AS race, 'F' AS sex, 1 AS y_true, 1 AS y_pred, 0.5 AS score, * FROM (VALUES (${n.startsWith("'") ? "'2'" : '2'}), (${n})) v(n)`,
      );
      const res = await uploadFile(parquet, 'bad.parquet', COUNTED).expect(400);
      expect(res.body.errors[0]).toMatchObject({ row: 2, column: 'n' });
    }
    expect(await storedAudits()).toBe(before);
  });
});
