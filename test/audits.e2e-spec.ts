import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { COMPAS_CSV, NYC_SQF_CSV } from './support/datasets';
import { startTestApp, type TestApp } from './support/test-app';

const FIXTURES = resolve(__dirname, 'fixtures/audits');
const SMALL_CSV = readFileSync(resolve(FIXTURES, 'small.csv'));
const SMALL_SEMICOLON = readFileSync(resolve(FIXTURES, 'small-semicolon.csv'));
const COMPAS = COMPAS_CSV;
const NYC_SQF = NYC_SQF_CSV;

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- untyped JSON response bodies */
type Json = Record<string, any>;

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** small.csv as JSON records and columns (the same 10 rows; unmapped columns left out or kept). */
function smallAsRecords(): Json[] {
  const [header, ...lines] = SMALL_CSV.toString('utf8').trim().split('\n');
  const names = (header as string).split(',');
  return lines.map((line) => {
    const cells = line.replace(/"[^"]*"/, 'quoted').split(',');
    const row: Json = {};
    names.forEach((name, i) => {
      const cell = cells[i] as string;
      row[name] = ['y_true', 'y_pred'].includes(name) ? Number(cell) : name === 'score' ? Number(cell) : cell;
    });
    return row;
  });
}

function smallAsColumns(): Record<string, unknown[]> {
  const records = smallAsRecords();
  const columns: Record<string, unknown[]> = {};
  for (const name of Object.keys(records[0] as Json)) columns[name] = records.map((r) => r[name]);
  return columns;
}

async function createModel(t: TestApp, name: string, version = '1'): Promise<string> {
  const res = await t.http.post('/v1/models').set(t.auth()).send({ name, version }).expect(201);
  return res.body.id as string;
}

function group(slice: Json, key: Record<string, string>): Json {
  const found = (slice.groups as Json[]).find((g) => JSON.stringify(g.key) === JSON.stringify(key));
  if (!found) throw new Error(`no group ${JSON.stringify(key)}`);
  return found;
}

