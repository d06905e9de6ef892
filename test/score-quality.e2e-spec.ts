import type { components } from '../src/client/schema';
import { mulberry32 } from '../src/core/stats';

type CalibrationGroup = components['schemas']['CalibrationOverallDto'];
type CalibrationSlice = components['schemas']['CalibrationSliceDto'];
type ThresholdGroup = components['schemas']['ThresholdGroupDto'];
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Score quality over HTTP on the real AppModule: calibration and the threshold what-if. Expected numbers come
 * from hand-written formulas over the generated rows here, and from fresh audits at each threshold, never
 * from src/core's score-quality code.
 */

interface Row {
  race: string;
  sex: string;
  score: number;
  label: number;
}

/** 3,000 rows; group B's scores understate its risk (observed > expected), as in Obermeyer et al. */
function generate(seed: number): Row[] {
  const random = mulberry32(seed);
  return Array.from({ length: 3000 }, () => {
    const u = random();
    const race = u < 0.5 ? 'A' : u < 0.8 ? 'B' : 'C';
    const sex = random() < 0.5 ? 'F' : 'M';
    const score = Number((0.02 + 0.9 * random() * random()).toFixed(4));
    const risk = race === 'B' ? Math.min(1, score * 1.6) : score;
    return { race, sex, score, label: random() < risk ? 1 : 0 };
  });
}

const csv = (rows: Row[]): string =>
  ['race,sex,score,y_true', ...rows.map((r) => `${r.race},${r.sex},${r.score},${r.label}`)].join('\n') + '\n';

