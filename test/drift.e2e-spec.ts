import { startTestApp, type TestApp } from './support/test-app';
import { mulberry32 } from '../src/core/stats';

/**
 * Drift, baseline, drift policy and timeline over HTTP on the real AppModule. Audits are created through the
 * real upload route (multipart CSV). The expected numbers are computed here from the generated arrays with
 * hand-written formulas, never with src/core.
 */

const ROWS = 4000;

interface Sample {
  csv: string;
  race: string[];
  sex: string[];
  /** The scores as the server parses them back from the CSV (6 decimals). */
  score: number[];
  label: number[];
}

/**
 * 4,000 rows: race A/B/C (45/30/25%), sex F/M, score s0 = 0.05 + 0.7·mean of 3 uniforms (in [0.05, 0.75]),
 * label 1 with probability 0.5·s0. With `shiftB`, group B's scores are s0 + 0.25 and its label probability
 * is doubled (s0): a shift in one group only. A patient_id column is sent and must be discarded.
 */
function generate(seed: number, shiftB: boolean): Sample {
  const random = mulberry32(seed);
  const sample: Sample = { csv: '', race: [], sex: [], score: [], label: [] };
  const lines = ['patient_id,race,sex,score,y_true'];
  for (let i = 0; i < ROWS; i++) {
    const u = random();
    const race = u < 0.45 ? 'A' : u < 0.75 ? 'B' : 'C';
    const sex = random() < 0.5 ? 'F' : 'M';
    const s0 = 0.05 + (0.7 * (random() + random() + random())) / 3;
    const shifted = shiftB && race === 'B';
    const text = (shifted ? s0 + 0.25 : s0).toFixed(6);
    const label = random() < 0.5 * s0 * (shifted ? 2 : 1) ? 1 : 0;
    lines.push(`P${seed}-${i},${race},${sex},${text},${label}`);
    sample.race.push(race);
    sample.sex.push(sex);
    sample.score.push(Number(text));
    sample.label.push(label);
  }
  sample.csv = lines.join('\n') + '\n';
  return sample;
}

// ---- independent reference formulas (not src/core) ----

const ascending = (values: number[]): number[] => [...values].sort((a, b) => a - b);

/** numpy.quantile(x, p) with the default linear interpolation, on sorted x. */
function numpyQuantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return below + (h - lo) * (above - below);
}

