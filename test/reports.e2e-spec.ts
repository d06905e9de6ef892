import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { binary, pdfLines } from './support/pdf';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Reports over HTTP on the real AppModule: a CSV with a tiny race group (6 people) goes in, a signed PDF comes
 * out. The PDF is read back with pdfjs (an independent reader); expected rates and intervals are computed here
 * from the generated rows, and signatures are checked with node:crypto against the published public key.
 */

const TINY = 'Asian';
const GROUP_SIZES: [string, number][] = [
  ['White', 200],
  ['Black', 120],
  ['Hispanic', 74], // the next-smallest group: hidden too (complementary suppression)
  [TINY, 6],
];
const FRAMEWORKS = ['nist-ai-rmf', 'hhs-1557', 'eeoc-ugesp'];

interface Row {
  race: string;
  sex: string;
  yTrue: number;
  yPred: number;
  score: number;
}

/** Deterministic rows: Black patients get lower scores, so their selection rate is lower. */
function makeRows(seed: number): Row[] {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const rows: Row[] = [];
  for (const [race, n] of GROUP_SIZES) {
    for (let i = 0; i < n; i++) {
      const score = Math.round(rand() * (race === 'Black' ? 0.75 : 1) * 1000) / 1000;
      rows.push({
        race,
        sex: i % 2 === 0 ? 'Female' : 'Male',
        score,
        yPred: score >= 0.5 ? 1 : 0,
        yTrue: rand() < 0.2 + 0.6 * score ? 1 : 0,
      });
    }
  }
  return rows;
}

function toCsv(rows: Row[]): string {
  const lines = ['patient_id,y_true,y_pred,score,race,sex'];
  rows.forEach((r, i) => lines.push(`P${1000 + i},${r.yTrue},${r.yPred},${r.score},${r.race},${r.sex}`));
  return lines.join('\n') + '\n';
}

/** Wilson score interval, 95%. */
function wilson(k: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [c - h, c + h];
}

jest.setTimeout(120_000);

