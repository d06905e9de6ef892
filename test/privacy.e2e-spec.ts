import { binary, pdfLines } from './support/pdf';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Differential privacy over HTTP on PostgreSQL (docs/privacy.md): an admin sets a model's budget, a noised
 * cell-table upload spends its ε and its intervals include the noise (compared with the same counts uploaded
 * without privacy, by the formula of docs/metrics.md worked out here), every report and export says the
 * figures are noised, and an upload that would overrun the budget is refused with 409 and stores nothing.
 */

const Z = 1.959963984540054;
/** Two-sided geometric at ε = 1: Var = 2α/(1 − α)², α = e^−1 (no rounding: the noise is integer). */
const GEOMETRIC_VARIANCE = (2 * Math.exp(-1)) / (1 - Math.exp(-1)) ** 2;

/** One row per person (n = 1): group A TP 40, FN 20, FP 15, TN 65; group B TP 25, FN 25, FP 10, TN 60. */
function cellTable(): string {
  const lines = ['race,y_true,y_pred,n'];
  const add = (race: string, y: number, p: number, k: number): void => {
    for (let i = 0; i < k; i++) lines.push(`${race},${y},${p},1`);
  };
  add('A', 1, 1, 40);
  add('A', 1, 0, 20);
  add('A', 0, 1, 15);
  add('A', 0, 0, 65);
  add('B', 1, 1, 25);
  add('B', 1, 0, 25);
  add('B', 0, 1, 10);
  add('B', 0, 0, 60);
  return lines.join('\n') + '\n';
}

interface Rate {
  value: number;
  ciLow: number;
  ciHigh: number;
}
interface Metrics {
  overall: { metrics: Record<string, Rate> };
  slices: { groups: { key: Record<string, string>; metrics: Record<string, Rate> }[] }[];
}
interface Evidence {
  auditId: string;
  privacy?: string;
}

