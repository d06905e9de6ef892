/**
 * Drift, controls and timelines of regression audits end to end on PostgreSQL: the two samples of the numpy
 * reference (test/fixtures/task-drift) uploaded as two audits of one model; drift equals numpy/scipy, the
 * controls judge the regression with its own rules (or say not_applicable, and why), the timeline charts a
 * regression key, and an audit of another task is refused as a baseline.
 */
import REFERENCE from './fixtures/task-drift/reference.json';
import { startTestApp, type TestApp } from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON response bodies */
type Json = Record<string, any>;
const REF = REFERENCE.regression;
const CONFIG = {
  task: 'regression',
  targetColumn: 'cost',
  predictionColumn: 'predicted_cost',
  sensitiveAttributes: ['race'],
};

function csv(side: 'baseline' | 'current'): string {
  const rows = REF.rows[side] as [string, number, number][];
  return `race,cost,predicted_cost\n${rows.map(([g, y, p]) => `${g},${y},${p}`).join('\n')}\n`;
}

describe('Drift and controls of regression audits (PostgreSQL)', () => {
  let t: TestApp;
  let modelId: string;
  let baselineId: string;
  let currentId: string;

  const upload = (file: string, config: object) =>
    t.http
      .post(`/v1/models/${modelId}/audits`)
      .set(t.auth())
      .field('config', JSON.stringify(config))
      .attach('file', Buffer.from(file), 'rows.csv');

  beforeAll(async () => {
    t = await startTestApp();
    modelId = (await t.http.post('/v1/models').set(t.auth()).send({ name: 'cost', version: '1' }).expect(201))
      .body.id;
    baselineId = (await upload(csv('baseline'), { ...CONFIG, periodEnd: '2026-01-31' }).expect(201)).body.id;
    currentId = (await upload(csv('current'), { ...CONFIG, periodEnd: '2026-02-28' }).expect(201)).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const find = (checks: Json[], where: Json, group?: string): Json => {
    const found = checks.filter(
      (c) =>
        Object.entries(where).every(([k, v]) => c[k] === v) &&
        (group === undefined ? !c.key : c.key?.race === group),
    );
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  it('GET /drift compares the two regression audits; every statistic equals numpy/scipy', async () => {
    const res = await t.http.get(`/v1/audits/${currentId}/drift`).set(t.auth()).expect(200);
    const body = res.body as Json;
    expect([body.baselineAuditId, body.baselineSource, body.status]).toEqual([
      baselineId,
      'previous',
      'alert',
    ]);
    const psi = find(body.checks, { kind: 'label', metric: 'target', statistic: 'psi' });
    expect(psi.value).toBeCloseTo(REF.overall.target.psi, 10);
    const ks = find(body.checks, { kind: 'score', metric: 'prediction', statistic: 'ks' }, 'B');
    expect(ks.value).toBeCloseTo(REF.groups.B.prediction.ks, 12);
    expect(ks.pValue).toBeCloseTo(REF.groups.B.prediction.ksP, 9);
    const mae = find(body.checks, { metric: 'mean_absolute_error', statistic: 'z_test' }, 'B');
    expect(mae.value).toBeCloseTo(REF.groups.B.mean_absolute_error.z, 10);
    expect(mae.pValueAdjusted / REF.groups.B.mean_absolute_error.pAdjusted).toBeCloseTo(1, 8);
    expect(mae.status).toBe('alert');
    expect(find(body.checks, { metric: 'mean_absolute_error', statistic: 'z_test' }, 'A').status).toBe('ok');
    const ratio = find(body.checks, { kind: 'fairness', metric: 'mean_absolute_error_ratio' });
    expect(ratio.baseline).toBeCloseTo(REF.maeRatio.baseline, 10);
    expect(ratio.current).toBeCloseTo(REF.maeRatio.current, 10);
    expect(ratio.status).toBe('alert');
  });

  it('GET /controls: fairness judged with the regression rules; binary-only controls are not_applicable', async () => {
    const res = await t.http
      .get(`/v1/audits/${currentId}/controls?frameworks=hhs-1557,eeoc-ugesp,nist-ai-rmf`)
      .set(t.auth())
      .expect(200);
    const outcomes = res.body as Json[];
    const byId = (id: string) => outcomes.find((o) => o.controlId === id)!;
    // numpy: group B's mean error is −1.490, A's 0.214: 1.70 below, 228% of A's MAE (0.748), significant.
    // Its MAE (1.534) is 205% of A's, outside the band too: both findings fail, the larger one explains.
    const hhs = byId('45 CFR 92.210(a)');
    const errors = REF.groups;
    const under =
      (errors.A.mean_error.after - errors.B.mean_error.after) / errors.A.mean_absolute_error.after;
    expect(Math.round(under * 100)).toBe(228);
    expect(hhs.status).toBe('fail');
    expect(hhs.rationale).toBe(
      "For race, the group B is under-predicted relative to the reference group (A) by 228% of the reference group's mean absolute error (its mean error is 1.70 below the reference group's), at least the 20% the fairness band allows, and the difference is statistically significant: the same prediction stands for a larger outcome in this group.",
    );
    const ratio = (hhs.evidence as Json[]).find((e) => e.metric === 'mean_absolute_error.ratio')!;
    expect(ratio.value).toBeCloseTo(
      errors.B.mean_absolute_error.after / errors.A.mean_absolute_error.after,
      10,
    );
    expect(byId('29 CFR 1607.4(D)')).toMatchObject({
      status: 'not_applicable',
      rationale: expect.stringMatching(
        /defined for binary selection decisions; this audit is a regression\.$/,
      ),
    });
    expect(byId('MEASURE 2.3').status).toBe('not_applicable');
    // The baseline audit: B's MAE is 103% of A's (inside the band), but B was already under-predicted:
    // numpy, (0.243 − (−0.165)) / 0.793 = 51% of A's MAE.
    const baseline = await t.http
      .get(`/v1/audits/${baselineId}/controls?frameworks=nist-ai-rmf`)
      .set(t.auth())
      .expect(200);
    const measure = (baseline.body as Json[]).find((o) => o.controlId === 'MEASURE 2.11')!;
    const before =
      (errors.A.mean_error.before - errors.B.mean_error.before) / errors.A.mean_absolute_error.before;
    expect(measure.rationale).toMatch(
      new RegExp(
        `^For race, the group B is under-predicted relative to the reference group \\(A\\) by ${Math.round(before * 100)}%`,
      ),
    );
    const maeRatio = (measure.evidence as Json[]).find((e) => e.metric === 'mean_absolute_error.ratio')!;
    expect(maeRatio.value).toBeCloseTo(
      errors.B.mean_absolute_error.before / errors.A.mean_absolute_error.before,
      10,
    );
  });

  it('the timeline charts mean_absolute_error per group, equal to numpy', async () => {
    const res = await t.http
      .get(`/v1/models/${modelId}/timeline?metric=mean_absolute_error&attribute=race`)
      .set(t.auth())
      .expect(200);
    const points = res.body.points as Json[];
    expect(points.map((p): unknown => p.auditId)).toEqual([baselineId, currentId]);
    for (const [i, side] of (['baseline', 'current'] as const).entries()) {
      for (const g of ['A', 'B'] as const) {
        const group = points[i]!.groups.find((x: Json) => x.key.race === g);
        expect(group.value).toBeCloseTo(REF.mae[side][g], 12);
      }
    }
  });

  it('a binary audit as the baseline of a regression audit: 400 naming baseline, nothing computed', async () => {
    const binaryCsv = `race,y_true,y_pred\n${Array.from({ length: 40 }, (_, i) => `${i % 2 ? 'A' : 'B'},${i % 3 ? 1 : 0},${i % 5 ? 1 : 0}`).join('\n')}\n`;
    const binaryId = (await upload(binaryCsv, { sensitiveAttributes: ['race'] }).expect(201)).body.id;
    const res = await t.http.get(`/v1/audits/${currentId}/drift?baseline=${binaryId}`).set(t.auth());
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([
      { field: 'baseline', message: 'is a binary audit; this audit is a regression audit' },
    ]);
  });
});
