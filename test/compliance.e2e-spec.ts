import { readFileSync } from 'node:fs';
import { CatalogService } from '../src/modules/compliance/catalog.service';
import { COMPAS_CSV } from './support/datasets';
import { startTestApp, type TestApp } from './support/test-app';

/** The eight framework IDs of API contract (docs/api-contract.md, "Compliance and reports"). */
const CONTRACT_FRAMEWORKS = [
  'nist-ai-rmf',
  'eu-ai-act',
  'hhs-1557',
  'onc-hti-1',
  'iso-42001',
  'nyc-ll144',
  'eeoc-ugesp',
  'hipaa',
];

const COMPAS = COMPAS_CSV;

/**
 * Favourable (low-risk, score 0) rates from datasets/compas-reference.md: 1 − pprev per group.
 * The impact ratio of a group is its favourable rate over the highest favourable rate of its attribute.
 */
const FAVORABLE = {
  'African-American': 1 - 0.5882,
  Asian: 1 - 0.25,
  Caucasian: 1 - 0.348,
  Hispanic: 1 - 0.2983,
  'Native American': 1 - 0.6667,
  Other: 1 - 0.2095,
};
const RACE_TOP = Math.max(...Object.values(FAVORABLE)); // Other, .7905

interface Evidence {
  metric: string;
  attributes?: string[];
  group?: Record<string, string>;
  value?: number | string | null;
  pValue?: number | null;
  threshold?: number | string;
  count?: number;
}
interface Outcome {
  framework: string;
  controlId: string;
  title: string;
  status: 'pass' | 'fail' | 'review' | 'not_applicable';
  evidence: Evidence[];
  rationale: string;
  policyVersion: number;
  catalogVersion: string;
}

function outcome(outcomes: Outcome[], framework: string, controlId: string): Outcome {
  const found = outcomes.find((o) => o.framework === framework && o.controlId === controlId);
  if (!found) throw new Error(`no outcome for ${framework} ${controlId}`);
  return found;
}

function groupEvidence(o: Outcome, attribute: string, group: string): Evidence {
  const found = o.evidence.find(
    (e) =>
      e.metric === 'impact_ratio' && e.attributes?.join() === attribute && e.group?.[attribute] === group,
  );
  if (!found) throw new Error(`no impact-ratio evidence for ${attribute}=${group} in ${o.controlId}`);
  return found;
}

/** Documentation that satisfies every documentation control except the ones left out. */
const FULL_DOCUMENTATION = {
  intendedUse: 'Pre-trial risk screening (benchmark data set, not a clinical model)',
  users: 'Court staff',
  setting: 'Broward County, Florida',
  targetPopulation: 'Defendants assessed in 2013-2014',
  dataSources: 'ProPublica COMPAS two-year recidivism extract',
  inclusionExclusion: 'Defendants with a COMPAS screening and two years of follow-up',
  fairnessApproach: 'Impact ratios of the low-risk outcome and error-rate gaps by race, sex and age',
  mitigations: 'Threshold review by race planned',
  protectedInputs: 'None directly; age band is an input',
  protectedInputsReviewedAt: new Date().toISOString().slice(0, 10),
  knownLimitations: 'Labels are re-arrests, not offences',
  monitoringPlan: 'Re-audit each quarter',
  monitoringCadence: 'quarterly',
  owner: 'Fairness team',
};

