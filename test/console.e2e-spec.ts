/**
 * The compliance console in a real browser (Debian's Chromium through playwright-core) against the real
 * AppModule on a fresh database: sign in, see COMPAS flagged, open its audit, read a group's numbers and check
 * them against the API, create and download the signed report, verify it, look at drift, sign out; a viewer
 * sees no "Create report" and the API refuses it anyway; a revoked key and an unreachable server show their
 * messages. Screenshots of every page are written to /tmp/console-*.png.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { formatCount, formatNumber, groupLabel, suppressSlice } from '../src/core/reports';
import { findBrowser } from './support/browser';
import { COMPAS_CSV } from './support/datasets';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

const COMPAS = COMPAS_CSV;
const CONFIG = {
  labelColumn: 'label_value',
  predictionColumn: 'score',
  sensitiveAttributes: ['race', 'sex', 'age_cat'],
  favorableOutcome: 'negative',
};
const SHOTS = '/tmp';

interface MetricValue {
  value: number | null;
  ciLow?: number | null;
  ciHigh?: number | null;
}
interface Group {
  key: Record<string, string>;
  count: number;
  metrics: Record<string, MetricValue>;
  disparities: Record<string, { ratio: number | null; impactRatio?: number | null }>;
  flags: string[];
}
interface Slice {
  attributes: string[];
  reference: Record<string, string>;
  groups: Group[];
}
interface Metrics {
  slices: Slice[];
}

jest.setTimeout(180_000);

describe('compliance console (browser)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let modelId: string;
  let auditId: string;
  let viewerKey: string;
  let metrics: Metrics;

  beforeAll(async () => {
    const executablePath = findBrowser();
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;

    const model = await t.http
      .post('/v1/models')
      .set(t.auth())
      .send({ name: 'COMPAS recidivism', version: '1.0', owner: 'Risk and fairness team' });
    expect(model.status).toBe(201);
    modelId = model.body.id;
    const audit = await t.http
      .post(`/v1/models/${modelId}/audits`)
      .set(t.auth())
      .field('config', JSON.stringify(CONFIG))
      .attach('file', readFileSync(COMPAS), { filename: 'compas.csv', contentType: 'text/csv' });
    expect([audit.status, audit.body.detail]).toEqual([201, undefined]);
    auditId = audit.body.id;
    const m = await t.http.get(`/v1/audits/${auditId}/metrics`).set(t.auth()).expect(200);
    metrics = m.body;
    // A second model without audits: the overview lists it as never audited.
    await t.http
      .post('/v1/models')
      .set(t.auth())
      .send({ name: 'Sepsis early warning', version: '2.3' })
      .expect(201);
    const viewer = await t.http
      .post('/v1/api-keys')
      .set(t.auth())
      .send({ name: 'console viewer', role: 'viewer' });
    expect(viewer.status).toBe(201);
    viewerKey = viewer.body.key;

    browser = await chromium.launch({
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function newPage(): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    return { page, errors };
  }

  async function signIn(page: Page, key: string): Promise<void> {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#models-table').waitFor();
  }

  const text = async (page: Page, selector: string): Promise<string> =>
    ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

  it('serves the console at / without shadowing the API, health or docs', async () => {
    const index = await t.http.get('/').expect(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.text).toContain('Fairwatch compliance console');
    await t.http
      .get('/assets/vendor/vega-embed.min.js')
      .expect(200)
      .expect('content-type', /javascript/);
    await t.http.get('/health').expect(200);
    await t.http.get('/openapi.json').expect(200);
    await t.http.get('/v1/models').expect(401);
    const me = await t.http.get('/v1/me').set(t.auth()).expect(200);
    expect(me.body).toEqual({
      role: 'admin',
      organizationId: expect.any(String),
      keyPrefix: expect.any(String),
    });
    await t.http.get('/assets/../package.json').expect(404);
  });

  it('signs in, flags COMPAS, shows matching numbers, creates, downloads and verifies the report, signs out', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${base}/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/console-signin.png`, fullPage: true });
    await signIn(page, ADMIN_KEY);

    // Overview: COMPAS first (worst), flagged as failing with its worst disparity outside the band.
    const firstRow = page.locator('#models-table tbody tr').first();
    expect(await firstRow.getAttribute('data-model-name')).toBe('COMPAS recidivism');
    expect(await text(page, '#models-table tbody tr:first-child [data-col="verdict"]')).toBe('Fails');
    const controls = await t.http.get(`/v1/audits/${auditId}/controls`).set(t.auth()).expect(200);
    expect((controls.body as { status: string }[]).some((c) => c.status === 'fail')).toBe(true);
    let worst: { value: number; label: string } | null = null;
    for (const slice of metrics.slices) {
      const sup = suppressSlice(slice as never);
      slice.groups.forEach((g, i) => {
        const ir = g.disparities.selection_rate?.impactRatio;
        if (ir === null || ir === undefined || sup.groups[i]?.impactRatioSuppressed) return;
        if (!worst || ir < worst.value) worst = { value: ir, label: groupLabel(g.key, slice.attributes) };
      });
    }
    expect(worst).not.toBeNull();
    const worstText = await text(page, '#models-table tbody tr:first-child [data-col="worst"]');
    expect(worstText).toContain(formatNumber(worst!.value));
    expect(worstText).toContain(worst!.label);
    expect(worstText).toContain('Outside band');
    expect(await text(page, '#models-table tbody tr:nth-child(2) [data-col="latest"]')).toContain(
      'Never audited',
    );
    await page.screenshot({ path: `${SHOTS}/console-models.png`, fullPage: true });

    // Audit page: the race table's numbers are the API's numbers, suppressed where the report suppresses.
    await page.getByRole('link', { name: 'COMPAS recidivism' }).click();
    await page.locator('#controls-table').waitFor();
    // The verdict comes first: the controls section (with its verdict line) precedes the group tables.
    const headings = await page.locator('main h2').allTextContents();
    expect(headings.indexOf('Controls')).toBeGreaterThanOrEqual(0);
    expect(headings.indexOf('Controls')).toBeLessThan(headings.indexOf('Groups'));
    expect(await page.locator('#controls-h ~ p').first().textContent()).toMatch(
      /^Verdict: (Fails|Needs review|Inconclusive|Passes)$/,
    );
    const race = metrics.slices.find((s) => s.attributes.join() === 'race')!;
    const sup = suppressSlice(race as never);
    const aa = race.groups.find((g) => g.key.race === 'African-American')!;
    const row = page.locator('table[data-slice="race"] tr[data-group="African-American"]');
    expect(await row.locator('[data-metric="count"]').textContent()).toBe(formatCount(aa.count));
    expect(await row.locator('[data-metric="selection_rate"] .value').textContent()).toBe(
      formatNumber(aa.metrics.selection_rate!.value),
    );
    expect(await row.locator('[data-metric="selection_rate"] .ci').textContent()).toBe(
      `(${formatNumber(aa.metrics.selection_rate!.ciLow)}–${formatNumber(aa.metrics.selection_rate!.ciHigh)})`,
    );
    expect(await row.locator('[data-metric="false_positive_rate"] .value').textContent()).toBe(
      formatNumber(aa.metrics.false_positive_rate!.value),
    );
    const cau = race.groups.find((g) => g.key.race === 'Caucasian')!;
    const cauRow = page.locator('table[data-slice="race"] tr[data-group="Caucasian"]');
    expect(await cauRow.locator('[data-metric="ratio"] .value').textContent()).toBe(
      formatNumber(cau.disparities.selection_rate!.ratio),
    );
    // Every group: the selection rate is shown exactly when the report shows it.
    for (const [i, g] of race.groups.entries()) {
      const cell = page.locator(
        `table[data-slice="race"] tr[data-group="${g.key.race}"] [data-metric="selection_rate"] .value`,
      );
      const hidden =
        sup.groups[i]!.countSuppressed || sup.groups[i]!.suppressedMetrics.selection_rate !== undefined;
      expect(await cell.textContent()).toBe(
        hidden ? 'suppressed' : formatNumber(g.metrics.selection_rate!.value),
      );
    }
    await page.locator('[data-chart="race"][data-rendered="true"]').waitFor();
    expect(errors).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/console-audit.png`, fullPage: true });

    // Create the report, then download its PDF.
    await page.getByRole('button', { name: 'Create report' }).click();
    const created = page.locator('#report-status [data-report-id]');
    await created.waitFor();
    const reportId = (await created.getAttribute('data-report-id'))!;
    const report = await t.http.get(`/v1/reports/${reportId}`).set(t.auth()).expect(200);
    expect(report.body.auditId).toBe(auditId);
    // The page's chart is the PDF's chart: the same chart model for the same slice.
    const pageChart: unknown = await page.evaluate('document.querySelector(\'[data-chart="race"]\').__chart');
    const content = report.body.content as {
      slices: {
        title: string;
        columns: string[];
        rows: { label: string; count: string; cells: { value: string }[] }[];
        chart: unknown;
      }[];
    };
    const pdfRace = content.slices.find((s) => s.title === 'race');
    expect(pdfRace?.rows.length).toBeGreaterThan(1);
    expect(pageChart).toEqual(pdfRace!.chart);
    // ... and the page's table is the PDF's table: same counts ("≤10" included) and selection rates.
    const rateColumn = pdfRace!.columns.indexOf('Selection rate');
    for (const r of pdfRace!.rows) {
      const pageRow = page.locator(`table[data-slice="race"] tr[data-group="${r.label}"]`);
      expect(await pageRow.locator('[data-metric="count"]').textContent()).toBe(r.count);
      expect(await pageRow.locator('[data-metric="selection_rate"] .value').textContent()).toBe(
        r.cells[rateColumn]!.value,
      );
    }
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    const pdfPath = `${SHOTS}/console-downloaded-report.pdf`;
    await download.saveAs(pdfPath);
    const pdf = readFileSync(pdfPath);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(report.body.sha256);
    await page.locator('#report-status .alert.ok').filter({ hasText: 'Downloaded' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/console-audit-report.png` });

    // Verify: the downloaded PDF is valid; a changed copy is not.
    await page.getByRole('link', { name: 'Verify a report' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Verify a report' }).waitFor();
    await page.setInputFiles('#verify-file', pdfPath);
    await page.locator('#verify-result [data-valid="true"]').waitFor();
    expect(await text(page, '#verify-result')).toContain(reportId);
    await page.screenshot({ path: `${SHOTS}/console-verify.png`, fullPage: true });
    const tampered = Buffer.from(pdf);
    const middle = Math.floor(tampered.length / 2);
    tampered.writeUInt8(tampered.readUInt8(middle) ^ 0x01, middle);
    await page.setInputFiles('#verify-file', {
      name: 'tampered.pdf',
      mimeType: 'application/pdf',
      buffer: tampered,
    });
    await page.locator('#verify-result [data-valid="false"]').waitFor();

    // Drift: the page's status is the API's.
    await page.goto(`${base}/#/models/${modelId}/drift`);
    await page.getByRole('heading', { level: 1, name: /^Drift: COMPAS/ }).waitFor();
    await page.locator('#timeline [data-chart="timeline"][data-rendered="true"]').waitFor();
    await page.screenshot({ path: `${SHOTS}/console-drift.png`, fullPage: true });

    // Sign out: back to sign-in, the key gone from the tab, never in localStorage.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    const storage: unknown = await page.evaluate(
      '({ session: sessionStorage.length, local: localStorage.length })',
    );
    expect(storage).toEqual({ session: 0, local: 0 });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows drift checks against the previous audit, with the API status', async () => {
    const second = await t.http
      .post(`/v1/models/${modelId}/audits`)
      .set(t.auth())
      .field('config', JSON.stringify(CONFIG))
      .attach('file', readFileSync(COMPAS), { filename: 'compas.csv', contentType: 'text/csv' });
    expect(second.status).toBe(201);
    const drift = await t.http.get(`/v1/audits/${second.body.id}/drift`).set(t.auth()).expect(200);
    const { page, errors } = await newPage();
    await signIn(page, ADMIN_KEY);
    await page.goto(`${base}/#/models/${modelId}/drift`);
    await page.getByRole('heading', { level: 2, name: 'Latest drift checks' }).waitFor();
    const labels: Record<string, string> = { ok: 'OK', warning: 'Warning', alert: 'Alert' };
    const overall = page.locator('section[aria-labelledby="checks-h"] p').first();
    await overall.locator('.badge').waitFor();
    expect(await overall.locator('.badge').textContent()).toBe(labels[drift.body.status as string]);
    await page.screenshot({ path: `${SHOTS}/console-drift-checks.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('hides "Create report" from a viewer, and the API refuses the viewer anyway', async () => {
    const { page } = await newPage();
    await signIn(page, viewerKey);
    await page.goto(`${base}/#/audits/${auditId}`);
    await page.locator('#controls-table').waitFor();
    expect(await page.getByRole('button', { name: 'Create report' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Download PDF' }).count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/console-audit-viewer.png` });
    await t.http.post(`/v1/audits/${auditId}/reports`).set(t.auth(viewerKey)).send({}).expect(403);
    await page.context().close();
  });

  it('sends a revoked key back to sign-in, and says when the server is unreachable', async () => {
    const key = await t.http
      .post('/v1/api-keys')
      .set(t.auth())
      .send({ name: 'short-lived', role: 'compliance_officer' });
    const { page } = await newPage();
    await signIn(page, key.body.key);
    await t.http.delete(`/v1/api-keys/${key.body.id}`).set(t.auth()).expect(204);
    await page.goto(`${base}/#/audits/${auditId}`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await text(page, '#status')).toContain('Your key was not accepted (expired or revoked)');
    await page.screenshot({ path: `${SHOTS}/console-expired.png` });

    await signIn(page, ADMIN_KEY);
    await page.route('**/v1/models?**', (route) => route.abort('connectionrefused'));
    await page.goto(`${base}/#/models`);
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'The server is not reachable' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/console-server-down.png` });
    await page.context().close();
  });

  it('is usable with the keyboard alone and readable at 200% zoom (no horizontal page overflow)', async () => {
    // 200% zoom of a 1280 px window: 640 CSS px at device scale 2.
    const context = await browser.newContext({ viewport: { width: 640, height: 800 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    // The key field has the focus on arrival; Enter submits.
    await page.keyboard.type(ADMIN_KEY);
    await page.keyboard.press('Enter');
    await page.locator('#models-table').waitFor();
    const tabTo = async (name: string): Promise<void> => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        const focused: unknown = await page.evaluate(
          'document.activeElement && document.activeElement.textContent.trim()',
        );
        if (focused === name) return;
      }
      throw new Error(`Tab never reached "${name}"`);
    };
    await tabTo('COMPAS recidivism');
    await page.keyboard.press('Enter');
    await page.locator('#controls-table').waitFor();
    const overflow: unknown = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/console-audit-zoom200.png` });
    await tabTo('Create report');
    await page.keyboard.press('Enter');
    await page.locator('#report-status [data-report-id]').waitFor();
    await page.goto(`${base}/#/models`);
    await page.locator('#models-table').waitFor();
    const overflowModels: unknown = await page.evaluate(
      'document.documentElement.scrollWidth - window.innerWidth',
    );
    expect(overflowModels).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/console-models-zoom200.png`, fullPage: true });
    await context.close();
  });
});
