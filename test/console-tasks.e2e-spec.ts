/**
 * The console's audit page for regression and multiclass audits, in a real browser (Debian's Chromium through
 * playwright-core) against the real AppModule, with hand-made results: the audit is a binary one and the
 * browser is served the task's result for its /metrics (and its config's target column) by route
 * interception, so the page's tables, suppression and chart are tested on chosen edge cases (a group of 7, a
 * suppressed complement). Real regression and multiclass audits are opened in console-tasks-real.e2e-spec.ts.
 * Expected figures are hand-computed from the fixture's confusion matrices and rows. Screenshots:
 * /tmp/console-regression.png, /tmp/console-multiclass.png and their groups sections (*-groups.png).
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findBrowser } from './support/browser';
import { COMPAS_CSV } from './support/datasets';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';
import {
  multiclassResultOf,
  regressionResultOf,
  sampleRegressionRows,
  SAMPLE_CONFUSIONS,
} from './support/task-report-fixture';

jest.setTimeout(180_000);

describe('console audit page for regression and multiclass audits (browser)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let auditId: string;

  beforeAll(async () => {
    const executablePath = findBrowser();
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
    const model = await t.http.post('/v1/models').set(t.auth()).send({ name: 'Care cost', version: '1.4' });
    const audit = await t.http
      .post(`/v1/models/${model.body.id as string}/audits`)
      .set(t.auth())
      .field(
        'config',
        JSON.stringify({
          labelColumn: 'label_value',
          predictionColumn: 'score',
          sensitiveAttributes: ['race'],
        }),
      )
      .attach('file', readFileSync(COMPAS_CSV), { filename: 'compas.csv', contentType: 'text/csv' });
    expect(audit.status).toBe(201);
    auditId = audit.body.id as string;
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The audit page with the task's result served for /metrics, and the target column in the audit's config. */
  async function openWith(result: unknown, targetColumn?: string): Promise<{ page: Page; errors: string[] }> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route(`**/v1/audits/${auditId}/metrics`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(result) }),
    );
    await page.route(`**/v1/audits/${auditId}`, async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { config: Record<string, unknown> };
      if (targetColumn) body.config.targetColumn = targetColumn;
      await route.fulfill({ response: res, json: body });
    });
    await page.goto(`${base}/`);
    await page.getByLabel('API key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#models-table').waitFor();
    await page.goto(`${base}/#/audits/${auditId}`);
    await page.locator('#groups-h').waitFor();
    return { page, errors };
  }

  const cell = async (page: Page, table: string, group: string, metric: string): Promise<string> =>
    (
      (await page
        .locator(
          `table[data-table=${JSON.stringify(table)}] tr[data-group="${group}"] [data-metric="${metric}"] .value`,
        )
        .first()
        .textContent()) ?? ''
    ).trim();

  it('shows a regression audit: error measures, hidden small groups, and the deciles chart', async () => {
    const rows = sampleRegressionRows();
    const { page, errors } = await openWith(regressionResultOf(rows, ['race'], { race: 'White' }), 'cost');
    // Black patients: mean of prediction − cost over their 300 rows, rounded to whole dollars
    const black = rows.filter((r) => r.group.race === 'Black');
    const me = black.reduce((a, r) => a + r.prediction - r.target, 0) / black.length;
    const table = 'Error measures by race';
    expect(await cell(page, table, 'Black', 'Mean error')).toBe(Math.round(me).toLocaleString('en-US'));
    const count = (g: string) =>
      page.locator(`table[data-table="${table}"] tr[data-group="${g}"] [data-metric="count"]`).textContent();
    expect(await count('Black')).toBe('300');
    expect(await count('American Indian or Alaska Native')).toBe('≤10');
    expect(await count('Asian')).toBe('suppressed');
    await page.locator('[data-chart="deciles race"][data-rendered="true"]').waitFor();
    expect(await page.locator('.deciles li').first().textContent()).toContain(
      'equal predictions do not mean an equal cost',
    );
    await page.screenshot({ path: '/tmp/console-regression.png', fullPage: true });
    await page.locator('section[data-task]').screenshot({ path: '/tmp/console-regression-groups.png' });
    expect(errors).toEqual([]);
  });

  it('shows a multiclass audit: accuracy and per-class tables, the group of 7 hidden', async () => {
    const result = multiclassResultOf(SAMPLE_CONFUSIONS, ['low', 'medium', 'high'], { race: 'White' });
    const { page, errors } = await openWith(result);
    // Black: 110 + 60 + 20 = 190 correct of 300 = 0.63; "high" TPR 20 of 58 = 0.34
    expect(await cell(page, 'Accuracy by race', 'Black', 'Accuracy')).toBe('0.63');
    expect(await cell(page, 'Class "high" (one-vs-rest) by race', 'Black', 'TPR')).toBe('0.34');
    expect(await cell(page, 'Class "high" (one-vs-rest) by race', 'White', 'TPR')).toBe('0.69');
    const aian = page.locator(
      'table[data-table="Accuracy by race"] tr[data-group="American Indian or Alaska Native"] [data-metric="count"]',
    );
    expect(await aian.textContent()).toBe('≤10');
    await page.screenshot({ path: '/tmp/console-multiclass.png', fullPage: true });
    await page.locator('section[data-task]').screenshot({ path: '/tmp/console-multiclass-groups.png' });
    expect(errors).toEqual([]);
  });
});