describe('reports: signed PDFs with small-cell suppression', () => {
  let t: TestApp;
  let viewerKey: string;
  let officerKey: string;
  let otherOrgKey: string;
  let modelId: string;
  let auditId: string;
  let report: Record<string, unknown> & {
    id: string;
    sha256: string;
    signature: string;
    signingKeyId: string;
  };
  let pdf: Buffer;
  const rows = makeRows(20260312);

  const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

  async function submitAudit(data: Row[], name: string): Promise<string> {
    const config = {
      labelColumn: 'y_true',
      predictionColumn: 'y_pred',
      scoreColumn: 'score',
      sensitiveAttributes: ['race', 'sex'],
      intersections: [['race', 'sex']],
      name,
    };
    const res = await t.http
      .post(`/v1/models/${modelId}/audits`)
      .set(t.auth())
      .field('config', JSON.stringify(config))
      .attach('file', Buffer.from(toCsv(data)), { filename: 'predictions.csv', contentType: 'text/csv' })
      .expect(201);
    return res.body.id as string;
  }

  const downloadPdf = async (id: string, key?: string): Promise<Buffer> => {
    const res = await t.http
      .get(`/v1/reports/${id}/pdf`)
      .set(t.auth(key))
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="fairwatch-report-${id}.pdf"`);
    return res.body as Buffer;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const newKey = async (role: string) =>
      (await t.http.post('/v1/api-keys').set(t.auth()).send({ name: role, role }).expect(201)).body
        .key as string;
    viewerKey = await newKey('viewer');
    officerKey = await newKey('compliance_officer');
    otherOrgKey = (
      await t.http.post('/v1/organizations').set(t.auth()).send({ name: 'Elsewhere Clinic' }).expect(201)
    ).body.adminKey as string;
    const model = await t.http
      .post('/v1/models')
      .set(t.auth())
      .send({
        name: 'readmission-risk',
        version: '2.3.1',
        intendedUse: 'Flag inpatients for follow-up calls.',
      })
      .expect(201);
    modelId = model.body.id as string;
    auditId = await submitAudit(rows, 'Q1 audit');
  });
  afterAll(() => t.close());

  it('creates a signed report (201) whose signature verifies offline with the published key', async () => {
    const res = await t.http
      .post(`/v1/audits/${auditId}/reports`)
      .set(bearer(officerKey))
      .send({ frameworks: FRAMEWORKS, title: 'Q1 fairness audit' })
      .expect(201);
    report = res.body;
    expect(report).toMatchObject({
      auditId,
      title: 'Q1 fairness audit',
      frameworks: FRAMEWORKS,
      policyVersion: expect.any(Number),
    });
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Number.isNaN(Date.parse(report.createdAt as string))).toBe(false);

    pdf = await downloadPdf(report.id, officerKey);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(report.sha256);

    const key = (await t.http.get('/v1/reports/signing-key').set(bearer(viewerKey)).expect(200)).body;
    expect(key.algorithm).toBe('Ed25519');
    expect(key.keyId).toBe(report.signingKeyId);
    const publicKey = createPublicKey(key.publicKeyPem as string);
    const der = publicKey.export({ type: 'spki', format: 'der' });
    expect(createHash('sha256').update(der).digest('hex').slice(0, 16)).toBe(key.keyId);
    expect(verify(null, pdf, publicKey, Buffer.from(report.signature, 'base64'))).toBe(true);
    const tampered = Buffer.from(pdf);
    const mid = tampered.length >> 1;
    tampered.writeUInt8(tampered.readUInt8(mid) ^ 0x01, mid);
    expect(verify(null, tampered, publicKey, Buffer.from(report.signature, 'base64'))).toBe(false);

    // stored in one transaction with its audit-trail event
    const [row] = await t.dataSource.query(
      'SELECT sha256, octet_length(pdf) AS size, signing_key_id FROM reports WHERE id = $1',
      [report.id],
    );
    expect(row).toEqual({ sha256: report.sha256, size: pdf.length, signing_key_id: key.keyId });
    const events = await t.dataSource.query(
      "SELECT details FROM audit_events WHERE action = 'report.created' AND object_id = $1",
      [report.id],
    );
    expect(events).toHaveLength(1);
    expect(events[0].details).toMatchObject({ auditId, sha256: report.sha256 });
  });

  it('prints control IDs, the verdict, group names and values that match the JSON form and the data', async () => {
    const { lines, text } = await pdfLines(pdf);
    const flat = text.replace(/\s+/g, ' ');
    for (const id of ['MEASURE 2.11', 'MEASURE 2.10', 'MAP 1.1']) expect(flat).toContain(id);
    for (const g of ['White', 'Black', 'Hispanic', TINY, 'Female', 'Male']) expect(flat).toContain(g);
    // the appendix links the model's signed transparency exports
    expect(flat.replace(/ /g, '')).toContain(`/v1/models/${modelId}/exports/chai-model-card`);

    // the verdict, from the controls route (an independent evaluation of the same audit)
    const controls = (
      await t.http
        .get(`/v1/audits/${auditId}/controls?frameworks=${FRAMEWORKS.join(',')}`)
        .set(t.auth())
        .expect(200)
    ).body as { controlId: string; status: string }[];
    const statuses = controls.map((c) => c.status);
    const verdict = statuses.includes('fail') ? 'fail' : statuses.includes('review') ? 'review' : 'pass';
    const words = { fail: 'FAILS', review: 'NEEDS REVIEW', pass: 'PASSES' }[verdict];
    expect(flat).toContain(words);
    expect(report.verdict).toBe(verdict);
    // every evaluated control is printed (long IDs wrap in their column: "45 CFR" / "92.210(b)")
    for (const c of controls) expect(flat).toContain(c.controlId.split(' ').pop());
    expect(controls.map((c) => c.controlId)).toEqual(
      expect.arrayContaining(['45 CFR 92.210(b)', '29 CFR 1607.4(D)']),
    );

    // the JSON form: same report, same numbers
    const json = await t.http.get(`/v1/reports/${report.id}`).set(bearer(viewerKey)).expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body).toMatchObject({ id: report.id, sha256: report.sha256, signature: report.signature });
    const content = json.body.content;
    expect(content.cover.verdict).toBe(verdict);
    const raceSlice = content.slices.find((s: { attributes: string[] }) => s.attributes.join() === 'race');
    expect(raceSlice.columns[0]).toBe('Selection rate');

    for (const [race, n] of GROUP_SIZES.filter(([r]) => r === 'White' || r === 'Black')) {
      const group = rows.filter((r) => r.race === race);
      const k = group.filter((r) => r.yPred === 1).length;
      const [lo, hi] = wilson(k, n);
      const expected = `${(k / n).toFixed(2)} (${lo.toFixed(2)}–${hi.toFixed(2)})`;
      const jsonRow = raceSlice.rows.find((r: { label: string }) => r.label === race);
      expect(jsonRow.count).toBe(String(n));
      expect(jsonRow.cells[0].text).toBe(expected);
      // the PDF's row for the group (race table): group, n, selection rate, ...; the intervals on the line below
      const at = lines.findIndex((l) => l.items[0] === race && l.items[1] === String(n));
      expect(at).toBeGreaterThanOrEqual(0);
      expect(lines[at]!.items[2]).toBe((k / n).toFixed(2));
      expect(lines[at]!.items[2]).toBe(jsonRow.cells[0].value);
      expect(lines[at + 1]!.items[0]).toBe(`(${lo.toFixed(2)}–${hi.toFixed(2)})`);
      expect(lines[at + 1]!.items[0]).toBe(jsonRow.cells[0].interval);
    }

    // the tiny group: its count is shown as ≤10, never 1..10, in the JSON and on every PDF line naming it
    const tinyJson = raceSlice.rows.find((r: { label: string }) => r.label === TINY);
    expect(tinyJson.count).toBe('≤10');
    const tinyLines = lines.filter((l) => l.items.some((s) => s === TINY || s.startsWith(`${TINY} ×`)));
    expect(tinyLines.length).toBeGreaterThan(0);
    for (const l of tinyLines) {
      for (const s of l.items) expect(/^(?:[1-9]|10)$/.test(s.replace(/[(),%]/g, ''))).toBe(false);
    }
    expect(tinyLines.some((l) => l.items.includes('≤10'))).toBe(true);
    expect(flat).not.toMatch(new RegExp(`${TINY}\\D{0,4}\\b6\\b`));
    expect(flat).not.toMatch(/\bn = (?:[1-9]|10)\b/);
    expect(JSON.stringify(content)).not.toMatch(/"count":"6"/);
  });

  it('adds a calibration page (scores in [0, 1] with labels): O/E per group from the rows, small groups hidden', async () => {
    const json = await t.http.get(`/v1/reports/${report.id}`).set(bearer(viewerKey)).expect(200);
    const race = (
      json.body.content.calibration.slices as {
        title: string;
        groups: { label: string; observedExpected: string; hidden: boolean }[];
        chart: { series: { label: string; points: unknown[] }[] };
      }[]
    ).find((s) => s.title === 'race')!;
    // O/E = Σy / Σscore, interval exp(ln(O/E) ± 1.96/√O) (docs/metrics.md), computed here from the rows
    for (const g of ['White', 'Black']) {
      const group = rows.filter((r) => r.race === g);
      const o = group.reduce((a, r) => a + r.yTrue, 0);
      const oe = o / group.reduce((a, r) => a + r.score, 0);
      const half = 1.959964 / Math.sqrt(o);
      const expected = `${oe.toFixed(2)} (${(oe * Math.exp(-half)).toFixed(2)}–${(oe * Math.exp(half)).toFixed(2)})`;
      expect(race.groups.find((r) => r.label === g)?.observedExpected).toBe(expected);
    }
    // the tiny group and its partner: hidden in the tables, hidden here, never plotted
    for (const g of [TINY, 'Hispanic']) {
      expect(race.groups.find((r) => r.label === g)).toMatchObject({
        hidden: true,
        observedExpected: 'suppressed',
      });
      expect(race.chart.series.filter((s) => s.points.length > 0).map((s) => s.label)).not.toContain(g);
    }
    const { text } = await pdfLines(pdf);
    expect(text).toContain('Calibration by group');
    expect(text).toMatch(/Reliability: race|No score bin of this slice can be plotted/);
  });

  it("adds a threshold page: each group's figures at the audit's threshold equal those counted from the rows", async () => {
    const json = await t.http.get(`/v1/reports/${report.id}`).set(bearer(viewerKey)).expect(200);
    const audit = await t.http.get(`/v1/audits/${auditId}`).set(t.auth()).expect(200);
    const threshold = audit.body.config.threshold as number;
    const page = json.body.content.thresholds as {
      auditThreshold: string;
      thresholds: string[];
      slices: {
        title: string;
        rows: {
          label: string;
          atAudit: boolean;
          threshold: string;
          figures: Record<string, string> | null;
        }[];
        equalOpportunity: { label: string; threshold: string }[];
        netBenefitChart: { series: { label: string }[] };
      }[];
    };
    expect(page.auditThreshold).toBe(String(threshold));
    expect(page.thresholds).toEqual(expect.arrayContaining(['0.1', '0.2', '0.3', '0.5', String(threshold)]));
    const race = page.slices.find((s) => s.title === 'race')!;
    // flagged = score >= threshold (the audit's rule); net benefit = TP/n − FP/n · t/(1 − t)
    for (const g of ['White', 'Black']) {
      const group = rows.filter((r) => r.race === g);
      const n = group.length;
      const flagged = group.filter((r) => r.score >= threshold);
      const tp = flagged.filter((r) => r.yTrue === 1).length;
      const fp = flagged.length - tp;
      const positives = group.filter((r) => r.yTrue === 1).length;
      const row = race.rows.find((r) => r.label === g && r.atAudit);
      expect(row?.threshold).toBe(String(threshold));
      expect(row?.figures).toEqual({
        selection_rate: (flagged.length / n).toFixed(2),
        true_positive_rate: (tp / positives).toFixed(2),
        false_positive_rate: (fp / (n - positives)).toFixed(2),
        positive_predictive_value: (tp / flagged.length).toFixed(2),
        alerts_per_1000: ((1000 * flagged.length) / n).toFixed(0),
        net_benefit: (tp / n - (fp / n) * (threshold / (1 - threshold))).toFixed(3),
      });
      expect(race.netBenefitChart.series.map((s) => s.label)).toContain(g);
    }
    // the tiny group and its partner: no figures, no equal-opportunity point, never plotted
    for (const g of [TINY, 'Hispanic']) {
      expect(race.rows.filter((r) => r.label === g).every((r) => r.figures === null)).toBe(true);
      expect(race.equalOpportunity.find((r) => r.label === g)?.threshold).toBe('suppressed');
      expect(race.netBenefitChart.series.map((s) => s.label)).not.toContain(g);
    }
    const { text } = await pdfLines(pdf);
    expect(text).toContain('Thresholds by group');
    expect(text).toContain('Net benefit by threshold: race');
  });

  it('makes the report for scores outside [0, 1] (e.g. logits), without the calibration and threshold pages', async () => {
    // a score on another scale (-2 to 2, like a logit): same order as the probability, outside [0, 1] for many rows
    const logits = rows.map((r) => ({ ...r, score: r.score * 4 - 2 }));
    expect(logits.some((r) => r.score < 0 || r.score > 1)).toBe(true);
    const logitAudit = await submitAudit(logits, 'Q1 audit, logit scores');
    const res = await t.http
      .post(`/v1/audits/${logitAudit}/reports`)
      .set(bearer(officerKey))
      .send({ title: 'Logit scores' })
      .expect(201);
    const json = await t.http.get(`/v1/reports/${res.body.id}`).set(bearer(viewerKey)).expect(200);
    expect(json.body.content.calibration).toBeNull();
    expect(json.body.content.thresholds).toBeNull();
    const { text } = await pdfLines(await downloadPdf(res.body.id as string, officerKey));
    expect(text).toContain('Results by group');
    expect(text).not.toContain('Calibration by group');
    expect(text).not.toContain('Thresholds by group');
    // and the probability-score audit still has both pages (the guard lets good input through)
    const { text: withPages } = await pdfLines(pdf);
    expect(withPages).toContain('Calibration by group');
    expect(withPages).toContain('Thresholds by group');
  });

  it('serves the PDF for Accept: application/pdf, and only to those who make reports', async () => {
    const res = await t.http
      .get(`/v1/reports/${report.id}`)
      .set(t.auth())
      .set('Accept', 'application/pdf')
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect((res.body as Buffer).equals(pdf)).toBe(true);

    await t.http.get(`/v1/reports/${report.id}/pdf`).set(bearer(viewerKey)).expect(403);
    await t.http
      .get(`/v1/reports/${report.id}`)
      .set(bearer(viewerKey))
      .set('Accept', 'application/pdf')
      .expect(403);
    const denied = await t.http
      .post(`/v1/audits/${auditId}/reports`)
      .set(bearer(viewerKey))
      .send({})
      .expect(403);
    expect(denied.headers['content-type']).toMatch(/problem\+json/);
  });

  it("records downloads in the audit trail as 'report.downloaded'", async () => {
    const events = await t.http.get('/v1/audit-events?limit=200').set(t.auth()).expect(200);
    const downloads = (events.body.items as { action: string; objectId: string | null }[]).filter(
      (e) => e.action === 'report.downloaded' && e.objectId === report.id,
    );
    // one by the officer (first test), one by the admin (Accept: application/pdf)
    expect(downloads).toHaveLength(2);
  });

  it('verifies the original PDF (raw and multipart) and rejects a one-byte change', async () => {
    const raw = await t.http
      .post('/v1/reports/verify')
      .set(bearer(viewerKey))
      .set('Content-Type', 'application/pdf')
      .send(pdf)
      .expect(200);
    expect(raw.body).toEqual({
      valid: true,
      kind: 'report',
      reportId: report.id,
      sha256: report.sha256,
      signedAt: report.createdAt,
      signingKeyId: report.signingKeyId,
    });

    const multipart = await t.http
      .post('/v1/reports/verify')
      .set(t.auth())
      .attach('file', pdf, { filename: 'report.pdf', contentType: 'application/pdf' })
      .expect(200);
    expect(multipart.body).toMatchObject({ valid: true, reportId: report.id });

    const changed = Buffer.from(pdf);
    const at = Math.floor(changed.length * 0.6);
    changed.writeUInt8(changed.readUInt8(at) ^ 0x20, at);
    const bad = await t.http
      .post('/v1/reports/verify')
      .set(t.auth())
      .set('Content-Type', 'application/pdf')
      .send(changed)
      .expect(200);
    expect(bad.body.valid).toBe(false);
    expect(bad.body.reportId).toBeUndefined();
    expect(bad.body.sha256).toBe(createHash('sha256').update(changed).digest('hex'));
    expect(typeof bad.body.reason).toBe('string');

    const verified = await t.dataSource.query(
      "SELECT details FROM audit_events WHERE action = 'report.verified' ORDER BY seq",
    );
    expect(verified.map((e: { details: { valid: boolean } }) => e.details.valid)).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('answers 400 for an empty or non-PDF body and 415 for another media type', async () => {
    const empty = await t.http
      .post('/v1/reports/verify')
      .set(t.auth())
      .set('Content-Type', 'application/pdf')
      .send(Buffer.alloc(0))
      .expect(400);
    expect(empty.headers['content-type']).toMatch(/problem\+json/);
    await t.http
      .post('/v1/reports/verify')
      .set(t.auth())
      .set('Content-Type', 'application/pdf')
      .send(Buffer.from('hello, not a pdf'))
      .expect(400);
    await t.http
      .post('/v1/reports/verify')
      .set(t.auth())
      .attach('other', pdf, { filename: 'report.pdf', contentType: 'application/pdf' })
      .expect(400);
    await t.http
      .post('/v1/reports/verify')
      .set(t.auth())
      .set('Content-Type', 'text/plain')
      .send('x')
      .expect(415);
    // JSON is an HTI-1 export to check, not a 415: bytes no export has are not valid
    const json = await t.http.post('/v1/reports/verify').set(t.auth()).send({ pdf: 'x' }).expect(200);
    expect(json.body.valid).toBe(false);
  });

  it('keeps another organization out: 404 for the report, and its PDF does not verify there', async () => {
    await t.http.get(`/v1/reports/${report.id}`).set(bearer(otherOrgKey)).expect(404);
    await t.http.get(`/v1/reports/${report.id}/pdf`).set(bearer(otherOrgKey)).expect(404);
    await t.http.get(`/v1/audits/${auditId}/reports`).set(bearer(otherOrgKey)).expect(404);
    await t.http.post(`/v1/audits/${auditId}/reports`).set(bearer(otherOrgKey)).send({}).expect(404);
    const res = await t.http
      .post('/v1/reports/verify')
      .set(bearer(otherOrgKey))
      .set('Content-Type', 'application/pdf')
      .send(pdf)
      .expect(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.reportId).toBeUndefined();
  });

  it('rejects an unknown framework with a 400 naming it, and stores nothing', async () => {
    const before = await t.dataSource.query('SELECT count(*)::int AS n FROM reports');
    const res = await t.http
      .post(`/v1/audits/${auditId}/reports`)
      .set(t.auth())
      .send({ frameworks: ['nist-ai-rmf', 'gdpr'] })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.detail).toContain('gdpr');
    await t.http.post(`/v1/audits/${auditId}/reports`).set(t.auth()).send({ title: 42 }).expect(400);
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM reports')).toEqual(before);
  });

  it("reports drift against the previous audit and lists an audit's reports", async () => {
    const first = (await t.http.get(`/v1/reports/${report.id}`).set(t.auth()).expect(200)).body.content;
    expect(first.drift.present).toBe(false);

    // the second audit: the same people, with Black patients' scores raised
    const shifted = rows.map((r) => {
      const score = r.race === 'Black' ? Math.min(1, Math.round((r.score + 0.3) * 1000) / 1000) : r.score;
      return { ...r, score, yPred: score >= 0.5 ? 1 : 0 };
    });
    const second = await submitAudit(shifted, 'Q2 audit');
    const created = await t.http.post(`/v1/audits/${second}/reports`).set(t.auth()).send({}).expect(201);
    expect(created.body.title).toBe('Fairness audit: readmission-risk 2.3.1');
    const content = (await t.http.get(`/v1/reports/${created.body.id}`).set(t.auth()).expect(200)).body
      .content;
    expect(content.drift.present).toBe(true);
    const drift = (await t.http.get(`/v1/audits/${second}/drift`).set(t.auth()).expect(200)).body;
    expect(content.drift.status).toBe(drift.status);
    // the report counts the checks that are not ok, lists the 12 that matter most (alerts first), counts the rest
    const notOk = drift.checks.filter((c: { status: string }) => c.status !== 'ok');
    expect(content.drift.attentionCount).toBe(notOk.length);
    expect(content.drift.checks).toHaveLength(Math.min(12, notOk.length));
    const alerts = notOk.filter((c: { status: string }) => c.status === 'alert').length;
    expect(content.drift.checks.map((c: { status: string }) => c.status)).toEqual(
      Array.from({ length: Math.min(12, notOk.length) }, (_, i) => (i < alerts ? 'alert' : 'warning')),
    );
    expect(content.drift.okCount).toBe(drift.checks.length - notOk.length);
    // the trend of the selection rate by race spans both audits
    expect(content.drift.trends.length).toBeGreaterThan(0);

    const list = await t.http.get(`/v1/audits/${auditId}/reports`).set(bearer(viewerKey)).expect(200);
    expect(list.body.nextCursor).toBeNull();
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: report.id, sha256: report.sha256, verdict: report.verdict }),
    ]);
    expect(list.body.items[0].content).toBeUndefined();
  });

  it('documents every report route with its operationId, roles and PDF media type', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document, read loosely
    type Json = any;
    const doc = (await t.http.get('/openapi.json').expect(200)).body;
    const op = (path: string, method: string): Json => doc.paths[path][method];
    expect(op('/v1/audits/{auditId}/reports', 'post').operationId).toBe('createReport');
    expect(op('/v1/audits/{auditId}/reports', 'post')['x-roles']).toEqual(['admin', 'compliance_officer']);
    expect(op('/v1/audits/{auditId}/reports', 'get').operationId).toBe('listAuditReports');
    expect(op('/v1/reports/{reportId}', 'get').operationId).toBe('getReport');
    expect(Object.keys(op('/v1/reports/{reportId}', 'get').responses['200'].content)).toEqual([
      'application/json',
      'application/pdf',
    ]);
    const pdfOp = op('/v1/reports/{reportId}/pdf', 'get');
    expect(pdfOp.operationId).toBe('downloadReportPdf');
    expect(pdfOp.responses['200'].content['application/pdf'].schema).toEqual({
      type: 'string',
      format: 'binary',
    });
    expect(pdfOp['x-roles']).toEqual(['admin', 'compliance_officer']);
    const verifyOp = op('/v1/reports/verify', 'post');
    expect(verifyOp.operationId).toBe('verifyReport');
    expect(Object.keys(verifyOp.requestBody.content).sort()).toEqual([
      'application/json', // an HTI-1 export
      'application/pdf',
      'application/xml', // a model card
      'multipart/form-data',
    ]);
    expect(op('/v1/reports/signing-key', 'get').operationId).toBe('getSigningKey');
    expect(doc.components.schemas.ReportDto.required).toEqual(
      expect.arrayContaining(['id', 'auditId', 'sha256', 'signature', 'createdAt']),
    );
  });

  it('keeps the generated key across restarts, and signs with REPORT_SIGNING_KEY when given', async () => {
    const stored = await t.dataSource.query(
      'SELECT id, private_key_pem IS NOT NULL AS private FROM signing_keys',
    );
    expect(stored).toEqual([{ id: report.signingKeyId, private: true }]);
    if (t.database !== 'postgresql' || !t.config.databaseUrl) return;

    // a second instance on the same database reuses the key and still verifies the first report
    const again = await startTestApp({ DATABASE_URL: t.config.databaseUrl });
    try {
      const key = (await again.http.get('/v1/reports/signing-key').set(again.auth()).expect(200)).body;
      expect(key.keyId).toBe(report.signingKeyId);
      const res = await again.http
        .post('/v1/reports/verify')
        .set(again.auth())
        .set('Content-Type', 'application/pdf')
        .send(pdf)
        .expect(200);
      expect(res.body).toMatchObject({ valid: true, reportId: report.id });
    } finally {
      await again.close();
    }

    // a configured key: its id is derived from its public key; older reports still verify
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const configuredId = createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex')
      .slice(0, 16);
    const configured = await startTestApp({ DATABASE_URL: t.config.databaseUrl, REPORT_SIGNING_KEY: pem });
    try {
      const key = (await configured.http.get('/v1/reports/signing-key').set(configured.auth()).expect(200))
        .body;
      expect(key.keyId).toBe(configuredId);
      const made = await configured.http
        .post(`/v1/audits/${auditId}/reports`)
        .set(configured.auth())
        .send({})
        .expect(201);
      expect(made.body.signingKeyId).toBe(configuredId);
      const bytes = (
        await configured.http
          .get(`/v1/reports/${made.body.id}/pdf`)
          .set(configured.auth())
          .buffer(true)
          .parse(binary)
      ).body as Buffer;
      expect(verify(null, bytes, publicKey, Buffer.from(made.body.signature as string, 'base64'))).toBe(true);
      const old = await configured.http
        .post('/v1/reports/verify')
        .set(configured.auth())
        .set('Content-Type', 'application/pdf')
        .send(pdf)
        .expect(200);
      expect(old.body).toMatchObject({ valid: true, reportId: report.id, signingKeyId: report.signingKeyId });
    } finally {
      await configured.close();
    }
    const keys = await t.dataSource.query(
      'SELECT id, private_key_pem IS NOT NULL AS private FROM signing_keys ORDER BY id',
    );
    expect(keys).toEqual(
      [
        { id: report.signingKeyId, private: true },
        { id: configuredId, private: false },
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
  });
});