/** PSI over bins cut at the baseline's deciles, [q_(i-1), q_i), empty share → 0.0001 (reference/metrics.md). */
function referencePsi(baseline: number[], current: number[]): number {
  const sorted = ascending(baseline);
  const edges = [
    ...new Set([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((p) => numpyQuantile(sorted, p))),
  ];
  const shares = (values: number[]): number[] => {
    const counts = new Array<number>(edges.length + 1).fill(0);
    for (const v of values) {
      let bin = 0;
      while (bin < edges.length && v >= edges[bin]!) bin++;
      counts[bin]! += 1;
    }
    return counts.map((c) => c / values.length);
  };
  const b = shares(baseline);
  const c = shares(current);
  let sum = 0;
  for (let i = 0; i < b.length; i++) {
    const bi = b[i]! || 0.0001;
    const ci = c[i]! || 0.0001;
    sum += (ci - bi) * Math.log(ci / bi);
  }
  return sum;
}

/** Two-sample KS statistic D = max |F_a − F_b| over the pooled values. */
function referenceKsD(a: number[], b: number[]): number {
  const sa = ascending(a);
  const sb = ascending(b);
  const cdf = (sorted: number[], x: number): number => sorted.filter((v) => v <= x).length / sorted.length;
  let best = 0;
  for (const x of new Set([...sa, ...sb])) best = Math.max(best, Math.abs(cdf(sa, x) - cdf(sb, x)));
  return best;
}

/** Pooled two-proportion z of x1/n1 → x2/n2. */
function referenceZ(x1: number, n1: number, x2: number, n2: number): number {
  const pooled = (x1 + x2) / (n1 + n2);
  return (x2 / n2 - x1 / n1) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
}

/** Wilson score interval at 95%. */
function wilson(x: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = x / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [centre - half, centre + half];
}

const where = <T>(values: T[], sample: Sample, race: string): T[] =>
  values.filter((_, i) => sample.race[i] === race);

// ---- the HTTP side ----

interface Check {
  kind: string;
  attributes?: string[];
  key?: Record<string, string>;
  metric?: string;
  statistic: string;
  value: number | null;
  pValue?: number | null;
  baseline?: number | null;
  current?: number | null;
  status: string;
  message: string;
}

interface DriftBody {
  auditId: string;
  baselineAuditId: string | null;
  baselineSource: string;
  status: string;
  counts: { alert: number; warning: number; ok: number };
  checks: Check[];
  thresholds: Record<string, unknown>;
  message: string;
}

const raceCheck = (checks: Check[], kind: string, statistic: string, race: string): Check => {
  const found = checks.filter(
    (c) =>
      c.kind === kind && c.statistic === statistic && c.key?.race === race && Object.keys(c.key).length === 1,
  );
  expect(found).toHaveLength(1);
  return found[0]!;
};

const PERIOD_ENDS = ['2026-01-31T00:00:00.000Z', '2026-02-28T00:00:00.000Z', '2026-03-31T00:00:00.000Z'];

describe('drift, baseline, drift policy and timeline (real AppModule on PostgreSQL)', () => {
  let t: TestApp;
  let modelId: string;
  let otherModelId: string;
  const samples = [generate(1, false), generate(2, false), generate(3, true)];
  const audits: string[] = [];
  const twins: string[] = [];
  let viewerKey: string;

  async function createModel(name: string): Promise<string> {
    const res = await t.http.post('/v1/models').set(t.auth()).send({ name, version: '1.0.0' }).expect(201);
    return res.body.id as string;
  }

  /**
   * POST /v1/models/{modelId}/audits: multipart (config + the sample's CSV), or JSON columns with the same
   * values when `as` is "json".
   */
  async function upload(
    model: string,
    sample: Sample,
    extra: Record<string, unknown>,
    as: 'csv' | 'json' = 'csv',
  ): Promise<string> {
    const config = { sensitiveAttributes: ['race', 'sex'], intersections: [['race', 'sex']], ...extra };
    const post = t.http.post(`/v1/models/${model}/audits`).set(t.auth());
    const res =
      as === 'csv'
        ? await post.field('config', JSON.stringify(config)).attach('file', Buffer.from(sample.csv, 'utf8'), {
            filename: 'audit.csv',
            contentType: 'text/csv',
          })
        : await post.send({
            config,
            columns: {
              patient_id: sample.race.map((_, i) => `P${i}`),
              race: sample.race,
              sex: sample.sex,
              score: sample.score,
              y_true: sample.label,
            },
          });
    expect([res.status, res.body.detail]).toEqual([201, undefined]);
    return res.body.id as string;
  }

  const drift = async (auditId: string, query = '', key?: string): Promise<DriftBody> => {
    const res = await t.http.get(`/v1/audits/${auditId}/drift${query}`).set(t.auth(key)).expect(200);
    return res.body as DriftBody;
  };

  beforeAll(async () => {
    t = await startTestApp();
    modelId = await createModel('readmission-risk');
    otherModelId = await createModel('sepsis-alert');
    for (const [i, sample] of samples.entries()) {
      audits.push(await upload(modelId, sample, { name: `month ${i + 1}`, periodEnd: PERIOD_ENDS[i] }));
    }
    // the same data three times on another model: the same CSV twice, then the same values as JSON columns
    twins.push(await upload(otherModelId, samples[0]!, { name: 'twin 1' }));
    twins.push(await upload(otherModelId, samples[0]!, { name: 'twin 2' }));
    twins.push(await upload(otherModelId, samples[0]!, { name: 'twin 3' }, 'json'));
    const key = await t.http
      .post('/v1/api-keys')
      .set(t.auth())
      .send({ name: 'dashboard', role: 'viewer' })
      .expect(201);
    viewerKey = key.body.key as string;
  });
  afterAll(() => t.close());

  it('runs on PostgreSQL when TEST_DATABASE_URL is set, else on PGlite', () => {
    expect(t.database).toBe(process.env.TEST_DATABASE_URL ? 'postgresql' : 'pglite');
  });

  describe('GET /v1/audits/{auditId}/drift', () => {
    it('reports exactly the injected shift of group B (audit 3 against audit 1)', async () => {
      const body = await drift(audits[2]!, `?baseline=${audits[0]}`);
      expect([body.auditId, body.baselineAuditId, body.baselineSource, body.status]).toEqual([
        audits[2],
        audits[0],
        'query',
        'alert',
      ]);
      const [before, after] = [samples[0]!, samples[2]!];

      // B's score PSI over audit 1's deciles, computed here from the generated arrays
      const psiB = raceCheck(body.checks, 'score', 'psi', 'B');
      const expectedPsi = referencePsi(where(before.score, before, 'B'), where(after.score, after, 'B'));
      expect(expectedPsi).toBeGreaterThan(0.25);
      expect(psiB.value).toBeCloseTo(expectedPsi, 9);
      expect(psiB.status).toBe('alert');
      expect(psiB.attributes).toEqual(['race']);

      // B's KS distance; KS is capped at "warning" by design (reference/metrics.md: p < 0.05 and D >= 0.1)
      const ksB = raceCheck(body.checks, 'score', 'ks', 'B');
      const expectedD = referenceKsD(where(before.score, before, 'B'), where(after.score, after, 'B'));
      expect(ksB.value).toBeCloseTo(expectedD, 12);
      expect(expectedD).toBeGreaterThan(0.5);
      expect(ksB.pValue).toBeLessThan(1e-10);
      expect(ksB.status).toBe('warning');

      // B's label rate, about 0.225 → 0.45: pooled two-proportion z
      const labelB = raceCheck(body.checks, 'label', 'z_test', 'B');
      const x1 = where(before.label, before, 'B').reduce((s, v) => s + v, 0);
      const n1 = where(before.label, before, 'B').length;
      const x2 = where(after.label, after, 'B').reduce((s, v) => s + v, 0);
      const n2 = where(after.label, after, 'B').length;
      expect(labelB.value).toBeCloseTo(referenceZ(x1, n1, x2, n2), 9);
      expect(labelB.baseline).toBeCloseTo(x1 / n1, 12);
      expect(labelB.current).toBeCloseTo(x2 / n2, 12);
      expect(x2 / n2 / (x1 / n1)).toBeGreaterThan(1.7); // the injected doubling, seen in the data
      expect([labelB.metric, labelB.status]).toEqual(['base_rate', 'alert']);

      // the other race groups: scores stable, labels not alerting
      for (const race of ['A', 'C']) {
        for (const statistic of ['psi', 'psi_equal_width', 'ks']) {
          const check = raceCheck(body.checks, 'score', statistic, race);
          expect([race, statistic, check.status]).toEqual([race, statistic, 'ok']);
        }
        const psi = raceCheck(body.checks, 'score', 'psi', race);
        expect(psi.value).toBeCloseTo(
          referencePsi(where(before.score, before, race), where(after.score, after, race)),
          9,
        );
        expect(raceCheck(body.checks, 'label', 'z_test', race).status).toBe('ok');
      }

      // poisoning: B alone, on both signals; nothing for A, C or sex
      const poisoning = body.checks.filter((c) => c.kind === 'poisoning');
      expect(poisoning.map((c) => [c.key, c.statistic, c.status]).sort()).toEqual(
        [
          [{ race: 'B' }, 'psi', 'alert'],
          [{ race: 'B' }, 'z_test', 'alert'],
        ].sort(),
      );
      expect(poisoning[0]!.message).toContain('Only group B in race changed sharply');

      // the group mix did not change (same generator)
      const mix = body.checks.filter((c) => c.kind === 'population' && c.attributes?.[0] === 'race');
      expect(mix.every((c) => c.status === 'ok')).toBe(true);

      // status and counts agree with the checks; worst first
      expect(body.counts).toEqual({
        alert: body.checks.filter((c) => c.status === 'alert').length,
        warning: body.checks.filter((c) => c.status === 'warning').length,
        ok: body.checks.filter((c) => c.status === 'ok').length,
      });
      expect(body.checks[0]!.status).toBe('alert');
      expect(body.thresholds).toEqual({
        psiWarning: 0.1,
        psiAlert: 0.25,
        ksMinD: 0.1,
        jsWarning: 0.1,
        alpha: 0.05,
        fairnessBand: [0.8, 1.25],
        rateChangeWarning: 0.05,
        rateChangeAlert: 0.1,
      });
    });

    it('shapes each check as the contract says: whole-sample checks have no attributes or key', async () => {
      const body = await drift(audits[2]!, `?baseline=${audits[0]}`);
      const statistics = new Set([
        'psi',
        'psi_equal_width',
        'ks',
        'js_distance',
        'chi_square',
        'z_test',
        'band_crossing',
      ]);
      for (const check of body.checks) {
        expect(statistics.has(check.statistic)).toBe(true);
        expect(['ok', 'warning', 'alert']).toContain(check.status);
        expect(typeof check.message).toBe('string');
        // (jsonb stores object keys shortest first, so compare the key's attributes as a set)
        if (check.key !== undefined)
          expect([...check.attributes!].sort()).toEqual(Object.keys(check.key).sort());
      }
      const overallPsi = body.checks.filter(
        (c) => c.kind === 'score' && c.statistic === 'psi' && !c.attributes,
      );
      expect(overallPsi).toHaveLength(1);
      expect(overallPsi[0]!.key).toBeUndefined();
      expect(overallPsi[0]!.value).toBeCloseTo(referencePsi(samples[0]!.score, samples[2]!.score), 9);
    });

    it('finds nothing between two uploads of the same CSV, nor against the same values sent as JSON', async () => {
      const pairs: [string, string][] = [
        [twins[1]!, twins[0]!],
        [twins[2]!, twins[0]!],
      ];
      for (const [current, baseline] of pairs) {
        const body = await drift(current, `?baseline=${baseline}`);
        expect([body.baselineAuditId, body.status]).toEqual([baseline, 'ok']);
        expect(body.checks.length).toBeGreaterThan(20);
        expect(body.checks.filter((c) => c.status !== 'ok')).toEqual([]);
        expect(body.counts).toEqual({ alert: 0, warning: 0, ok: body.checks.length });
        for (const check of body.checks.filter((c) => c.kind === 'score')) expect(check.value).toBe(0);
        expect(new Set(body.checks.map((c) => c.kind))).toEqual(
          new Set(['population', 'score', 'label', 'performance', 'fairness']),
        );
      }
      // without ?baseline: the previous audit
      const previous = await drift(twins[1]!);
      expect([previous.baselineAuditId, previous.baselineSource]).toEqual([twins[0], 'previous']);
    });

    it('defaults to the previous audit, then to the pinned baseline; the first audit has nothing to compare with', async () => {
      expect((await drift(audits[2]!)).baselineAuditId).toBe(audits[1]);
      const first = await drift(audits[0]!);
      expect(first).toMatchObject({
        auditId: audits[0],
        baselineAuditId: null,
        baselineSource: 'none',
        status: 'ok',
        checks: [],
        counts: { alert: 0, warning: 0, ok: 0 },
      });
      expect(first.message).toMatch(/Nothing to compare with/);
    });

    it('refuses a baseline of another model (400 naming baseline), an unknown one (404) and a bad id (400)', async () => {
      const other = await t.http
        .get(`/v1/audits/${audits[2]}/drift?baseline=${twins[0]}`)
        .set(t.auth())
        .expect(400);
      expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(other.body.errors).toEqual([
        { field: 'baseline', message: `audit ${twins[0]} does not belong to model ${modelId}` },
      ]);
      const unknown = '00000000-0000-4000-8000-000000000000';
      await t.http.get(`/v1/audits/${audits[2]}/drift?baseline=${unknown}`).set(t.auth()).expect(404);
      await t.http.get(`/v1/audits/${unknown}/drift`).set(t.auth()).expect(404);
      const bad = await t.http.get(`/v1/audits/${audits[2]}/drift?baseline=nope`).set(t.auth()).expect(400);
      expect(bad.body.errors[0].field).toBe('baseline');
    });
  });

  describe('PUT /v1/models/{modelId}/baseline', () => {
    it('pins an audit of the model, drift then uses it, and the trail records it', async () => {
      const res = await t.http
        .put(`/v1/models/${modelId}/baseline`)
        .set(t.auth())
        .send({ auditId: audits[0] })
        .expect(200);
      expect(res.body).toMatchObject({ id: modelId, name: 'readmission-risk', baselineAuditId: audits[0] });
      expect((await t.http.get(`/v1/models/${modelId}`).set(t.auth()).expect(200)).body.baselineAuditId).toBe(
        audits[0],
      );

      const pinned = await drift(audits[2]!);
      expect([pinned.baselineAuditId, pinned.baselineSource]).toEqual([audits[0], 'pinned']);
      // the pinned audit itself falls back to its previous audit (none here), and the message says it is pinned
      const itself = await drift(audits[0]!);
      expect(itself.baselineSource).toBe('none');
      expect(itself.message).toMatch(/Nothing to compare with: this audit is the model's pinned baseline/);
      // ?baseline still wins
      expect((await drift(audits[2]!, `?baseline=${audits[1]}`)).baselineAuditId).toBe(audits[1]);

      const events = await t.http.get('/v1/audit-events?limit=50').set(t.auth()).expect(200);
      const set = (
        events.body.items as { action: string; objectId: string; details: Record<string, unknown> }[]
      ).find((e) => e.action === 'model.baseline_set');
      expect(set).toMatchObject({
        objectId: modelId,
        details: { auditId: audits[0], previousAuditId: null },
      });
    });

    it('refuses an audit of another model (400 naming auditId), an unknown audit or model (404)', async () => {
      const res = await t.http
        .put(`/v1/models/${modelId}/baseline`)
        .set(t.auth())
        .send({ auditId: twins[0] })
        .expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([
        { field: 'auditId', message: `audit ${twins[0]} does not belong to model ${modelId}` },
      ]);
      const unknown = '00000000-0000-4000-8000-000000000000';
      await t.http.put(`/v1/models/${modelId}/baseline`).set(t.auth()).send({ auditId: unknown }).expect(404);
      await t.http
        .put(`/v1/models/${unknown}/baseline`)
        .set(t.auth())
        .send({ auditId: audits[0] })
        .expect(404);
      const bad = await t.http
        .put(`/v1/models/${modelId}/baseline`)
        .set(t.auth())
        .send({ auditId: 'x' })
        .expect(400);
      expect(bad.body.errors[0].field).toBe('auditId');
      // nothing changed
      expect((await t.http.get(`/v1/models/${modelId}`).set(t.auth())).body.baselineAuditId).toBe(audits[0]);
    });

    it('lets a viewer read drift but not pin a baseline', async () => {
      const body = await drift(audits[2]!, `?baseline=${audits[0]}`, viewerKey);
      expect(body.status).toBe('alert');
      await t.http
        .put(`/v1/models/${modelId}/baseline`)
        .set(t.auth(viewerKey))
        .send({ auditId: audits[1] })
        .expect(403);
      await t.http.put(`/v1/models/${modelId}/drift-policy`).set(t.auth(viewerKey)).send({}).expect(403);
      await t.http.get(`/v1/models/${modelId}/timeline?attribute=race`).set(t.auth(viewerKey)).expect(200);
    });

    it('unpins with DELETE: drift falls back to the previous audit', async () => {
      const res = await t.http.delete(`/v1/models/${modelId}/baseline`).set(t.auth()).expect(200);
      expect(res.body.baselineAuditId).toBeNull();
      expect((await drift(audits[2]!)).baselineSource).toBe('previous');
    });
  });

  describe('drift policy', () => {
    it('starts at the defaults', async () => {
      const res = await t.http.get(`/v1/models/${modelId}/drift-policy`).set(t.auth()).expect(200);
      expect(res.body.overrides).toEqual({});
      expect(res.body.thresholds).toEqual(res.body.defaults);
      expect(res.body.thresholds.psiAlert).toBe(0.25);
    });

    it('rejects inconsistent thresholds and changes nothing', async () => {
      const psi = await t.http
        .put(`/v1/models/${modelId}/drift-policy`)
        .set(t.auth())
        .send({ psiWarning: 0.3 }) // default psiAlert 0.25
        .expect(400);
      expect(psi.body.errors).toEqual([
        { field: 'psiWarning', message: 'psiWarning (0.3) must be below psiAlert (0.25)' },
      ]);
      const band = await t.http
        .put(`/v1/models/${modelId}/drift-policy`)
        .set(t.auth())
        .send({ fairnessBand: [1.1, 1.25] })
        .expect(400);
      expect(band.body.errors[0].field).toBe('fairnessBand');
      const range = await t.http
        .put(`/v1/models/${modelId}/drift-policy`)
        .set(t.auth())
        .send({ alpha: 0, ksMinD: 2 })
        .expect(400);
      expect(range.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['alpha', 'ksMinD']);
      await t.http
        .put(`/v1/models/${modelId}/drift-policy`)
        .set(t.auth())
        .send({ psiCritical: 1 })
        .expect(400);
      const after = await t.http.get(`/v1/models/${modelId}/drift-policy`).set(t.auth()).expect(200);
      expect(after.body.overrides).toEqual({});
    });

    it("applies a model's thresholds to its drift, and {} restores the defaults", async () => {
      const res = await t.http
        .put(`/v1/models/${modelId}/drift-policy`)
        .set(t.auth())
        .send({ psiWarning: 50, psiAlert: 100 })
        .expect(200);
      expect(res.body.overrides).toEqual({ psiWarning: 50, psiAlert: 100 });
      expect(res.body.thresholds).toMatchObject({ psiWarning: 50, psiAlert: 100, alpha: 0.05 });

      const relaxed = await drift(audits[2]!, `?baseline=${audits[0]}`);
      expect(relaxed.thresholds).toMatchObject({ psiWarning: 50, psiAlert: 100 });
      // B's PSI (a few units) is now below the warning line; no score PSI poisoning signal either
      const psiB = raceCheck(relaxed.checks, 'score', 'psi', 'B');
      expect(psiB.value).toBeLessThan(50);
      expect(psiB.status).toBe('ok');
      expect(relaxed.checks.filter((c) => c.kind === 'poisoning').map((c) => c.statistic)).toEqual([
        'z_test',
      ]);

      await t.http.put(`/v1/models/${modelId}/drift-policy`).set(t.auth()).send({}).expect(200);
      const restored = await drift(audits[2]!, `?baseline=${audits[0]}`);
      expect(raceCheck(restored.checks, 'score', 'psi', 'B').status).toBe('alert');

      const events = await t.http.get('/v1/audit-events?limit=50').set(t.auth()).expect(200);
      expect(
        (events.body.items as { action: string; objectId: string }[]).filter(
          (e) => e.action === 'policy.updated' && e.objectId === modelId,
        ),
      ).toHaveLength(2);
    });
  });

  describe('GET /v1/models/{modelId}/timeline', () => {
    it("returns the three audits in time order with each race group's stored selection rate", async () => {
      const res = await t.http
        .get(`/v1/models/${modelId}/timeline?metric=selection_rate&attribute=race`)
        .set(t.auth())
        .expect(200);
      expect(res.body).toMatchObject({ modelId, metric: 'selection_rate', attributes: ['race'] });
      const points = res.body.points as {
        auditId: string;
        at: string;
        name: string;
        groups: {
          key: Record<string, string>;
          value: number;
          ciLow: number;
          ciHigh: number;
          count: number;
        }[];
        summary: Record<string, number>;
      }[];
      expect(points.map((p) => [p.auditId, p.at, p.name])).toEqual([
        [audits[0], PERIOD_ENDS[0], 'month 1'],
        [audits[1], PERIOD_ENDS[1], 'month 2'],
        [audits[2], PERIOD_ENDS[2], 'month 3'],
      ]);
      for (const [i, point] of points.entries()) {
        const sample = samples[i]!;
        const rates: number[] = [];
        for (const race of ['A', 'B', 'C']) {
          // selection = score >= 0.5 (no prediction column, default threshold)
          const scores = where(sample.score, sample, race);
          const selected = scores.filter((s) => s >= 0.5).length;
          const group = point.groups.find((g) => g.key.race === race)!;
          const [low, high] = wilson(selected, scores.length);
          expect([race, group.count]).toEqual([race, scores.length]);
          expect(group.value).toBeCloseTo(selected / scores.length, 12);
          expect(group.ciLow).toBeCloseTo(low, 9);
          expect(group.ciHigh).toBeCloseTo(high, 9);
          rates.push(selected / scores.length);
        }
        expect(point.groups).toHaveLength(3);
        expect(point.summary.demographic_parity_difference).toBeCloseTo(
          Math.max(...rates) - Math.min(...rates),
          12,
        );
        expect(point.summary.demographic_parity_ratio).toBeCloseTo(
          Math.min(...rates) / Math.max(...rates),
          12,
        );
      }
      // the injected shift shows in month 3: B's selection rate jumps
      expect(points[2]!.groups.find((g) => g.key.race === 'B')!.value).toBeGreaterThan(
        points[0]!.groups.find((g) => g.key.race === 'B')!.value + 0.3,
      );
    });

    it('matches the stored metrics of each audit', async () => {
      const res = await t.http
        .get(`/v1/models/${modelId}/timeline?metric=base_rate&attribute=sex`)
        .set(t.auth());
      expect(res.status).toBe(200);
      const metrics = await t.http.get(`/v1/audits/${audits[1]}/metrics`).set(t.auth()).expect(200);
      const slice = (
        metrics.body.slices as { attributes: string[]; groups: { key: object; metrics: object }[] }[]
      ).find((s) => s.attributes.join() === 'sex')!;
      const point = (res.body.points as { auditId: string; groups: { key: object; value: number }[] }[])[1]!;
      expect(point.auditId).toBe(audits[1]);
      expect(point.groups.map((g) => [g.key, g.value])).toEqual(
        slice.groups.map((g) => [g.key, (g.metrics as { base_rate: { value: number } }).base_rate.value]),
      );
      // and the value is the share of label 1 among F rows of audit 2
      const sample = samples[1]!;
      const labelsF = sample.label.filter((_, i) => sample.sex[i] === 'F');
      const female = point.groups.find((g) => (g.key as { sex: string }).sex === 'F')!;
      expect(female.value).toBeCloseTo(labelsF.reduce((s, v) => s + v, 0) / labelsF.length, 12);
    });

    it('rejects an unknown metric (listing the valid ones) or attribute (listing the slices); 404 for an unknown model', async () => {
      const metric = await t.http
        .get(`/v1/models/${modelId}/timeline?metric=happiness&attribute=race`)
        .set(t.auth())
        .expect(400);
      expect(metric.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(metric.body.errors[0].field).toBe('metric');
      expect(metric.body.detail).toContain('selection_rate');
      expect(metric.body.detail).toContain('true_positive_rate');
      const attribute = await t.http
        .get(`/v1/models/${modelId}/timeline?metric=selection_rate&attribute=zip`)
        .set(t.auth())
        .expect(400);
      expect(attribute.body.errors).toEqual([
        { field: 'attribute', message: 'must be one of: race; race,sex; sex' },
      ]);
      await t.http.get(`/v1/models/${modelId}/timeline?metric=selection_rate`).set(t.auth()).expect(400);
      await t.http
        .get('/v1/models/00000000-0000-4000-8000-000000000000/timeline?attribute=race')
        .set(t.auth())
        .expect(404);
    });

    it('names an intersection in any order', async () => {
      const res = await t.http
        .get(`/v1/models/${modelId}/timeline?metric=base_rate&attribute=sex,race`)
        .set(t.auth())
        .expect(200);
      const point = (
        res.body.points as { groups: { key: Record<string, string>; value: number; count: number }[] }[]
      )[2]!;
      expect(point.groups).toHaveLength(6);
      const sample = samples[2]!;
      const rows = sample.label.filter((_, i) => sample.race[i] === 'B' && sample.sex[i] === 'M');
      const group = point.groups.find((g) => g.key.race === 'B' && g.key.sex === 'M')!;
      expect(group.count).toBe(rows.length);
      expect(group.value).toBeCloseTo(rows.reduce((s, v) => s + v, 0) / rows.length, 12);
    });

    it('is empty for a model without audits', async () => {
      const empty = await createModel('no-audits-yet');
      const res = await t.http.get(`/v1/models/${empty}/timeline?attribute=race`).set(t.auth()).expect(200);
      expect(res.body.points).toEqual([]);
    });
  });

  it('documents every drift route with an operationId and problem responses', async () => {
    const doc = (await t.http.get('/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
    };
    const ops: [string, string, string][] = [
      ['/v1/models/{modelId}/baseline', 'put', 'setBaseline'],
      ['/v1/audits/{auditId}/drift', 'get', 'getDrift'],
      ['/v1/models/{modelId}/timeline', 'get', 'getTimeline'],
      ['/v1/models/{modelId}/drift-policy', 'put', 'setDriftPolicy'],
    ];
    for (const [path, method, operationId] of ops) {
      const op = doc.paths[path]![method]!;
      expect(op.operationId).toBe(operationId);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '403', '404']));
    }
  });
});