describe('differential privacy (e2e)', () => {
  let t: TestApp;
  let modelId: string;
  let viewerKey: string;

  const upload = (privacy?: object, name = 'cells') =>
    t.http
      .post(`/v1/models/${modelId}/audits`)
      .set(t.auth())
      .field(
        'config',
        JSON.stringify({
          sensitiveAttributes: ['race'],
          labelColumn: 'y_true',
          predictionColumn: 'y_pred',
          countColumn: 'n',
          minGroupSize: 1,
          name,
          ...(privacy && { privacy }),
        }),
      )
      .attach('file', Buffer.from(cellTable()), { filename: 'cells.csv', contentType: 'text/csv' });
  const budget = async (): Promise<Record<string, unknown>> =>
    (await t.http.get(`/v1/models/${modelId}/privacy-budget`).set(t.auth(viewerKey)).expect(200))
      .body as Record<string, unknown>;
  const auditCount = async () =>
    (await t.http.get(`/v1/models/${modelId}/audits`).set(t.auth()).expect(200)).body.items.length as number;

  beforeAll(async () => {
    t = await startTestApp(process.env.DEBUG_PRIVACY ? { LOG_LEVEL: 'trace' } : {});
    viewerKey = (await t.createKey('viewer', 'privacy-viewer')).key;
    modelId = (
      await t.http.post('/v1/models').set(t.auth()).send({ name: 'dp-model', version: '1' }).expect(201)
    ).body.id as string;
  });
  afterAll(() => t.close());

  it('has no budget at first; an admin sets one; bad budgets are refused and change nothing', async () => {
    expect(await budget()).toEqual({
      modelId,
      epsilon: null,
      delta: null,
      spentEpsilon: 0,
      spentDelta: 0,
      remainingEpsilon: null,
      remainingDelta: null,
      noisedAudits: 0,
      composition: 'basic',
    });
    for (const body of [{ epsilon: 0 }, { epsilon: 1, delta: 1 }, { delta: 0.1 }, { epsilon: 'x' }]) {
      const res = await t.http
        .put(`/v1/models/${modelId}/privacy-budget`)
        .set(t.auth())
        .send(body)
        .expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    await t.http
      .put(`/v1/models/${modelId}/privacy-budget`)
      .set(t.auth(viewerKey))
      .send({ epsilon: 5 })
      .expect(403);
    expect((await budget()).epsilon).toBeNull();
    const set = await t.http
      .put(`/v1/models/${modelId}/privacy-budget`)
      .set(t.auth())
      .send({ epsilon: 1.5 })
      .expect(200);
    expect(set.body).toMatchObject({ epsilon: 1.5, delta: 0, remainingEpsilon: 1.5, remainingDelta: 0 });
  });

  let plainId: string;
  let noisedId: string;

  it('stores a noised upload with its config.privacy and spends its ε; a plain upload spends nothing', async () => {
    plainId = (await upload(undefined, 'plain').expect(201)).body.id as string;
    expect((await budget()).spentEpsilon).toBe(0);
    const res = await upload({ mechanism: 'geometric', epsilon: 1 }, 'noised').expect(201);
    noisedId = res.body.id as string;
    const audit = (await t.http.get(`/v1/audits/${noisedId}`).set(t.auth()).expect(200)).body;
    expect(audit.config.privacy).toEqual({ mechanism: 'geometric', epsilon: 1 });
    expect(await budget()).toMatchObject({
      spentEpsilon: 1,
      remainingEpsilon: 0.5,
      noisedAudits: 1,
    });
  });

  it('widens each rate interval versus the same counts without privacy, by the formula', async () => {
    const metrics = async (id: string): Promise<Metrics> =>
      (await t.http.get(`/v1/audits/${id}/metrics`).set(t.auth()).expect(200)).body as Metrics;
    const [plain, noised] = [await metrics(plainId), await metrics(noisedId)];
    // Group B's TPR: p = 25/50 from k_num = 25 and k_den = 50 noised cells (one per person here).
    const group = (r: Metrics) => r.slices[0]!.groups.find((g) => g.key.race === 'B')!;
    const [before, after] = [
      group(plain).metrics.true_positive_rate!,
      group(noised).metrics.true_positive_rate!,
    ];
    expect(after.value).toBe(0.5);
    const noise = (GEOMETRIC_VARIANCE * (25 * 0.5 ** 2 + 25 * 0.5 ** 2)) / 50 ** 2;
    expect(after.ciLow).toBeCloseTo(0.5 - Math.sqrt((0.5 - before.ciLow) ** 2 + Z * Z * noise), 10);
    expect(after.ciHigh).toBeCloseTo(0.5 + Math.sqrt((before.ciHigh - 0.5) ** 2 + Z * Z * noise), 10);
    // Overall selection rate: 90 of 260, k_num = 90, k_den = 260.
    const p = 90 / 260;
    const overallNoise = (GEOMETRIC_VARIANCE * (90 * (1 - p) ** 2 + 170 * p * p)) / 260 ** 2;
    const [b, a] = [plain.overall.metrics.selection_rate!, noised.overall.metrics.selection_rate!];
    expect(a.ciLow).toBeCloseTo(p - Math.sqrt((p - b.ciLow) ** 2 + Z * Z * overallNoise), 10);
    expect(a.ciLow).toBeLessThan(b.ciLow);
  });

  it('refuses an upload that would overrun the budget (409 naming ε) and stores nothing', async () => {
    const before = [await auditCount(), await budget()];
    const res = await upload({ mechanism: 'laplace', epsilon: 0.6 }, 'too much').expect(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors).toEqual([
      {
        field: 'config.privacy.epsilon',
        message: "ε = 0.6 exceeds the model's remaining budget ε = 0.5 (spent 1 of 1.5)",
      },
    ]);
    // δ without a δ budget is refused too, naming δ.
    const delta = await upload({ mechanism: 'gaussian', epsilon: 0.1, delta: 1e-6 }, 'delta').expect(409);
    expect((delta.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['config.privacy.delta']);
    expect([await auditCount(), await budget()]).toEqual(before);
    // What fits still fits: ε = 0.5 exactly uses the rest.
    await upload({ mechanism: 'laplace', epsilon: 0.5 }, 'the rest').expect(201);
    expect(await budget()).toMatchObject({ spentEpsilon: 1.5, remainingEpsilon: 0, noisedAudits: 2 });
  });

  it('states the noise on the report cover and in its methodology (PDF text)', async () => {
    const report = await t.http
      .post(`/v1/audits/${noisedId}/reports`)
      .set(t.auth())
      .send({ title: 'Noised audit' })
      .expect(201);
    const pdf = await t.http
      .get(`/v1/reports/${report.body.id}/pdf`)
      .set(t.auth())
      .buffer(true)
      .parse(binary)
      .expect(200);
    const { lines } = await pdfLines(pdf.body as Buffer);
    const pageText = (page: number): string =>
      lines
        .filter((l) => l.page === page)
        .map((l) => l.items.join(' '))
        .join(' ')
        .replace(/\s+/g, ' ');
    expect(pageText(1)).toContain('two-sided geometric mechanism (ε = 1)');
    expect(pageText(1)).toContain('noised counts');
    const pages = Math.max(...lines.map((l) => l.page));
    const methodology = Array.from({ length: pages - 1 }, (_, i) => pageText(i + 2)).join(' ');
    expect(methodology).toContain('Differential privacy');
    // pdfjs keeps the line break after a hyphen as a space.
    expect(methodology).toMatch(/\(ε = 1\)-\s?differentially private/);
    expect(methodology).toContain(
      `standard deviation of about ${Math.sqrt(GEOMETRIC_VARIANCE).toPrecision(3)}`,
    );
    // The plain audit's report says nothing of the kind.
    const plainReport = await t.http.post(`/v1/audits/${plainId}/reports`).set(t.auth()).send({}).expect(201);
    const plainPdf = await t.http
      .get(`/v1/reports/${plainReport.body.id}/pdf`)
      .set(t.auth())
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect((await pdfLines(plainPdf.body as Buffer)).text).not.toContain('ifferentially private');
  });

  it('says so in the HTI-1 export and the CHAI model card', async () => {
    const hti1 = (await t.http.get(`/v1/models/${modelId}/exports/hti-1`).set(t.auth()).expect(200)).body as {
      attributes: { evidence?: Evidence[] }[];
    };
    const evidence = hti1.attributes.flatMap((a) => a.evidence ?? []);
    const noised = evidence.filter((e) => e.auditId === noisedId);
    expect(noised.length).toBeGreaterThan(0);
    for (const e of noised) expect(e.privacy).toContain('two-sided geometric mechanism (ε = 1)');
    expect(evidence.filter((e) => e.auditId === plainId).every((e) => e.privacy === undefined)).toBe(true);
    const card = await t.http
      .get(`/v1/models/${modelId}/exports/chai-model-card`)
      .set(t.auth())
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect((card.body as Buffer).toString('utf8')).toContain(
      'Differentially private: the counts were noised',
    );
  });
});
