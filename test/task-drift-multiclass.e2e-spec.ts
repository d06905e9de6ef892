/**
 * Drift and controls of multiclass audits end to end on PostgreSQL: the discharge-disposition demo
 * (test/fixtures/multiclass) split into its first and second half, uploaded as two audits of one model.
 * GET /drift compares the class mixes as scipy does (test/fixtures/multiclass/drift-reference.py: chi-square
 * of homogeneity and Jensen-Shannon distance of the true and of the predicted classes); GET /controls answers
 * every control with a status, the binary-only ones not_applicable with the reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import REFERENCE from './fixtures/multiclass/drift-reference.json';
import { startTestApp, type TestApp } from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON response bodies */
type Json = Record<string, any>;

const [HEADER = '', ...LINES] = readFileSync(
  join(__dirname, 'fixtures', 'multiclass', 'discharge-disposition.csv'),
  'utf8',
)
  .trim()
  .split('\n');
const CONFIG = {
  task: 'multiclass',
  classes: REFERENCE.classes,
  sensitiveAttributes: ['race', 'gender', 'age_group'],
};
/** The documented defaults (docs/metrics.md): a class mix warns when significant and a share moved 5 points. */
const ALPHA = 0.05;
const RATE_CHANGE_WARNING = 0.05;
const JS_WARNING = 0.1;

describe('Drift and controls of multiclass audits (PostgreSQL)', () => {
  let t: TestApp;
  let baselineId: string;
  let currentId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const model = await t.http.post('/v1/models').set(t.auth()).send({ name: 'discharge', version: '1' });
    const upload = (lines: string[], periodEnd: string) =>
      t.http
        .post(`/v1/models/${model.body.id as string}/audits`)
        .set(t.auth())
        .field('config', JSON.stringify({ ...CONFIG, periodEnd }))
        .attach('file', Buffer.from(`${HEADER}\n${lines.join('\n')}\n`), 'discharge.csv')
        .expect(201);
    baselineId = (await upload(LINES.slice(0, REFERENCE.half), '2026-01-31')).body.id;
    currentId = (await upload(LINES.slice(REFERENCE.half), '2026-02-28')).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /drift: the class mixes of the two halves, chi-square and Jensen-Shannon equal to scipy', async () => {
    const res = await t.http.get(`/v1/audits/${currentId}/drift`).set(t.auth()).expect(200);
    const body = res.body as Json;
    expect([body.baselineAuditId, body.baselineSource]).toEqual([baselineId, 'previous']);
    for (const [kind, metric] of [
      ['label', 'label_class'],
      ['score', 'predicted_class'],
    ] as const) {
      const ref = REFERENCE[metric];
      const of = (statistic: string): Json => {
        const found = (body.checks as Json[]).filter(
          (c) => c.kind === kind && c.metric === metric && c.statistic === statistic && !c.key,
        );
        expect(found).toHaveLength(1);
        return found[0]!;
      };
      const chi = of('chi_square');
      expect(chi.value).toBeCloseTo(ref.chiSquare, 9);
      expect(chi.pValue / ref.pValue).toBeCloseTo(1, 8);
      // status: significant and a share moved at least 5 points (shares counted from the reference's counts)
      const share = (xs: number[], i: number) => xs[i]! / xs.reduce((a, b) => a + b, 0);
      const moved = Math.max(
        ...REFERENCE.classes.map((_, i) =>
          Math.abs(share(ref.counts.current, i) - share(ref.counts.baseline, i)),
        ),
      );
      expect(chi.status).toBe(ref.pValue < ALPHA && moved >= RATE_CHANGE_WARNING ? 'warning' : 'ok');
      const js = of('js_distance');
      expect(js.value).toBeCloseTo(ref.jsDistance, 10);
      expect(js.status).toBe(ref.jsDistance >= JS_WARNING ? 'warning' : 'ok');
    }
    // per-class checks name their class, and every check has a status
    expect((body.checks as Json[]).some((c) => c.class === 'Facility')).toBe(true);
    for (const c of body.checks as Json[]) expect(['ok', 'warning', 'alert']).toContain(c.status);
  });

  it('a multiclass audit is its own baseline: the class mixes do not move', async () => {
    const res = await t.http
      .get(`/v1/audits/${currentId}/drift?baseline=${currentId}`)
      .set(t.auth())
      .expect(200);
    const chi = (res.body.checks as Json[]).find(
      (c) => c.metric === 'label_class' && c.statistic === 'chi_square',
    )!;
    expect([chi.value, chi.status]).toEqual([0, 'ok']);
  });

  it('GET /controls: no 500, every control has a status; binary-only ones not_applicable with the reason', async () => {
    for (const id of [baselineId, currentId]) {
      const res = await t.http.get(`/v1/audits/${id}/controls`).set(t.auth()).expect(200);
      const outcomes = res.body as Json[];
      expect(outcomes.length).toBeGreaterThan(0);
      for (const o of outcomes) {
        expect(['pass', 'fail', 'review', 'inconclusive', 'not_applicable']).toContain(o.status);
        expect(typeof o.rationale).toBe('string');
      }
      // the four-fifths rule is defined for binary selection decisions
      expect(outcomes.find((o) => o.controlId === '29 CFR 1607.4(D)')).toMatchObject({
        status: 'not_applicable',
        rationale: expect.stringMatching(
          /defined for binary selection decisions; this audit is a multiclass/,
        ),
      });
    }
  });
});
