/**
 * Regression audits end to end on PostgreSQL: the rows of the numpy reference (test/fixtures/regression) sent
 * as CSV, JSON records, JSON columns and Parquet give identical metrics, equal to numpy's, key by key (with
 * and without weights); POST answers 201 with a regression summary; bad values are a 400 naming the row and
 * the column and store nothing; binary-only settings are a 400; the parts that read binary results only
 * (calibration, thresholds, reports) answer a 422 problem; drift, controls, the timeline and exports of
 * the model answer 200.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import REFERENCE from './fixtures/regression/reference.json';
import { startTestApp, type TestApp } from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON response bodies */
type Json = Record<string, any>;

const rows = REFERENCE.rows;
const CONFIG = {
  task: 'regression',
  targetColumn: 'length_of_stay',
  predictionColumn: 'predicted_stay',
  sensitiveAttributes: ['race', 'sex'],
  intersections: [['sex', 'race']],
  minGroupSize: REFERENCE.minGroupSize,
};
const HEADER = 'length_of_stay,predicted_stay,race,sex,weight';

/** The reference rows as CSV; `edit` may change a row's cells (1-based data row numbers). */
function csvOf(edit: (row: number, cells: string[]) => string[] = (_, cells) => cells): string {
  const lines = rows.y.map((y, i) =>
    edit(i + 1, [String(y), String(rows.p[i]), rows.race[i]!, rows.sex[i]!, String(rows.w[i])]).join(','),
  );
  return `${HEADER}\n${lines.join('\n')}\n`;
}

const records = (): Json[] =>
  rows.y.map((y, i) => ({
    length_of_stay: y,
    predicted_stay: rows.p[i],
    race: rows.race[i],
    sex: rows.sex[i],
    weight: rows.w[i],
  }));

/** Walks expected and actual together: the same keys, numbers within 1e-12 + 1e-8 relative, the rest equal. */
function expectClose(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number' || !(Math.abs(actual - expected) <= 1e-12 + 1e-8 * Math.abs(expected)))
      throw new Error(`${path}: expected ${expected}, got ${JSON.stringify(actual)}`);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    if (actual !== expected)
      throw new Error(`${path}: expected ${String(expected)}, got ${JSON.stringify(actual)}`);
    return;
  }
  if (actual === null || typeof actual !== 'object') throw new Error(`${path}: expected an object`);
  const [a, e] = [actual as Json, expected as Json];
  expect(`${path}: ${Object.keys(a).sort().join(',')}`).toBe(`${path}: ${Object.keys(e).sort().join(',')}`);
  for (const key of Object.keys(e)) expectClose(a[key], e[key], `${path}.${key}`);
}

