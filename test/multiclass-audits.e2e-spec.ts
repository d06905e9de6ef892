/**
 * Multiclass audits over HTTP on PostgreSQL: the discharge-disposition demo (test/fixtures/multiclass) sent as
 * CSV, JSON records, JSON columns and Parquet gives the same metrics, whose counts and rates equal those
 * counted here from the CSV's lines; bad input is a 400 naming row and column and stores nothing; the
 * endpoints that read binary results only (calibration, thresholds, drift, controls, reports) answer a
 * multiclass audit with a 4xx problem, never a 500.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestApp, type TestApp } from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON response bodies */
type Json = Record<string, any>;

const CSV_PATH = resolve(__dirname, 'fixtures/multiclass/discharge-disposition.csv');
const CSV = readFileSync(CSV_PATH);
const HEADER = ['y_true', 'y_pred', 'race', 'gender', 'age_group'] as const;
const ROWS = CSV.toString('utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => Object.fromEntries(line.split(',').map((v, i) => [HEADER[i], v])) as Record<string, string>);
const CLASSES = ['Home', 'Home health', 'Facility', 'Other'];
const CONFIG = {
  task: 'multiclass',
  classes: CLASSES,
  sensitiveAttributes: ['race', 'gender', 'age_group'],
  intersections: [['race', 'gender']],
};

describe('multiclass audits (PostgreSQL)', () => {
  let t: TestApp;
  let modelId: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fw-multiclass-e2e-'));
    t = await startTestApp();
    const res = await t.http
      .post('/v1/models')
      .set(t.auth())
      .send({ name: 'discharge', version: '1' })
      .expect(201);
    modelId = res.body.id as string;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const uploadCsv = (file: Buffer, config: object, filename = 'discharge.csv') =>
    t.http
      .post(`/v1/models/${modelId}/audits`)
      .set(t.auth())
      .field('config', JSON.stringify(config))
      .attach('file', file, filename);
  const uploadJson = (body: object) => t.http.post(`/v1/models/${modelId}/audits`).set(t.auth()).send(body);
  const metricsOf = async (auditId: string): Promise<Json> => {
    const res = await t.http.get(`/v1/audits/${auditId}/metrics`).set(t.auth()).expect(200);
    const { auditId: _id, ...metrics } = res.body as Json;
    return metrics;
  };
  const storedAudits = async (): Promise<number> =>
    (await t.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audits'))[0]!.n;

  let auditId: string;

  it('CSV, JSON records, JSON columns and Parquet of the same rows give the same metrics', async () => {
    const fromCsv = (await uploadCsv(CSV, CONFIG).expect(201)).body as Json;
    auditId = fromCsv.id as string;
    const records = (await uploadJson({ config: CONFIG, records: ROWS }).expect(201)).body as Json;
    const columns = Object.fromEntries(HEADER.map((h) => [h, ROWS.map((r) => r[h])]));
    const fromColumns = (await uploadJson({ config: CONFIG, columns }).expect(201)).body as Json;
    const db = await DuckDBInstance.create(':memory:');
    const duck = await db.connect();
    const path = join(dir, 'discharge.parquet');
    await duck.run(
      `COPY (SELECT * FROM read_csv('${CSV_PATH}', all_varchar = true)) TO '${path}' (FORMAT parquet)`,
    );
    duck.closeSync();
    db.closeSync();
    const fromParquet = (await uploadCsv(readFileSync(path), CONFIG, 'discharge.parquet').expect(201))
      .body as Json;

    const reference = await metricsOf(auditId);
    for (const other of [records, fromColumns, fromParquet]) {
      expect(other.rowCount).toBe(ROWS.length);
      expect(other.summary).toEqual(fromCsv.summary);
      expect(await metricsOf(other.id as string)).toEqual(reference);
    }
  });

  it('the metrics and the summary equal what is counted from the rows', async () => {
    const m = await metricsOf(auditId);
    expect(m.task).toBe('multiclass');
    expect(m.classes).toEqual(CLASSES);
    const correct = ROWS.filter((r) => r.y_true === r.y_pred).length;
    expect(m.overall.count).toBe(ROWS.length);
    expect(m.overall.metrics.accuracy).toMatchObject({ value: correct / ROWS.length, numerator: correct });
    for (const c of CLASSES) {
      const predicted = ROWS.filter((r) => r.y_pred === c).length;
      const labelled = ROWS.filter((r) => r.y_true === c);
      const hits = labelled.filter((r) => r.y_pred === c).length;
      const rates = m.overall.classes[c];
      expect(rates.selection_rate).toMatchObject({ value: predicted / ROWS.length, numerator: predicted });
      expect(rates.true_positive_rate).toMatchObject({
        value: hits / labelled.length,
        denominator: labelled.length,
      });
      expect(rates.positive_predictive_value).toMatchObject({
        value: hits / predicted,
        denominator: predicted,
      });
      expect(rates.selection_rate.ciLow).toBeLessThan(rates.selection_rate.value);
    }
    const race = m.slices.find((s: Json) => s.attributes.join() === 'race');
    const black = race.groups.find((g: Json) => g.key.race === 'AfricanAmerican');
    const blackRows = ROWS.filter((r) => r.race === 'AfricanAmerican');
    expect(black.count).toBe(blackRows.length);
    expect(black.metrics.accuracy.value).toBeCloseTo(
      blackRows.filter((r) => r.y_true === r.y_pred).length / blackRows.length,
      12,
    );
    expect(race.reference).toEqual({ race: 'Caucasian' }); // the largest group
    expect(black.disparities.classes.Facility.selection_rate.pValueAdjusted).toEqual(expect.any(Number));
    expect(m.slices.map((s: Json): unknown => s.attributes as unknown)).toEqual([
      ['race'],
      ['gender'],
      ['age_group'],
      ['race', 'gender'],
    ]);

    const audit = (await t.http.get(`/v1/audits/${auditId}`).set(t.auth()).expect(200)).body as Json;
    expect(audit.summary.task).toBe('multiclass');
    expect(audit.summary.overall).toEqual({ count: ROWS.length, accuracy: correct / ROWS.length });
    expect(audit.summary.slices[0].accuracy_difference).toBe(race.summary.accuracy_difference);
  });

  it('without config.classes the classes come from the data in natural order; label-free gives selection rates', async () => {
    const { classes: _c, ...config } = CONFIG;
    const derived = (await uploadCsv(CSV, config).expect(201)).body as Json;
    expect((await metricsOf(derived.id as string)).classes).toEqual([
      'Facility',
      'Home',
      'Home health',
      'Other',
    ]);
    const free = (await uploadCsv(CSV, { ...config, labelColumn: null }).expect(201)).body as Json;
    const m = await metricsOf(free.id as string);
    expect(m.labelFree).toBe(true);
    expect(Object.keys(m.overall.classes.Home)).toEqual(['selection_rate']);
    expect(m.overall.metrics.accuracy).toBeUndefined();
  });

  it('bad input is a 400 naming row and column, and stores nothing', async () => {
    const before = await storedAudits();
    const lines = CSV.toString('utf8').split('\n');
    lines[5] = 'Home,Hospice,Caucasian,Female,>60';
    const res = await uploadCsv(Buffer.from(lines.join('\n')), CONFIG).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors[0]).toMatchObject({ row: 5, column: 'y_pred' });
    expect(res.body.detail).toContain('"Hospice" is not one of config.classes');
    const json = await uploadJson({ config: CONFIG, records: [{ ...ROWS[0], y_true: 'Morgue' }] }).expect(
      400,
    );
    expect(json.body.errors[0]).toMatchObject({ row: 1, column: 'y_true' });
    const binaryOnly = await uploadCsv(CSV, { ...CONFIG, threshold: 0.3, scoreColumn: 'score' }).expect(400);
    expect(binaryOnly.body.errors.map((e: Json): unknown => e.field as unknown)).toEqual([
      'config.scoreColumn',
      'config.threshold',
    ]);
    const many = [
      'y_true,y_pred,race,gender,age_group',
      ...Array.from({ length: 51 }, (_, i) => `c${i},c0,A,F,<30`),
    ];
    const tooMany = await uploadCsv(Buffer.from(many.join('\n')), { ...CONFIG, classes: undefined }).expect(
      400,
    );
    expect(tooMany.body.errors[0]).toMatchObject({ row: 51, column: 'y_true' });
    expect(await storedAudits()).toBe(before);
    // Skipped rather than refused when asked: counted and listed.
    const skipped = (
      await uploadCsv(Buffer.from(lines.join('\n')), { ...CONFIG, onInvalidRow: 'skip' }).expect(201)
    ).body as Json;
    expect([skipped.rowCount, skipped.skippedRows, skipped.firstSkippedRows]).toEqual([
      ROWS.length - 1,
      1,
      [5],
    ]);
  });

  it('binary-only endpoints answer a multiclass audit with a 4xx problem; drift, controls and reports answer', async () => {
    const get = (path: string) => t.http.get(path).set(t.auth());
    for (const res of [
      await get(`/v1/audits/${auditId}/calibration`),
      await get(`/v1/audits/${auditId}/thresholds`),
    ]) {
      expect([res.status, res.headers['content-type']]).toEqual([
        422,
        expect.stringMatching(/problem\+json/),
      ]);
      expect(res.body.detail).toContain('multiclass audit');
    }
    // Drift, controls and reports handle every task (task-drift and reports-tasks e2e check their content).
    await get(`/v1/audits/${auditId}/drift?baseline=${auditId}`).expect(200);
    const controls = await get(`/v1/audits/${auditId}/controls`).expect(200);
    expect((controls.body as Json[]).length).toBeGreaterThan(0);
    await t.http.post(`/v1/audits/${auditId}/reports`).set(t.auth()).send({}).expect(201);
  });
});