describe('compliance: catalog, policy and control evaluation (PostgreSQL)', () => {
  let t: TestApp;
  const compasCsv = readFileSync(COMPAS, 'utf8');

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function createModel(name: string, documentation: Record<string, string>): Promise<string> {
    const res = await t.http
      .post('/v1/models')
      .set(t.auth())
      .send({ name, version: '1.0.0', documentation })
      .expect(201);
    return (res.body as { id: string }).id;
  }

  async function uploadAudit(modelId: string, csv: string, sensitiveAttributes: string[]): Promise<string> {
    const config = {
      labelColumn: 'label_value',
      predictionColumn: 'score',
      sensitiveAttributes,
      favorableOutcome: 'negative',
    };
    const res = await t.http
      .post(`/v1/models/${modelId}/audits`)
      .set(t.auth())
      .field('config', JSON.stringify(config))
      .attach('file', Buffer.from(csv, 'utf8'), { filename: 'compas.csv', contentType: 'text/csv' });
    expect([res.status, res.body]).toEqual([201, expect.objectContaining({ id: expect.any(String) })]);
    return (res.body as { id: string }).id;
  }

  async function controls(auditId: string, frameworks?: string): Promise<Outcome[]> {
    const res = await t.http
      .get(`/v1/audits/${auditId}/controls`)
      .query(frameworks ? { frameworks } : {})
      .set(t.auth())
      .expect(200);
    return res.body as Outcome[];
  }

  describe('catalog', () => {
    it('GET /v1/frameworks lists exactly the eight contract frameworks with their control counts', async () => {
      const res = await t.http.get('/v1/frameworks').set(t.auth()).expect(200);
      const frameworks = res.body as { id: string; name: string; version: string; controlCount: number }[];
      expect(frameworks.map((f) => f.id)).toEqual(CONTRACT_FRAMEWORKS);
      for (const f of frameworks) {
        const list = await t.http.get(`/v1/frameworks/${f.id}/controls`).set(t.auth()).expect(200);
        expect([f.id, (list.body as unknown[]).length]).toEqual([f.id, f.controlCount]);
        expect(f.controlCount).toBeGreaterThan(0);
      }
      const eeoc = frameworks.find((f) => f.id === 'eeoc-ugesp');
      expect(eeoc?.version).toContain('29 CFR Part 1607');
    });

    it('serves each control with its rule as data, from the seeded catalog_controls table', async () => {
      const res = await t.http.get('/v1/frameworks/eeoc-ugesp/controls').set(t.auth()).expect(200);
      const list = res.body as { framework: string; controlId: string; rule: unknown; evidence: string[] }[];
      expect(list.map((c) => c.controlId)).toEqual(['29 CFR 1607.4(B)', '29 CFR 1607.4(D)']);
      expect(list[1]).toMatchObject({
        framework: 'eeoc-ugesp',
        controlId: '29 CFR 1607.4(D)',
        rule: { kind: 'impact_ratio', rate: 'selection_rate', requireSignificance: true },
      });
      const rows: { framework: string; n: string }[] = await t.dataSource.query(
        `SELECT framework, COUNT(*) AS n FROM catalog_controls GROUP BY framework ORDER BY framework`,
      );
      const frameworks = (await t.http.get('/v1/frameworks').set(t.auth())).body as {
        id: string;
        controlCount: number;
      }[];
      expect(Object.fromEntries(rows.map((r) => [r.framework, Number(r.n)]))).toEqual(
        Object.fromEntries(frameworks.map((f) => [f.id, f.controlCount])),
      );
      const stored: { rule: unknown }[] = await t.dataSource.query(
        `SELECT rule FROM catalog_controls WHERE framework = 'hipaa' AND control_id = '45 CFR 164.514(b)'`,
      );
      expect(stored).toEqual([{ rule: { kind: 'documentation', fields: ['deidentificationMethod'] } }]);
    });

    it('seeds idempotently and refuses to start when a stored control differs under the same catalog version', async () => {
      const catalog = t.app.get(CatalogService);
      const count = async (): Promise<number> => {
        const rows: { n: string }[] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM catalog_controls`);
        return Number(rows[0]?.n);
      };
      const before = await count();
      await catalog.onApplicationBootstrap();
      expect(await count()).toBe(before);

      await t.dataSource.query(
        `UPDATE catalog_controls SET title = 'edited' WHERE framework = 'eeoc-ugesp' AND control_id = '29 CFR 1607.4(D)'`,
      );
      await expect(catalog.onApplicationBootstrap()).rejects.toThrow(
        /eeoc-ugesp 29 CFR 1607\.4\(D\).*Bump CATALOG_VERSION/,
      );
      await t.dataSource.query(
        `UPDATE catalog_controls SET title = 'Four-fifths rule for adverse impact' WHERE framework = 'eeoc-ugesp' AND control_id = '29 CFR 1607.4(D)'`,
      );
      await catalog.onApplicationBootstrap();
    });

    it('answers an unknown framework with a 404 problem listing the known ones', async () => {
      const res = await t.http.get('/v1/frameworks/gdpr/controls').set(t.auth()).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.detail).toContain('"gdpr"');
      expect(res.body.detail).toContain(CONTRACT_FRAMEWORKS.join(', '));
    });

    it('requires an API key', async () => {
      await t.http.get('/v1/frameworks').expect(401);
    });
  });

  describe('policy', () => {
    it('starts at version 0, the shipped default', async () => {
      const res = await t.http.get('/v1/policy').set(t.auth()).expect(200);
      expect(res.body).toMatchObject({
        version: 0,
        frameworks: CONTRACT_FRAMEWORKS,
        thresholds: { irMin: 0.8, gapMax: 0.05, alpha: 0.05, nMin: 30, psiReview: 0.1, psiFail: 0.25 },
        createdByKeyId: null,
      });
    });

    it('rejects invalid thresholds and frameworks with a 400 naming each field, storing nothing', async () => {
      const bad = await t.http
        .put('/v1/policy')
        .set(t.auth())
        .send({ thresholds: { irMin: 1.5, alpha: 0 } })
        .expect(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
        'thresholds.alpha',
        'thresholds.irMin',
      ]);

      const unknownThreshold = await t.http
        .put('/v1/policy')
        .set(t.auth())
        .send({ thresholds: { irMinimum: 0.9 } })
        .expect(400);
      expect(unknownThreshold.body.errors).toEqual([
        { field: 'thresholds.irMinimum', message: 'property irMinimum should not exist' },
      ]);

      const framework = await t.http
        .put('/v1/policy')
        .set(t.auth())
        .send({ frameworks: ['hipaa', 'gdpr'] })
        .expect(400);
      expect(framework.body.errors).toEqual([{ field: 'frameworks', message: 'unknown framework "gdpr"' }]);

      const notNumber = await t.http
        .put('/v1/policy')
        .set(t.auth())
        .send({ thresholds: { irMin: '0.9' } })
        .expect(400);
      expect((notNumber.body.errors as { field: string }[])[0]?.field).toBe('thresholds.irMin');

      expect((await t.http.get('/v1/policy').set(t.auth()).expect(200)).body.version).toBe(0);
    });

    it('lets only admins and compliance officers change the policy', async () => {
      const viewer = await t.http
        .post('/v1/api-keys')
        .set(t.auth())
        .send({ name: 'viewer', role: 'viewer' })
        .expect(201);
      const viewerKey = (viewer.body as { key: string }).key;
      await t.http.get('/v1/policy').set(t.auth(viewerKey)).expect(200);
      await t.http
        .put('/v1/policy')
        .set(t.auth(viewerKey))
        .send({ thresholds: { irMin: 0.9 } })
        .expect(403);
      expect((await t.http.get('/v1/policy').set(t.auth()).expect(200)).body.version).toBe(0);
    });
  });

  describe('control evaluation on COMPAS (low risk = favourable)', () => {
    let modelId: string;
    let auditId: string;
    let outcomes: Outcome[];

    beforeAll(async () => {
      const documentation: Record<string, string> = { ...FULL_DOCUMENTATION };
      modelId = await createModel('compas', documentation);
      auditId = await uploadAudit(modelId, compasCsv, ['race', 'sex', 'age_cat']);
      outcomes = await controls(auditId);
    });

    it('evaluates every control of every framework by default, under policy version 0', async () => {
      const frameworks = (await t.http.get('/v1/frameworks').set(t.auth())).body as {
        controlCount: number;
      }[];
      expect(outcomes).toHaveLength(frameworks.reduce((s, f) => s + f.controlCount, 0));
      expect(new Set(outcomes.map((o) => o.framework))).toEqual(new Set(CONTRACT_FRAMEWORKS));
      expect(new Set(outcomes.map((o) => o.policyVersion))).toEqual(new Set([0]));
      for (const o of outcomes) expect(['pass', 'fail', 'review', 'not_applicable']).toContain(o.status);
    });

    it('fails the four-fifths rule (29 CFR 1607.4(D)) for African-American defendants', () => {
      const o = outcome(outcomes, 'eeoc-ugesp', '29 CFR 1607.4(D)');
      expect(o.status).toBe('fail');
      const aa = groupEvidence(o, 'race', 'African-American');
      // .4118 / .7905 = 0.521 (Other has the highest low-risk rate).
      expect(aa.value).toBeCloseTo(FAVORABLE['African-American'] / RACE_TOP, 3);
      expect(aa).toMatchObject({ threshold: 0.8, count: 3696 });
      expect(aa.pValue).toBeLessThan(0.05);
    });

    it('fails NYC LL144 5-301(b) impact ratios for African-American defendants', () => {
      const o = outcome(outcomes, 'nyc-ll144', '6 RCNY 5-301(b)');
      expect(o.status).toBe('fail');
      expect(groupEvidence(o, 'race', 'African-American').value).toBeCloseTo(
        FAVORABLE['African-American'] / RACE_TOP,
        3,
      );
      expect(o.rationale).toMatch(/below the 80% four-fifths threshold/);
    });

    it('has no drift to judge on the model first audit', () => {
      const o = outcome(outcomes, 'nist-ai-rmf', 'MEASURE 2.4');
      expect(o.status).toBe('review');
      expect(o.rationale).toContain('no earlier audit');
    });

    it('fails a documentation control naming the missing field, and passes it once the model documents it', async () => {
      const before = outcome(outcomes, 'hipaa', '45 CFR 164.514(b)');
      expect(before.status).toBe('fail');
      expect(before.rationale).toContain('deidentificationMethod');
      expect(before.evidence).toEqual([{ metric: 'documentation.deidentificationMethod', value: 'missing' }]);

      await t.http
        .patch(`/v1/models/${modelId}`)
        .set(t.auth())
        .send({ documentation: { deidentificationMethod: 'HIPAA safe harbor: direct identifiers removed' } })
        .expect(200);
      const after = outcome(await controls(auditId, 'hipaa'), 'hipaa', '45 CFR 164.514(b)');
      expect(after.status).toBe('pass');
      expect(after.evidence).toEqual([{ metric: 'documentation.deidentificationMethod', value: 'present' }]);
    });

    it('limits the evaluation to the frameworks asked for', async () => {
      const only = await controls(auditId, 'eeoc-ugesp,nyc-ll144');
      expect(new Set(only.map((o) => o.framework))).toEqual(new Set(['eeoc-ugesp', 'nyc-ll144']));
      const eeocCount = (await t.http.get('/v1/frameworks/eeoc-ugesp/controls').set(t.auth())).body.length;
      const nycCount = (await t.http.get('/v1/frameworks/nyc-ll144/controls').set(t.auth())).body.length;
      expect(only).toHaveLength(eeocCount + nycCount);
    });

    it('answers an unknown framework with a 400 naming it and listing the valid IDs', async () => {
      const res = await t.http
        .get(`/v1/audits/${auditId}/controls?frameworks=eeoc-ugesp,gdpr`)
        .set(t.auth())
        .expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field: 'frameworks', message: 'unknown framework "gdpr"' }]);
      for (const id of CONTRACT_FRAMEWORKS) expect(res.body.detail).toContain(id);
      await t.http.get(`/v1/audits/${auditId}/controls?frameworks=`).set(t.auth()).expect(400);
    });

    it('answers an unknown or malformed audit id with 404 / 400', async () => {
      await t.http.get('/v1/audits/00000000-0000-4000-8000-000000000000/controls').set(t.auth()).expect(404);
      await t.http.get('/v1/audits/not-a-uuid/controls').set(t.auth()).expect(400);
    });

    it('compares a second audit of the model with the first for drift', async () => {
      const second = await uploadAudit(modelId, compasCsv, ['race', 'sex', 'age_cat']);
      const o = outcome(await controls(second, 'nist-ai-rmf'), 'nist-ai-rmf', 'MEASURE 2.4');
      // The same data twice: every drift check is within the limits.
      expect(o.status).toBe('pass');
      expect(o.evidence.length).toBeGreaterThan(0);
      expect(o.evidence.every((e) => e.metric.startsWith('drift.'))).toBe(true);
    });
  });

  describe('a stricter policy changes the verdict', () => {
    // COMPAS restricted to Caucasian, Hispanic and Other defendants. Low-risk rates from the reference:
    // Other .7905 (highest), Hispanic .7017 → IR .888, Caucasian .6520 → IR .825: both between 0.8 and 0.9.
    const SUBSET = new Set(['Caucasian', 'Hispanic', 'Other']);
    let auditId: string;

    beforeAll(async () => {
      const [header, ...lines] = compasCsv.trimEnd().split(/\r?\n/);
      const raceColumn = (header ?? '').split(',').indexOf('race');
      const kept = lines.filter((l) => SUBSET.has(l.split(',')[raceColumn] ?? ''));
      expect(kept).toHaveLength(2454 + 637 + 377);
      const modelId = await createModel('compas-subset', FULL_DOCUMENTATION);
      auditId = await uploadAudit(modelId, [header, ...kept].join('\n') + '\n', ['race']);
    });

    it('passes the four-fifths rule at the default 0.8 and fails it at a policy irMin of 0.9', async () => {
      const before = outcome(await controls(auditId, 'eeoc-ugesp'), 'eeoc-ugesp', '29 CFR 1607.4(D)');
      expect(before.status).toBe('pass');
      expect(before.policyVersion).toBe(0);

      const put = await t.http
        .put('/v1/policy')
        .set(t.auth())
        .send({ thresholds: { irMin: 0.9 } })
        .expect(200);
      expect(put.body).toMatchObject({ version: 1, thresholds: { irMin: 0.9, gapMax: 0.05 } });

      const after = outcome(await controls(auditId, 'eeoc-ugesp'), 'eeoc-ugesp', '29 CFR 1607.4(D)');
      expect(after.status).toBe('fail');
      expect(after.policyVersion).toBe(1);
      const caucasian = groupEvidence(after, 'race', 'Caucasian');
      expect(caucasian.value).toBeCloseTo(FAVORABLE.Caucasian / FAVORABLE.Other, 3);
      expect(caucasian.threshold).toBe(0.9);
      expect(groupEvidence(after, 'race', 'Hispanic').value).toBeCloseTo(
        FAVORABLE.Hispanic / FAVORABLE.Other,
        3,
      );
      expect(after.rationale).toContain("the policy's 90% threshold");
    });

    it('keeps every version, records the change in the audit trail and serves the history', async () => {
      const current = await t.http.get('/v1/policy').set(t.auth()).expect(200);
      expect(current.body).toMatchObject({ version: 1, thresholds: { irMin: 0.9 } });
      expect(current.body.createdByKeyId).toEqual(expect.any(String));

      const history = await t.http.get('/v1/policy/versions').set(t.auth()).expect(200);
      expect((history.body.items as { version: number }[]).map((v) => v.version)).toEqual([1, 0]);
      expect(history.body.nextCursor).toBeNull();
      const page = await t.http.get('/v1/policy/versions?limit=1').set(t.auth()).expect(200);
      expect([page.body.items.length, page.body.nextCursor]).toEqual([1, '1']);
      const next = await t.http.get('/v1/policy/versions?limit=1&cursor=1').set(t.auth()).expect(200);
      expect(next.body.items[0].thresholds.irMin).toBe(0.8);

      const v1 = await t.http.get('/v1/policy/versions/1').set(t.auth()).expect(200);
      expect(v1.body.thresholds.irMin).toBe(0.9);
      await t.http.get('/v1/policy/versions/7').set(t.auth()).expect(404);
      // Beyond the integer column: still no such version, not a database error.
      const huge = await t.http.get('/v1/policy/versions/99999999999').set(t.auth()).expect(404);
      expect(huge.headers['content-type']).toMatch(/^application\/problem\+json/);
      await t.http.get('/v1/policy/versions/-99999999999').set(t.auth()).expect(404);

      const events = await t.http.get('/v1/audit-events').set(t.auth()).expect(200);
      const updated = (events.body.items as { action: string; objectId: string; details: object }[]).filter(
        (e) => e.action === 'policy.updated',
      );
      expect(updated).toHaveLength(1);
      expect(updated[0]).toMatchObject({
        objectId: '1',
        details: { version: 1, previousVersion: 0, thresholds: { irMin: 0.9 } },
      });
    });

    it('replaces the policy on PUT: thresholds left out return to the defaults', async () => {
      const put = await t.http
        .put('/v1/policy')
        .set(t.auth())
        .send({ frameworks: ['eeoc-ugesp'] })
        .expect(200);
      expect(put.body).toMatchObject({ version: 2, frameworks: ['eeoc-ugesp'], thresholds: { irMin: 0.8 } });
      const byDefault = await controls(auditId);
      expect(new Set(byDefault.map((o) => o.framework))).toEqual(new Set(['eeoc-ugesp']));
      expect(outcome(byDefault, 'eeoc-ugesp', '29 CFR 1607.4(D)')).toMatchObject({
        status: 'pass',
        policyVersion: 2,
      });
    });
  });
});