describe('Regression audits (PostgreSQL)', () => {
  let t: TestApp;
  let modelId: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fw-regression-e2e-'));
    t = await startTestApp();
    const res = await t.http
      .post('/v1/models')
      .set(t.auth())
      .send({ name: 'length-of-stay', version: '1' })
      .expect(201);
    modelId = res.body.id as string;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const uploadFile = (file: Buffer | string, filename: string, config: object) =>
    t.http
      .post(`/v1/models/${modelId}/audits`)
      .set(t.auth())
      .field('config', JSON.stringify(config))
      .attach('file', Buffer.from(file), filename);
  const uploadJson = (body: object) => t.http.post(`/v1/models/${modelId}/audits`).set(t.auth()).send(body);

  const metricsOf = async (auditId: string): Promise<Json> => {
    const res = await t.http.get(`/v1/audits/${auditId}/metrics`).set(t.auth()).expect(200);
    const { auditId: id, conventions, ...metrics } = res.body as Json;
    expect(id).toBe(auditId);
    expect(conventions.intervals).toEqual({
      mean: 't',
      rootMeanSquaredError: 'sqrt-of-t-interval-of-mse',
      r2: 'delta-method-t',
      difference: 'welch',
      ratio: 'delta-method-log',
    });
    return metrics;
  };

  async function counts(): Promise<{ audits: number; data: number }> {
    const [row] = await t.dataSource.query(
      'SELECT (SELECT count(*) FROM audits)::int AS audits, (SELECT count(*) FROM audit_data)::int AS data',
    );
    return row as { audits: number; data: number };
  }

  /** A problem document with this status, and nothing stored. */
  async function rejected(
    send: () => PromiseLike<{ status: number; headers: Json; body: Json }>,
    status: number,
  ) {
    const before = await counts();
    const res = await send();
    expect([res.status, res.headers['content-type']]).toEqual([
      status,
      expect.stringMatching(/^application\/problem\+json/),
    ]);
    expect(await counts()).toEqual(before);
    return res.body;
  }

  let auditId: string;

  it('CSV, JSON records, JSON columns and Parquet give the same metrics, equal to numpy key by key', async () => {
    const fromCsv = (await uploadFile(csvOf(), 'stays.csv', CONFIG).expect(201)).body as Json;
    auditId = fromCsv.id as string;
    expect(fromCsv.columnsUsed).toEqual({
      target: 'length_of_stay',
      prediction: 'predicted_stay',
      attributes: ['race', 'sex'],
    });
    const reference = REFERENCE.unweighted;
    // The summary is picked from the results: the overall values and each slice's gaps.
    expect(fromCsv.summary.task).toBe('regression');
    expect(fromCsv.summary.overall.count).toBe(rows.y.length);
    expect(fromCsv.summary.overall.mean_absolute_error).toBeCloseTo(
      reference.overall.metrics.mean_absolute_error.value,
      12,
    );
    expect(fromCsv.summary.slices[0].worst_group_root_mean_squared_error).toBeCloseTo(
      reference.slices[0]!.summary.worst_group_root_mean_squared_error,
      12,
    );
    const csvMetrics = await metricsOf(auditId);
    expectClose(csvMetrics, reference);

    const fromRecords = (await uploadJson({ config: CONFIG, records: records() }).expect(201)).body as Json;
    const columns = Object.fromEntries(
      Object.keys(records()[0]!).map((name) => [name, records().map((r): unknown => r[name])]),
    );
    const fromColumns = (await uploadJson({ config: CONFIG, columns }).expect(201)).body as Json;
    const csvPath = join(dir, 'stays.csv');
    const parquetPath = join(dir, 'stays.parquet');
    writeFileSync(csvPath, csvOf());
    const db = await DuckDBInstance.create(':memory:');
    const duck = await db.connect();
    await duck.run(`COPY (SELECT * FROM read_csv('${csvPath}')) TO '${parquetPath}' (FORMAT parquet)`);
    duck.closeSync();
    db.closeSync();
    const fromParquet = (await uploadFile(readFileSync(parquetPath), 'stays.parquet', CONFIG).expect(201))
      .body as Json;
    for (const other of [fromRecords, fromColumns, fromParquet]) {
      expect(other.summary).toEqual(fromCsv.summary);
      expect(await metricsOf(other.id as string)).toEqual(csvMetrics);
    }
  });

  it('with weightColumn, equal to numpy with sampling weights', async () => {
    const res = await uploadFile(csvOf(), 'stays.csv', { ...CONFIG, weightColumn: 'weight' }).expect(201);
    expectClose(await metricsOf(res.body.id as string), REFERENCE.weighted);
  });

  it('with countColumn, equal to numpy on the expanded rows (a row stands for its count of people)', async () => {
    const counted = csvOf((row, cells) => [...cells, String(rows.counts[row - 1])]).replace(
      HEADER,
      `${HEADER},n`,
    );
    const res = await uploadFile(counted, 'cells.csv', { ...CONFIG, countColumn: 'n' }).expect(201);
    expect(res.body.rowCount).toBe(rows.counts.reduce((a, b) => a + b, 0));
    expectClose(await metricsOf(res.body.id as string), REFERENCE.counted);
  });

  it('a non-numeric, missing or infinite value is a 400 naming the row and column; skip leaves it out', async () => {
    const bad = (row: number, column: 0 | 1, value: string) =>
      csvOf((r, cells) => (r === row ? cells.map((c, k) => (k === column ? value : c)) : cells));
    const text = await rejected(() => uploadFile(bad(17, 0, 'three'), 'bad.csv', CONFIG), 400);
    expect(text.errors).toEqual([
      {
        row: 17,
        column: 'length_of_stay',
        message: 'row 17 (line 18), column "length_of_stay": target "three" is not a finite number',
      },
    ]);
    const missing = await rejected(() => uploadFile(bad(5, 1, ''), 'bad.csv', CONFIG), 400);
    expect(missing.errors[0]).toMatchObject({ row: 5, column: 'predicted_stay' });
    expect(missing.errors[0].message).toMatch(/missing prediction/);
    const infinite = await rejected(() => uploadFile(bad(9, 1, '1e999'), 'bad.csv', CONFIG), 400);
    expect(infinite.errors[0]).toMatchObject({ row: 9, column: 'predicted_stay' });
    const json = records();
    json[3]!.length_of_stay = 'long';
    const fromJson = await rejected(() => uploadJson({ config: CONFIG, records: json }), 400);
    expect(fromJson.errors[0]).toMatchObject({ row: 4, column: 'length_of_stay' });

    const skipped = await uploadFile(bad(17, 0, 'three'), 'bad.csv', {
      ...CONFIG,
      onInvalidRow: 'skip',
    }).expect(201);
    expect([skipped.body.rowCount, skipped.body.skippedRows, skipped.body.firstSkippedRows]).toEqual([
      rows.y.length - 1,
      1,
      [17],
    ]);
  });

  it('binary-only settings and a missing target column are a 400 naming the field', async () => {
    const settings = await rejected(
      () => uploadFile(csvOf(), 'stays.csv', { ...CONFIG, threshold: 0.5, scoreColumn: 'predicted_stay' }),
      400,
    );
    expect((settings.errors as { field?: string }[]).map((e) => e.field)).toEqual(
      expect.arrayContaining(['config.threshold', 'config.scoreColumn']),
    );
    const noTarget = await rejected(
      () => uploadFile(csvOf(), 'stays.csv', { ...CONFIG, targetColumn: 'stay' }),
      400,
    );
    expect(noTarget.errors[0]).toMatchObject({ field: 'config.targetColumn', column: 'stay' });
    const { targetColumn: _none, ...withoutTarget } = CONFIG;
    const noDefault = await rejected(() => uploadFile(csvOf(), 'stays.csv', withoutTarget), 400);
    expect(noDefault.errors[0].field).toBe('config.targetColumn');
    // The default name: a "y_true" column is the target when targetColumn is left out.
    const renamed = csvOf().replace('length_of_stay', 'y_true');
    const defaulted = await uploadFile(renamed, 'stays.csv', withoutTarget).expect(201);
    expect(defaulted.body.columnsUsed.target).toBe('y_true');
    expect(defaulted.body.summary.overall.r2).toBeCloseTo(REFERENCE.unweighted.overall.metrics.r2.value, 12);
  });

  it("the length-of-stay demo (UCI diabetes, 5,000 encounters): 201, the file's own means, deciles over every row", async () => {
    const demo = readFileSync(join(__dirname, 'fixtures/regression/length_of_stay.csv'), 'utf8');
    const lines = demo
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    const mean = (k: number): number =>
      lines.reduce((sum, cells) => sum + Number(cells[k]), 0) / lines.length;
    const res = await uploadFile(demo, 'length_of_stay.csv', {
      task: 'regression',
      targetColumn: 'time_in_hospital',
      predictionColumn: 'predicted_los',
      sensitiveAttributes: ['race', 'gender', 'age_group'],
    }).expect(201);
    expect(res.body.rowCount).toBe(5000);
    expect(res.body.summary.overall.mean_target).toBeCloseTo(mean(0), 10);
    expect(res.body.summary.overall.mean_prediction).toBeCloseTo(mean(1), 10);
    const metrics = await metricsOf(res.body.id as string);
    const deciles = metrics.overall.predictionDeciles as Json[];
    expect(deciles.map((d): unknown => d.decile)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(deciles.reduce((n, d) => n + (d.count as number), 0)).toBe(5000);
    const race = (metrics.slices as Json[]).find((s) => s.attributes.join() === 'race')!;
    expect(race.reference).toEqual({ race: 'Caucasian' });
  });

  it('binary-only parts answer 422 problems on a regression audit; drift, controls, reports, timeline and exports answer', async () => {
    // drift and controls handle every task (test/task-drift.e2e-spec.ts checks their values)
    await t.http.get(`/v1/audits/${auditId}/drift`).set(t.auth()).expect(200);
    await t.http.get(`/v1/audits/${auditId}/controls`).set(t.auth()).expect(200);
    const gets = [`/v1/audits/${auditId}/calibration`, `/v1/audits/${auditId}/thresholds`];
    for (const path of gets) {
      const res = await t.http.get(path).set(t.auth());
      expect([path, res.status, res.headers['content-type']]).toEqual([
        path,
        422,
        expect.stringMatching(/^application\/problem\+json/),
      ]);
      expect(res.body.detail).toMatch(/available for binary audits only; this is a regression audit/);
    }
    // Reports handle every task (test/reports-tasks.e2e-spec.ts checks their content).
    await t.http.post(`/v1/audits/${auditId}/reports`).set(t.auth()).send({}).expect(201);
    // The timeline of a binary metric: the regression audits are on it, without values for it (never a 500).
    const timeline = await t.http.get(`/v1/models/${modelId}/timeline?attribute=race`).set(t.auth());
    expect(timeline.status).toBe(200);
    await t.http.get(`/v1/models/${modelId}/exports/hti-1`).set(t.auth()).expect(200);
    // The results are stored flat for timelines too: one row per group and metric.
    const [stored] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_metric_values WHERE audit_id = $1 AND metric = 'r2'`,
      [auditId],
    );
    expect(stored.n).toBe(REFERENCE.unweighted.slices.reduce((n, s) => n + s.groups.length, 0));
  });
});