describe('audits: submit and read (PostgreSQL)', () => {
  let t: TestApp;
  let modelId: string;

  beforeAll(async () => {
    t = await startTestApp();
    modelId = await createModel(t, 'readmission', '1.0.0');
  });
  afterAll(() => t.close());

  function upload(
    csv: Buffer | string,
    config: object,
    opts: { configFirst?: boolean; model?: string; key?: string; filename?: string } = {},
  ) {
    let req = t.http.post(`/v1/models/${opts.model ?? modelId}/audits`).set(t.auth());
    if (opts.key) req = req.set('Idempotency-Key', opts.key);
    const file = Buffer.isBuffer(csv) ? csv : Buffer.from(csv);
    const name = opts.filename ?? 'data.csv';
    return opts.configFirst === false
      ? req.attach('file', file, name).field('config', JSON.stringify(config))
      : req.field('config', JSON.stringify(config)).attach('file', file, name);
  }

  async function metrics(auditId: string, query = ''): Promise<Json> {
    const res = await t.http.get(`/v1/audits/${auditId}/metrics${query}`).set(t.auth()).expect(200);
    return res.body as Json;
  }

  describe('the small hand-checked file', () => {
    /*
     * small.csv (y_true, y_pred, score, race, sex):
     *   race A: (1,1,.9,F) (1,0,.4,M) (0,1,.7,F) (0,0,.2,M) (1,1,.8,M) (0,0,.1,F)  → TP 2, FN 1, FP 1, TN 2
     *   race B: (1,0,.3,F) (1,0,.45,M) (0,1,.6,F) (0,0,.35,M)                       → TP 0, FN 2, FP 1, TN 1
     * overall: n 10, selection (2+2)/10 = .4, base rate 5/10 = .5;
     *   AUC: positives .9 .4 .8 .3 .45 vs negatives .7 .2 .1 .6 .35 → 5+3+5+2+3 = 18 of 25 pairs = .72
     * race (reference = largest = A): selection A 3/6 = .5, B 1/4 = .25 → DP difference .25, ratio .5,
     *   B impact ratio .25/.5 = .5; FPR A 1/3, B 1/2 → B − A = 1/6; TPR A 2/3, B 0 → −2/3.
     * sex F (A1 A3 A6 B1 B3): TP 1 FN 1 FP 2 TN 1 → selection 3/5; sex M: TP 1 FN 2 FP 0 TN 2 → 1/5;
     *   both 5 rows: the reference (largest, ties by name) is F; M impact ratio .2/.6 = 1/3.
     */
    let audit: Json;

    beforeAll(async () => {
      const res = await upload(SMALL_CSV, {
        sensitiveAttributes: ['race', 'sex'],
        intersections: [['race', 'sex']],
        name: 'Q1 readmissions',
        notes: 'first look',
        periodStart: '2025-01-01',
        periodEnd: '2025-03-31',
      });
      expect([res.status, res.body.title]).toEqual([201, undefined]);
      audit = res.body as Json;
    });

    it('answers 201 with the audit: provenance, config with defaults, columns used, summary', () => {
      expect(audit).toMatchObject({
        modelId,
        rowCount: 10,
        skippedRows: 0,
        firstSkippedRows: [],
        dataSha256: sha256(SMALL_CSV),
        name: 'Q1 readmissions',
        notes: 'first look',
        periodStart: '2025-01-01T00:00:00.000Z',
        periodEnd: '2025-03-31T00:00:00.000Z',
        columnsUsed: { label: 'y_true', prediction: 'y_pred', score: 'score', attributes: ['race', 'sex'] },
        config: {
          threshold: 0.5,
          positiveLabel: 1,
          favorableOutcome: 'positive',
          minGroupSize: 30,
          onInvalidRow: 'reject',
          reference: { strategy: 'largest' },
        },
      });
      expect(audit.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(audit.createdAt)).not.toBeNaN();
    });

    it('summarises at a glance: overall rates, references, worst disparities, flags', () => {
      const s = audit.summary as Json;
      expect(s.overall).toEqual({ count: 10, selection_rate: 0.4, base_rate: 0.5, roc_auc: 0.72 });
      expect(s.labelFree).toBe(false);
      const race = (s.slices as Json[])[0] as Json;
      expect(race.attributes).toEqual(['race']);
      expect(race.reference).toEqual({ race: 'A' });
      expect(race.groupCount).toBe(2);
      expect(race.warnings).toEqual([]);
      expect(race.demographic_parity_difference).toBeCloseTo(0.25, 12);
      expect(race.demographic_parity_ratio).toBeCloseTo(0.5, 12);
      expect(race.lowestImpactRatio).toEqual({ key: { race: 'B' }, value: 0.5 });
      expect(race.largestFalsePositiveRateGap.key).toEqual({ race: 'B' });
      expect(race.largestFalsePositiveRateGap.difference).toBeCloseTo(1 / 6, 12);
      expect(race.largestTruePositiveRateGap.difference).toBeCloseTo(-2 / 3, 12);
      // Every group has fewer than minGroupSize (30) rows.
      expect((race.flagged as Json[]).map((f) => f.key.race)).toEqual(['A', 'B']);
      expect(race.flagged[0].flags).toContain('insufficient_sample');
      const sex = (s.slices as Json[])[1] as Json;
      expect(sex.reference).toEqual({ sex: 'F' });
      expect(sex.lowestImpactRatio.key).toEqual({ sex: 'M' });
      expect(sex.lowestImpactRatio.value).toBeCloseTo(1 / 3, 12);
      expect((s.slices as Json[])[2]?.attributes).toEqual(['race', 'sex']);
    });

    it('GET /v1/audits/{id} returns the same audit', async () => {
      const res = await t.http.get(`/v1/audits/${audit.id}`).set(t.auth()).expect(200);
      expect(res.body).toEqual(audit);
    });

    it('GET metrics returns the contract shape with hand-checked values', async () => {
      const m = await metrics(audit.id as string);
      expect(m.auditId).toBe(audit.id);
      expect(m.overall.count).toBe(10);
      expect(m.overall.metrics.selection_rate.value).toBeCloseTo(0.4, 12);
      expect(m.overall.metrics.roc_auc.value).toBeCloseTo(0.72, 12);
      expect((m.slices as Json[]).map((s) => s.attributes)).toEqual([['race'], ['sex'], ['race', 'sex']]);
      const race = (m.slices as Json[])[0] as Json;
      const b = group(race, { race: 'B' });
      expect(b.count).toBe(4);
      expect(b.metrics.selection_rate.value).toBeCloseTo(0.25, 12);
      expect(b.metrics.false_positive_rate.value).toBeCloseTo(0.5, 12);
      expect(b.metrics.true_positive_rate.value).toBe(0);
      // B has no predicted positives among label-1 rows but one predicted positive: PPV = 0/1.
      expect(b.metrics.positive_predictive_value.value).toBe(0);
      expect(b.disparities.selection_rate.difference).toBeCloseTo(-0.25, 12);
      expect(b.disparities.selection_rate.ratio).toBeCloseTo(0.5, 12);
      expect(b.disparities.selection_rate.impactRatio).toBeCloseTo(0.5, 12);
      expect(b.disparities.false_positive_rate.difference).toBeCloseTo(1 / 6, 12);
      expect(race.summary.demographic_parity_difference).toBeCloseTo(0.25, 12);
      expect(race.summary.impact_ratio).toBeCloseTo(0.5, 12);
      // Intersection race × sex: A×F = rows (1,1) (0,1) (0,0) → selection 2/3.
      const inter = (m.slices as Json[])[2] as Json;
      expect(group(inter, { race: 'A', sex: 'F' }).metrics.selection_rate.value).toBeCloseTo(2 / 3, 12);
      expect(m.conventions).toMatchObject({ referenceStrategy: 'largest', confidenceLevel: 0.95 });
      // Koopman's score interval of 1/4 over 3/6: Nam's (1995) closed form gives 0.082527 to 2.328385.
      expect(b.disparities.selection_rate.ratioCiLow).toBeCloseTo(0.082527, 5);
      expect(b.disparities.selection_rate.ratioCiHigh).toBeCloseTo(2.328385, 5);
      // 4 people against 6 at 50%: (0.5 − p)² = k²(p(1 − p)/4 + 0.25/6) has no root p > 0 (k² = 7.8489 makes
      // the constant 0.25 − 0.3270 negative), so no ratio below 1 is detectable with 80% power.
      expect(b.disparities.selection_rate).toHaveProperty('minDetectableRatio', null);
      expect(b.disparities.true_positive_rate).toHaveProperty('minDetectableRatio');
      expect(m.conventions).toMatchObject({
        intervals: { ratio: 'koopman', auc: 'delong-logit|newcombe-score' },
        multipleTesting: { method: 'holm', family: 'metric' },
        evidence: { alpha: 0.05, power: 0.8, method: 'two-proportion-z-unpooled' },
      });
    });

    it('filters metrics by attribute, by exact intersection, and lists the audited attributes otherwise', async () => {
      const race = await metrics(audit.id as string, '?attribute=race');
      expect((race.slices as Json[]).map((s) => s.attributes)).toEqual([['race'], ['race', 'sex']]);
      const inter = await metrics(audit.id as string, '?attribute=sex,race');
      expect((inter.slices as Json[]).map((s) => s.attributes)).toEqual([['race', 'sex']]);
      // A name listed twice is that attribute, not an intersection that happens to include it.
      expect((await metrics(audit.id as string, '?attribute=race,race')).slices).toEqual(race.slices);
      const bad = await t.http.get(`/v1/audits/${audit.id}/metrics?attribute=age`).set(t.auth()).expect(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(bad.body.detail).toBe('Not an audited attribute: "age". Audited: "race", "sex".');
      expect(bad.body.errors[0].field).toBe('attribute');
    });

    it('updates name, notes, period and documentation with PATCH, recording audit.updated', async () => {
      const viewer = await t.http
        .post('/v1/api-keys')
        .set(t.auth())
        .send({ name: 'co', role: 'compliance_officer' })
        .expect(201);
      const res = await t.http
        .patch(`/v1/audits/${audit.id}`)
        .set(t.auth(viewer.body.key as string))
        .send({
          name: 'Q1 (final)',
          notes: null,
          periodEnd: '2025-04-01T00:00:00Z',
          documentation: { dataSources: 'EHR extract' },
        })
        .expect(200);
      expect(res.body).toMatchObject({
        id: audit.id,
        name: 'Q1 (final)',
        notes: null,
        periodStart: '2025-01-01T00:00:00.000Z',
        periodEnd: '2025-04-01T00:00:00.000Z',
        documentation: { dataSources: 'EHR extract' },
        rowCount: 10,
        summary: audit.summary,
      });
      const events = await t.dataSource.query(
        `SELECT details FROM audit_events WHERE action = 'audit.updated' AND object_id = $1`,
        [audit.id],
      );
      expect(events).toEqual([
        { details: { fields: ['name', 'notes', 'periodEnd', 'documentation.dataSources'] } },
      ]);
      const backwards = await t.http
        .patch(`/v1/audits/${audit.id}`)
        .set(t.auth())
        .send({ periodStart: '2026-01-01' })
        .expect(400);
      expect(backwards.body.errors).toEqual([
        { field: 'periodEnd', message: 'periodEnd must not be before periodStart' },
      ]);
      const unknown = await t.http
        .patch(`/v1/audits/${audit.id}`)
        .set(t.auth())
        .send({ rowCount: 5 })
        .expect(400);
      expect(unknown.body.errors).toEqual([
        { field: 'rowCount', message: 'property rowCount should not exist' },
      ]);
    });

    it('never stores an unmapped column: no marker from patient_id or free_text anywhere in the database', async () => {
      const tables: { table_name: string }[] = await t.dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      expect(tables.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(['audits', 'audit_data', 'audit_events']),
      );
      const hits: string[] = [];
      for (const { table_name } of tables) {
        const [row] = await t.dataSource.query(
          `SELECT count(*)::int AS n FROM "${table_name}" x WHERE x::text LIKE '%PATIENT-MARKER%' OR x::text LIKE '%confidential%'`,
        );
        if (row.n > 0) hits.push(table_name);
        const byteaColumns: { column_name: string }[] = await t.dataSource.query(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND data_type = 'bytea'`,
          [table_name],
        );
        for (const { column_name } of byteaColumns) {
          const [b] = await t.dataSource.query(
            `SELECT count(*)::int AS n FROM "${table_name}"
              WHERE position(convert_to('PATIENT-MARKER', 'UTF8') IN "${column_name}") > 0
                 OR position(convert_to('confidential', 'UTF8') IN "${column_name}") > 0`,
          );
          if (b.n > 0) hits.push(`${table_name}.${column_name}`);
        }
      }
      expect(hits).toEqual([]);
      // The check can fail: the stored batch does hold the mapped level names.
      const [levels] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_data WHERE audit_id = $1 AND position(convert_to('"levels":["A","B"]', 'UTF8') IN batch) > 0`,
        [audit.id],
      );
      expect(levels.n).toBe(1);
    });

    it('records one audit.submitted event with counts and the hash, never values', async () => {
      const events = await t.dataSource.query(
        `SELECT details, actor_role FROM audit_events WHERE action = 'audit.submitted' AND object_id = $1`,
        [audit.id],
      );
      expect(events).toEqual([
        {
          actor_role: 'admin',
          details: { modelId, rowCount: 10, skippedRows: 0, dataSha256: sha256(SMALL_CSV) },
        },
      ]);
      const [data] = await t.dataSource.query(`SELECT format_version FROM audit_data WHERE audit_id = $1`, [
        audit.id,
      ]);
      expect(data.format_version).toBe(1);
    });
  });

  describe('one dataset, four ways in', () => {
    it('CSV with config first or last, JSON records and JSON columns give identical results', async () => {
      const config = { sensitiveAttributes: ['race', 'sex'], intersections: [['race', 'sex']] };
      const first = await upload(SMALL_CSV, config).expect(201);
      const last = await upload(SMALL_CSV, config, { configFirst: false }).expect(201);
      const recordsBody = JSON.stringify({ config, records: smallAsRecords() });
      const records = await t.http
        .post(`/v1/models/${modelId}/audits`)
        .set(t.auth())
        .set('Content-Type', 'application/json')
        .send(recordsBody)
        .expect(201);
      const columns = await t.http
        .post(`/v1/models/${modelId}/audits`)
        .set(t.auth())
        .send({ config, columns: smallAsColumns() })
        .expect(201);
      expect(last.body.dataSha256).toBe(sha256(SMALL_CSV));
      expect(records.body.dataSha256).toBe(sha256(recordsBody));
      expect(records.body.rowCount).toBe(10);
      const results = await Promise.all(
        [first, last, records, columns].map(async (r) => {
          const m = await metrics(r.body.id as string);
          delete m.auditId;
          return m;
        }),
      );
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
      expect(results[3]).toEqual(results[0]);
      expect(columns.body.summary).toEqual(first.body.summary);
    });

    it('reads a semicolon-separated file with a BOM and CRLF the same as the comma one', async () => {
      const config = { sensitiveAttributes: ['race', 'sex'] };
      const comma = await upload(SMALL_CSV, config).expect(201);
      const semi = await upload(SMALL_SEMICOLON, config).expect(201);
      expect(semi.body.rowCount).toBe(10);
      expect(semi.body.columnsUsed).toEqual(comma.body.columnsUsed);
      const [a, b] = await Promise.all([metrics(comma.body.id as string), metrics(semi.body.id as string)]);
      expect(b.slices).toEqual(a.slices);
      expect(b.overall).toEqual(a.overall);
    });

    it('audits an attribute with a single group and flags it', async () => {
      const csv = SMALL_CSV.toString('utf8')
        .trim()
        .split('\n')
        .map((line, i) => `${line},${i === 0 ? 'site' : 'north'}`)
        .join('\n');
      const res = await upload(csv, { sensitiveAttributes: ['race', 'site'] }).expect(201);
      const site = (res.body.summary.slices as Json[])[1] as Json;
      expect(site).toMatchObject({ attributes: ['site'], groupCount: 1, warnings: ['single_group'] });
      expect(site.reference).toEqual({ site: 'north' });
      expect(site.demographic_parity_ratio).toBeNull();
      const m = await metrics(res.body.id as string, '?attribute=site');
      expect(m.slices[0].groups).toHaveLength(1);
      expect(m.slices[0].groups[0].count).toBe(10);
    });
  });

  describe('COMPAS against the published Aequitas audit', () => {
    // datasets/compas-reference.md: refs race=Caucasian, sex=Male, age_cat="25 - 45".
    let m: Json;
    let audit: Json;

    beforeAll(async () => {
      const res = await t.http
        .post(`/v1/models/${modelId}/audits`)
        .set(t.auth())
        .field(
          'config',
          JSON.stringify({
            labelColumn: 'label_value',
            predictionColumn: 'score',
            sensitiveAttributes: ['race', 'sex', 'age_cat'],
            reference: {
              strategy: 'explicit',
              groups: { race: 'Caucasian', sex: 'Male', age_cat: '25 - 45' },
            },
          }),
        )
        .attach('file', COMPAS);
      expect([res.status, res.body.detail]).toEqual([201, undefined]);
      audit = res.body as Json;
      m = await metrics(audit.id as string);
    });

    it('counts and hashes the file as Aequitas read it', () => {
      expect(audit.rowCount).toBe(7214);
      expect(audit.dataSha256).toBe(sha256(readFileSync(COMPAS)));
      // predictionColumn "score" is not also taken as the default score column.
      expect(audit.columnsUsed).toEqual({
        label: 'label_value',
        prediction: 'score',
        attributes: ['race', 'sex', 'age_cat'],
      });
      expect(m.overall.metrics.selection_rate.value).toBeCloseTo(3317 / 7214, 12);
      expect(m.overall.metrics.base_rate.value).toBeCloseTo(3251 / 7214, 12);
    });

    it('gives the published group metrics to 4 decimals', () => {
      const race = (m.slices as Json[]).find((s) => s.attributes[0] === 'race') as Json;
      expect(race.reference).toEqual({ race: 'Caucasian' });
      const aa = group(race, { race: 'African-American' });
      expect(aa.count).toBe(3696);
      expect(aa.metrics.false_positive_rate.value).toBeCloseTo(0.4485, 4);
      expect(aa.metrics.false_negative_rate.value).toBeCloseTo(0.2799, 4);
      expect(aa.metrics.selection_rate.value).toBeCloseTo(0.5882, 4);
      expect(aa.metrics.positive_predictive_value.value).toBeCloseTo(0.6297, 4);
      expect(aa.metrics.base_rate.value).toBeCloseTo(0.5143, 4);
      expect(group(race, { race: 'Asian' }).metrics.false_positive_rate.value).toBeCloseTo(0.087, 4);
      expect(group(race, { race: 'Other' }).metrics.true_positive_rate.value).toBeCloseTo(0.3233, 4);
      const sex = (m.slices as Json[]).find((s) => s.attributes[0] === 'sex') as Json;
      const female = group(sex, { sex: 'Female' });
      expect(female.count).toBe(1395);
      expect(female.metrics.positive_predictive_value.value).toBeCloseTo(0.5127, 4);
      expect(female.metrics.negative_predictive_value.value).toBeCloseTo(0.7575, 4);
      const age = (m.slices as Json[]).find((s) => s.attributes[0] === 'age_cat') as Json;
      expect(age.reference).toEqual({ age_cat: '25 - 45' });
      expect(group(age, { age_cat: 'Less than 25' }).metrics.false_positive_rate.value).toBeCloseTo(
        0.5414,
        4,
      );
    });

    it('gives the published disparities against the explicit references', () => {
      const race = (m.slices as Json[]).find((s) => s.attributes[0] === 'race') as Json;
      const aa = group(race, { race: 'African-American' });
      expect(aa.disparities.false_positive_rate.ratio).toBeCloseTo(1.912, 3);
      expect(aa.disparities.false_negative_rate.ratio).toBeCloseTo(0.586, 3);
      expect(aa.disparities.selection_rate.ratio).toBeCloseTo(1.69, 3);
      expect(group(race, { race: 'Hispanic' }).disparities.false_positive_rate.ratio).toBeCloseTo(0.916, 3);
      const sex = (m.slices as Json[]).find((s) => s.attributes[0] === 'sex') as Json;
      expect(group(sex, { sex: 'Female' }).disparities.false_discovery_rate.ratio).toBeCloseTo(1.336, 3);
      const age = (m.slices as Json[]).find((s) => s.attributes[0] === 'age_cat') as Json;
      expect(group(age, { age_cat: 'Greater than 45' }).disparities.false_negative_rate.ratio).toBeCloseTo(
        1.531,
        3,
      );
      // Fairlearn terms from the same counts: race DP diff .4571, ratio .3143, EO diff .5767.
      expect(race.summary.demographic_parity_difference).toBeCloseTo(0.4571, 4);
      expect(race.summary.demographic_parity_ratio).toBeCloseTo(0.3143, 4);
      expect(race.summary.equalized_odds_difference).toBeCloseTo(0.5767, 4);
      expect(sex.summary.demographic_parity_difference).toBeCloseTo(0.0448, 4);
    });

    it('shows the worst race disparity in the summary', () => {
      const race = (audit.summary.slices as Json[])[0] as Json;
      expect(race.reference).toEqual({ race: 'Caucasian' });
      // Largest |FPR − FPR_Caucasian|: African-American .4485 − .2345 = .2140 (Native American .1405, Asian −.1475).
      expect(race.largestFalsePositiveRateGap.key).toEqual({ race: 'African-American' });
      expect(race.largestFalsePositiveRateGap.difference).toBeCloseTo(0.214, 3);
      // Lowest selection rate over the highest: Other .2095 / Native American .6667.
      expect(race.lowestImpactRatio.key).toEqual({ race: 'Other' });
      expect(race.lowestImpactRatio.value).toBeCloseTo(0.2095 / 0.6667, 3);
    });
  });

  describe('NYC stop-question-frisk: 13 rows without a label', () => {
    // The first data row whose label_value is empty, found independently of the service.
    const lines = readFileSync(NYC_SQF, 'utf8').trim().split('\n');
    const labelIndex = (lines[0] as string).split(',').indexOf('label_value');
    const badRows = lines.flatMap((line, i) =>
      i > 0 && line.split(',')[labelIndex]?.trim() === '' ? [i] : [],
    );
    const config = {
      labelColumn: 'label_value',
      predictionColumn: 'score',
      sensitiveAttributes: ['race', 'sex'],
    };

    it('the file has 11,296 rows, 13 of them without a label', () => {
      expect(lines.length - 1).toBe(11296);
      expect(badRows).toHaveLength(13);
    });

    it('rejects the upload by default, naming the first bad row and the column', async () => {
      const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM audits`);
      const res = await t.http
        .post(`/v1/models/${modelId}/audits`)
        .set(t.auth())
        .field('config', JSON.stringify(config))
        .attach('file', NYC_SQF)
        .expect(400);
      expect(res.body.errors).toEqual([
        { row: badRows[0], column: 'label_value', message: expect.stringContaining(`row ${badRows[0]} `) },
      ]);
      expect(res.body.detail).toMatch(/missing label/);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM audits`)).toEqual(before);
    });

    it('skips and counts them with onInvalidRow "skip"', async () => {
      const res = await t.http
        .post(`/v1/models/${modelId}/audits`)
        .set(t.auth())
        .field('config', JSON.stringify({ ...config, onInvalidRow: 'skip' }))
        .attach('file', NYC_SQF)
        .expect(201);
      expect(res.body).toMatchObject({
        rowCount: 11296 - 13,
        skippedRows: 13,
        firstSkippedRows: badRows.slice(0, 10),
      });
      // Every row is predicted positive (score 1.0).
      expect(res.body.summary.overall.selection_rate).toBe(1);
    });
  });

  describe('idempotency', () => {
    const config = { sensitiveAttributes: ['race'] };

    it('a retry with the same key and request returns the first audit without a second row', async () => {
      const first = await upload(SMALL_CSV, config, { key: 'retry-1' }).expect(201);
      const again = await upload(SMALL_CSV, config, { key: 'retry-1', configFirst: false }).expect(201);
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const rows = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audits WHERE idempotency_key = 'retry-1'`,
      );
      expect(rows).toEqual([{ n: 1 }]);
      const events = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'audit.submitted' AND object_id = $1`,
        [first.body.id],
      );
      expect(events).toEqual([{ n: 1 }]);
    });

    it('the same key with a different body is a 409', async () => {
      await upload(SMALL_CSV, config, { key: 'retry-2' }).expect(201);
      const other = await upload(SMALL_CSV, { sensitiveAttributes: ['sex'] }, { key: 'retry-2' }).expect(409);
      expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(other.body.errors[0].field).toBe('Idempotency-Key');
      const otherData = await upload(SMALL_SEMICOLON, config, { key: 'retry-2' }).expect(409);
      expect(otherData.body.status).toBe(409);
    });

    it('JSON bodies: same bytes replay, different bytes conflict', async () => {
      const body = { config, columns: smallAsColumns() };
      const post = (b: object) =>
        t.http.post(`/v1/models/${modelId}/audits`).set(t.auth()).set('Idempotency-Key', 'json-1').send(b);
      const first = await post(body).expect(201);
      expect((await post(body).expect(201)).body.id).toBe(first.body.id);
      await post({ ...body, config: { ...config, minGroupSize: 5 } }).expect(409);
    });

    it('concurrent duplicates create one audit and both get it', async () => {
      const [a, b] = await Promise.all([
        upload(SMALL_CSV, config, { key: 'race-2' }),
        upload(SMALL_CSV, config, { key: 'race-2' }),
      ]);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.body.id).toBe(b.body.id);
      const rows = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audits WHERE idempotency_key = 'race-2'`,
      );
      expect(rows).toEqual([{ n: 1 }]);
    });

    it('refuses a key longer than 200 characters', async () => {
      const res = await upload(SMALL_CSV, config, { key: 'k'.repeat(201) }).expect(400);
      expect(res.body.errors[0].field).toBe('Idempotency-Key');
    });
  });

  describe('listing', () => {
    it("pages a model's audits newest first", async () => {
      const other = await createModel(t, 'listing');
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await upload(
          SMALL_CSV,
          { sensitiveAttributes: ['race'], name: `audit ${i}` },
          { model: other },
        ).expect(201);
        ids.push(res.body.id as string);
      }
      const page1 = await t.http.get(`/v1/models/${other}/audits?limit=2`).set(t.auth()).expect(200);
      expect((page1.body.items as Json[]).map((a) => a.id)).toEqual([ids[2], ids[1]]);
      expect(page1.body.items[0].name).toBe('audit 2');
      expect(typeof page1.body.nextCursor).toBe('string');
      const page2 = await t.http
        .get(`/v1/models/${other}/audits?limit=2&cursor=${page1.body.nextCursor}`)
        .set(t.auth())
        .expect(200);
      expect((page2.body.items as Json[]).map((a) => a.id)).toEqual([ids[0]]);
      expect(page2.body.nextCursor).toBeNull();
    });

    it('404s an unknown model, for listing and for submitting', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      const list = await t.http.get(`/v1/models/${unknown}/audits`).set(t.auth()).expect(404);
      expect(list.headers['content-type']).toMatch(/^application\/problem\+json/);
      await upload(SMALL_CSV, { sensitiveAttributes: ['race'] }, { model: unknown }).expect(404);
      await t.http.get(`/v1/audits/${unknown}`).set(t.auth()).expect(404);
      await t.http.get(`/v1/audits/${unknown}/metrics`).set(t.auth()).expect(404);
      await t.http.get('/v1/audits/not-a-uuid').set(t.auth()).expect(400);
    });
  });

  describe('roles and organizations', () => {
    it('a viewer reads but cannot submit; another organization sees nothing', async () => {
      const viewer = await t.http
        .post('/v1/api-keys')
        .set(t.auth())
        .send({ name: 'v', role: 'viewer' })
        .expect(201);
      const res = await upload(SMALL_CSV, { sensitiveAttributes: ['race'] }).expect(201);
      const denied = await t.http
        .post(`/v1/models/${modelId}/audits`)
        .set(t.auth(viewer.body.key as string))
        .field('config', '{"sensitiveAttributes":["race"]}')
        .attach('file', SMALL_CSV, 'data.csv')
        .expect(403);
      expect(denied.body.status).toBe(403);
      await t.http
        .get(`/v1/audits/${res.body.id}`)
        .set(t.auth(viewer.body.key as string))
        .expect(200);
      await t.http
        .patch(`/v1/audits/${res.body.id}`)
        .set(t.auth(viewer.body.key as string))
        .send({ name: 'x' })
        .expect(403);
      const org = await t.http
        .post('/v1/organizations')
        .set(t.auth())
        .send({ name: 'other-hospital' })
        .expect(201);
      const outsider = org.body.adminKey as string;
      await t.http.get(`/v1/audits/${res.body.id}`).set(t.auth(outsider)).expect(404);
      await t.http.get(`/v1/audits/${res.body.id}/metrics`).set(t.auth(outsider)).expect(404);
      await t.http.get(`/v1/models/${modelId}/audits`).set(t.auth(outsider)).expect(404);
      await t.http.patch(`/v1/audits/${res.body.id}`).set(t.auth(outsider)).send({ name: 'x' }).expect(404);
      const post = await t.http
        .post(`/v1/models/${modelId}/audits`)
        .set(t.auth(outsider))
        .field('config', '{"sensitiveAttributes":["race"]}')
        .attach('file', SMALL_CSV, 'data.csv');
      expect(post.status).toBe(404);
    });
  });

  describe('OpenAPI', () => {
    it('documents both request bodies, the responses and the metric maps', async () => {
      const doc = (await t.http.get('/openapi.json').expect(200)).body as Json;
      const post = doc.paths['/v1/models/{modelId}/audits'].post as Json;
      expect(post.operationId).toBe('submitAudit');
      expect(Object.keys(post.requestBody.content as Json).sort()).toEqual([
        'application/json',
        'multipart/form-data',
      ]);
      expect(post.requestBody.content['multipart/form-data'].schema.required).toEqual(['file', 'config']);
      expect(post.requestBody.content['application/json'].schema.oneOf).toHaveLength(2);
      expect(Object.keys(post.responses as Json)).toEqual(
        expect.arrayContaining(['201', '400', '404', '409', '413', '415']),
      );
      expect(post.parameters.map((p: Json) => p.name)).toEqual(
        expect.arrayContaining(['modelId', 'Idempotency-Key']),
      );
      const ops = ['listModelAudits', 'getAudit', 'getAuditMetrics', 'updateAudit'];
      const found = Object.values(doc.paths as Json).flatMap((methods) =>
        Object.values(methods as Json).map((op) => (op as Json).operationId as string),
      );
      expect(found).toEqual(expect.arrayContaining(ops));
      const schemas = doc.components.schemas as Json;
      expect(schemas.GroupResultDto.properties.metrics.additionalProperties).toEqual({
        $ref: '#/components/schemas/MetricValueDto',
      });
      expect(schemas.GroupResultDto.properties.disparities.additionalProperties).toEqual({
        $ref: '#/components/schemas/DisparityDto',
      });
      expect(Object.keys(schemas)).toEqual(
        expect.arrayContaining([
          'MetricsDto',
          'SliceResultDto',
          'SliceSummaryDto',
          'AuditDto',
          'AuditSummaryDto',
          'AuditConfigDto',
        ]),
      );
      const metricsOp = doc.paths['/v1/audits/{auditId}/metrics'].get as Json;
      // One schema per task: binary results (no `task` field) or regression results.
      expect(metricsOp.responses['200'].content['application/json'].schema).toEqual({
        oneOf: [
          { $ref: '#/components/schemas/MetricsDto' },
          { $ref: '#/components/schemas/RegressionMetricsDto' },
          { $ref: '#/components/schemas/MulticlassMetricsResultDto' },
        ],
      });
    });
  });
});

describe('audits on the embedded PGlite database (one session)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({}, { pglite: true });
  });
  afterAll(() => t.close());

  it('submits, replays an idempotent retry and serves the metrics', async () => {
    const modelId = await createModel(t, 'embedded');
    const post = () =>
      t.http
        .post(`/v1/models/${modelId}/audits`)
        .set(t.auth())
        .set('Idempotency-Key', 'pglite-1')
        .field('config', JSON.stringify({ sensitiveAttributes: ['race', 'sex'] }))
        .attach('file', SMALL_CSV, 'small.csv');
    const first = await post().expect(201);
    // Same hand-checked figures as on PostgreSQL (see "the small hand-checked file").
    expect(first.body.summary.overall).toEqual({
      count: 10,
      selection_rate: 0.4,
      base_rate: 0.5,
      roc_auc: 0.72,
    });
    expect((await post().expect(201)).body.id).toBe(first.body.id);
    const m = await t.http
      .get(`/v1/audits/${first.body.id}/metrics?attribute=race`)
      .set(t.auth())
      .expect(200);
    expect(group(m.body.slices[0] as Json, { race: 'B' }).metrics.selection_rate.value).toBeCloseTo(0.25, 12);
    const [data] = await t.dataSource.query(`SELECT octet_length(batch) AS n FROM audit_data`);
    expect(Number(data.n)).toBeGreaterThan(0);
  });
});