describe('score quality per group (calibration and thresholds)', () => {
  let t: TestApp;
  let modelId: string;
  const rows = generate(42);

  async function submit(threshold: number, text = csv(rows), extra: object = {}): Promise<string> {
    const res = await t.http
      .post(`/v1/models/${modelId}/audits`)
      .set(t.auth())
      .field(
        'config',
        JSON.stringify({
          sensitiveAttributes: ['race', 'sex'],
          intersections: [['race', 'sex']],
          threshold,
          ...extra,
        }),
      )
      .attach('file', Buffer.from(text), 'scores.csv');
    expect([res.status, res.body.detail]).toEqual([201, undefined]);
    return res.body.id as string;
  }

  beforeAll(async () => {
    t = await startTestApp();
    modelId = (await t.http.post('/v1/models').set(t.auth()).send({ name: 'sq', version: '1' }).expect(201))
      .body.id;
  });
  afterAll(() => t?.close());

  it('GET /calibration: Brier, ECE, O/E and the reliability curve per group equal hand computation', async () => {
    const auditId = await submit(0.3);
    const res = await t.http.get(`/v1/audits/${auditId}/calibration`).set(t.auth()).expect(200);
    expect(res.body.bins).toBe(10);
    const check = (group: Row[], got: CalibrationGroup) => {
      const n = group.length;
      const O = group.reduce((s, r) => s + r.label, 0);
      const E = group.reduce((s, r) => s + r.score, 0);
      expect(got.count).toBe(n);
      expect(got.metrics.brier_score).toBeCloseTo(
        group.reduce((s, r) => s + (r.score - r.label) ** 2, 0) / n,
        12,
      );
      expect(got.metrics.observed_expected_ratio.value).toBeCloseTo(O / E, 12);
      expect(got.metrics.observed_expected_ratio.ciLow).toBeCloseTo(
        Math.exp(Math.log(O / E) - 1.959963984540054 / Math.sqrt(O)),
        10,
      );
      let ece = 0;
      for (let b = 0; b < 10; b++) {
        const bin = group.filter((r) => Math.min(Math.floor(r.score * 10), 9) === b);
        expect(got.curve[b]!.count).toBe(bin.length);
        if (bin.length === 0) continue;
        const rate = bin.reduce((s, r) => s + r.label, 0) / bin.length;
        const mean = bin.reduce((s, r) => s + r.score, 0) / bin.length;
        expect(got.curve[b]!.observedRate).toBeCloseTo(rate, 12);
        expect(got.curve[b]!.meanScore).toBeCloseTo(mean, 12);
        expect(got.curve[b]!.ciLow).toBeLessThanOrEqual(rate);
        expect(got.curve[b]!.ciHigh).toBeGreaterThanOrEqual(rate);
        ece += (bin.length / n) * Math.abs(rate - mean);
      }
      expect(got.metrics.expected_calibration_error).toBeCloseTo(ece, 12);
    };
    check(rows, res.body.overall);
    const slices = res.body.slices as CalibrationSlice[];
    const race = slices.find((s) => s.attributes.join() === 'race')!;
    for (const g of race.groups)
      check(
        rows.filter((r) => r.race === g.key.race),
        g,
      );
    const byRace = Object.fromEntries(race.groups.map((g) => [g.key.race, g.metrics]));
    // Group B's risk is understated: O/E well above 1 with an interval excluding 1; A is calibrated.
    expect(byRace.B.observed_expected_ratio.ciLow).toBeGreaterThan(1.2);
    expect(byRace.A.observed_expected_ratio.ciLow).toBeLessThan(1);
    expect(byRace.A.observed_expected_ratio.ciHigh).toBeGreaterThan(1);
    expect(byRace.A.calibration_slope.ciLow).toBeLessThan(1);
    expect(byRace.A.calibration_slope.ciHigh).toBeGreaterThan(1);
    const cross = slices.find((s) => s.attributes.join() === 'race,sex')!;
    expect(cross.groups).toHaveLength(6);
  });

  it('GET /thresholds: every figure equals a fresh audit at that threshold', async () => {
    const auditId = await submit(0.3);
    const res = await t.http
      .get(`/v1/audits/${auditId}/thresholds?thresholds=0.5,0.15`)
      .set(t.auth())
      .expect(200);
    expect(res.body.thresholds).toEqual([0.15, 0.5]);
    expect(res.body.auditThreshold).toBe(0.3);
    for (const [k, threshold] of [0.15, 0.5].entries()) {
      const fresh = (
        await t.http
          .get(`/v1/audits/${await submit(threshold)}/metrics`)
          .set(t.auth())
          .expect(200)
      ).body;
      const point = res.body.overall.points[k];
      expect(point.threshold).toBe(threshold);
      expect(point.selection_rate).toBeCloseTo(fresh.overall.metrics.selection_rate.value, 12);
      for (const [s, slice] of fresh.slices.entries()) {
        for (const [g, group] of slice.groups.entries()) {
          const p = res.body.slices[s].groups[g].points[k];
          expect(res.body.slices[s].groups[g].key).toEqual(group.key);
          for (const key of [
            'selection_rate',
            'true_positive_rate',
            'false_positive_rate',
            'positive_predictive_value',
          ]) {
            const want = group.metrics[key].value;
            if (want === null) expect(p[key]).toBeNull();
            else expect(p[key]).toBeCloseTo(want, 12);
          }
          // Net benefit by hand from the group's rows.
          const members = rows.filter((r) =>
            Object.entries(group.key).every(([a, v]) => r[a as 'race' | 'sex'] === v),
          );
          const tp = members.filter((r) => r.label === 1 && r.score >= threshold).length;
          const fp = members.filter((r) => r.label === 0 && r.score >= threshold).length;
          expect(p.net_benefit).toBeCloseTo(
            tp / members.length - (fp / members.length) * (threshold / (1 - threshold)),
            12,
          );
          expect(p.alerts_per_1000).toBeCloseTo((1000 * (tp + fp)) / members.length, 9);
        }
      }
    }
    // Equal opportunity: each race group's threshold reaches the reference's TPR at 0.3, from its own rows.
    const race = res.body.slices[0];
    const reference = rows.filter((r) => r.race === 'A');
    const target =
      reference.filter((r) => r.label === 1 && r.score >= 0.3).length /
      reference.filter((r) => r.label === 1).length;
    expect(race.equalOpportunityTarget).toBeCloseTo(target, 12);
    for (const g of race.groups) {
      const members = rows.filter((r) => r.race === g.key.race);
      const positives = members.filter((r) => r.label === 1).length;
      const tpr =
        members.filter((r) => r.label === 1 && r.score >= g.equalOpportunity.threshold).length / positives;
      expect(tpr).toBeGreaterThanOrEqual(target);
      expect(g.equalOpportunity.true_positive_rate).toBeCloseTo(tpr, 12);
    }
    expect(
      (race.groups as ThresholdGroup[]).find((g) => g.key.race === 'A')!.equalOpportunity.threshold,
    ).toBeGreaterThanOrEqual(0.3);
  });

  it('the default grid is 0.01 to 0.99', async () => {
    const auditId = await submit(0.3);
    const res = await t.http.get(`/v1/audits/${auditId}/thresholds`).set(t.auth()).expect(200);
    expect(res.body.thresholds).toHaveLength(99);
    expect(res.body.thresholds[0]).toBe(0.01);
    expect(res.body.thresholds[98]).toBe(0.99);
  });

  it('refuses bad input with 400 naming the field, and what it cannot compute', async () => {
    const auditId = await submit(0.3);
    for (const bad of ['0.1,abc', '1.5', '0.1,,0.2']) {
      const res = await t.http
        .get(`/v1/audits/${auditId}/thresholds`)
        .query({ thresholds: bad })
        .set(t.auth());
      expect([res.status, res.headers['content-type']]).toEqual([
        400,
        expect.stringContaining('application/problem+json'),
      ]);
      expect(res.body.errors[0].field).toBe('thresholds');
    }
    const tol = await t.http.get(`/v1/audits/${auditId}/thresholds?tolerance=-1`).set(t.auth());
    expect([tol.status, tol.body.errors[0].field]).toEqual([400, 'tolerance']);
    // Scores that are not probabilities: the what-if works, calibration says why it cannot.
    const raw = await submit(3, 'race,sex,score,y_true\nA,F,2.5,1\nB,M,7.1,0\nA,M,4,1\n');
    const cal = await t.http.get(`/v1/audits/${raw}/calibration`).set(t.auth());
    expect(cal.status).toBe(400);
    expect(cal.body.detail).toMatch(/probabilities in \[0, 1\]/);
    await t.http.get(`/v1/audits/${raw}/thresholds?thresholds=0.5`).set(t.auth()).expect(200);
    // No labels: neither can be computed.
    const labelFree = await submit(0.5, 'race,sex,score\nA,F,0.2\nB,M,0.7\n', { labelColumn: null });
    expect((await t.http.get(`/v1/audits/${labelFree}/calibration`).set(t.auth())).status).toBe(400);
    expect((await t.http.get(`/v1/audits/${labelFree}/thresholds`).set(t.auth())).status).toBe(400);
  });

  it("another organization's audit is a 404", async () => {
    const auditId = await submit(0.3);
    const org = await t.http
      .post('/v1/organizations')
      .set(t.auth())
      .send({ name: 'other hospital' })
      .expect(201);
    await t.http.get(`/v1/audits/${auditId}/calibration`).set(t.auth(org.body.adminKey)).expect(404);
    await t.http.get(`/v1/audits/${auditId}/thresholds`).set(t.auth(org.body.adminKey)).expect(404);
  });
  it('GET /metrics carries the calibration keys per group, equal to GET /calibration and to hand O/E', async () => {
    const auditId = await submit(0.3);
    const metrics = (await t.http.get(`/v1/audits/${auditId}/metrics`).set(t.auth()).expect(200)).body;
    const calibration = (await t.http.get(`/v1/audits/${auditId}/calibration`).set(t.auth()).expect(200))
      .body;
    const race = metrics.slices.find((s: { attributes: string[] }) => s.attributes.join() === 'race');
    const b = race.groups.find((g: { key: { race: string } }) => g.key.race === 'B');
    const group = rows.filter((r) => r.race === 'B');
    const O = group.reduce((s, r) => s + r.label, 0);
    const E = group.reduce((s, r) => s + r.score, 0);
    expect(b.metrics.observed_expected_ratio.value).toBeCloseTo(O / E, 12);
    expect(b.metrics.observed_expected_ratio.ciHigh).toBeCloseTo(
      (O / E) * Math.exp(1.959963984540054 / Math.sqrt(O)),
      10,
    );
    const sameGroup = (calibration.slices as CalibrationSlice[])
      .find((s) => s.attributes.join() === 'race')!
      .groups.find((g) => g.key.race === 'B')!;
    for (const key of ['observed_expected_ratio', 'calibration_intercept', 'calibration_slope'] as const) {
      expect(b.metrics[key].value).toBeCloseTo(sameGroup.metrics[key].value!, 12);
      expect(b.metrics[key].ciLow).toBeCloseTo(sameGroup.metrics[key].ciLow!, 12);
    }
    // group B's scores understate its risk: its O/E ratio against the reference (A, the largest) is above 1
    expect(b.disparities.observed_expected_ratio.ratio).toBeGreaterThan(1.3);
    expect(b.disparities.observed_expected_ratio.pValue).toBeLessThan(0.001);
    expect(b.disparities.calibration_slope.difference).not.toBeNull();
  });

  it('scores outside [0, 1]: the metrics keep their other figures, calibration is null with a flag', async () => {
    const shifted = rows.map((r, i) => (i === 0 ? { ...r, score: 1.2 } : r));
    const auditId = await submit(0.3, csv(shifted));
    const metrics = (await t.http.get(`/v1/audits/${auditId}/metrics`).set(t.auth()).expect(200)).body;
    expect(metrics.overall.metrics.calibration_slope).toEqual({
      value: null,
      ciLow: null,
      ciHigh: null,
      flag: 'scores_outside_unit_interval',
    });
    expect(metrics.overall.metrics.roc_auc.value).not.toBeNull();
  });
});
