/**
 * The console's audit page on REAL regression and multiclass audits (no stubbed responses): the demo files
 * (test/fixtures/regression/length_of_stay.csv, test/fixtures/multiclass/discharge-disposition.csv) uploaded
 * to the real AppModule on PostgreSQL and opened in a real browser (Debian's Chromium through
 * playwright-core). Each figure read off the page equals the API's GET /metrics value at the precision shown,
 * and the group sizes and accuracies equal those counted here from the CSV lines. Screenshots:
 * /tmp/console-real-regression.png, /tmp/console-real-multiclass.png (full pages) and *-groups.png (the task's
 * section in the viewport).
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findBrowser } from './support/browser';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON response bodies */
type Json = Record<string, any>;

jest.setTimeout(180_000);

const FIXTURES = join(__dirname, 'fixtures');
const REGRESSION_CSV = readFileSync(join(FIXTURES, 'regression', 'length_of_stay.csv'), 'utf8');
const MULTICLASS_CSV = readFileSync(join(FIXTURES, 'multiclass', 'discharge-disposition.csv'), 'utf8');

function rowsOf(csv: string): Record<string, string>[] {
  const [header = '', ...lines] = csv.trim().split('\n');
  const cols = header.split(',');
  return lines.map((l): Record<string, string> =>
    Object.fromEntries(l.split(',').map((v, i): [string, string] => [cols[i]!, v])),
  );
}

/** A figure as shown ("4.69", "-0.31", "1,141") equals `value` rounded to the decimals shown. */
function expectShown(shown: string, value: number): void {
  const text = shown.replace(/,/g, '').replace('−', '-');
  const decimals = text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
  expect([shown, Math.abs(Number(text) - value) <= 0.5 * 10 ** -decimals + 1e-12]).toEqual([shown, true]);
}

describe('console audit page on real regression and multiclass audits (browser, PostgreSQL)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let modelId: string;

  beforeAll(async () => {
    const executablePath = findBrowser();
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
    modelId = (await t.http.post('/v1/models').set(t.auth()).send({ name: 'Hospital stays', version: '2' }))
      .body.id;
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function upload(csv: string, config: object): Promise<{ id: string; metrics: Json }> {
    const audit = await t.http
      .post(`/v1/models/${modelId}/audits`)
      .set(t.auth())
      .field('config', JSON.stringify(config))
      .attach('file', Buffer.from(csv), { filename: 'rows.csv', contentType: 'text/csv' });
    expect([audit.status, audit.body.detail]).toEqual([201, undefined]);
    const id = audit.body.id as string;
    const metrics = await t.http.get(`/v1/audits/${id}/metrics`).set(t.auth()).expect(200);
    return { id, metrics: metrics.body as Json };
  }

  async function open(auditId: string): Promise<{ page: Page; errors: string[] }> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/`);
    await page.getByLabel('API key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#models-table').waitFor();
    await page.goto(`${base}/#/audits/${auditId}`);
    await page.locator('section[data-task]').waitFor();
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
  const count = async (page: Page, table: string, group: string): Promise<string> =>
    (
      (await page
        .locator(`table[data-table=${JSON.stringify(table)}] tr[data-group="${group}"] [data-metric="count"]`)
        .first()
        .textContent()) ?? ''
    ).trim();

  const groupOf = (metrics: Json, attribute: string, value: string): Json => {
    const slice = (metrics.slices as Json[]).find((s) => s.attributes.join() === attribute)!;
    return (slice.groups as Json[]).find((g) => g.key[attribute] === value)!;
  };

  it('a real regression audit: error measures equal /metrics, sizes counted from the CSV, one person hidden', async () => {
    const rows = rowsOf(REGRESSION_CSV);
    const { id, metrics } = await upload(REGRESSION_CSV, {
      task: 'regression',
      targetColumn: 'time_in_hospital',
      predictionColumn: 'predicted_los',
      sensitiveAttributes: ['race', 'gender'],
    });
    const { page, errors } = await open(id);
    const table = 'Error measures by race';
    for (const group of ['AfricanAmerican', 'Caucasian', 'Hispanic']) {
      const api = groupOf(metrics, 'race', group).metrics as Json;
      for (const [metric, key] of [
        ['Mean target', 'mean_target'],
        ['Mean error', 'mean_error'],
        ['MAE', 'mean_absolute_error'],
      ] as const)
        expectShown(await cell(page, table, group, metric), api[key].value as number);
      // independent: the group's size and mean length of stay counted from the lines
      const stays = rows.filter((r) => r.race === group).map((r) => Number(r.time_in_hospital));
      expect(await count(page, table, group)).toBe(stays.length.toLocaleString('en-US'));
      expectShown(
        await cell(page, table, group, 'Mean target'),
        stays.reduce((a, b) => a + b, 0) / stays.length,
      );
    }
    // gender "Unknown/Invalid" is one person in the file: its size is not shown
    expect(rows.filter((r) => r.gender === 'Unknown/Invalid')).toHaveLength(1);
    expect(await count(page, 'Error measures by gender', 'Unknown/Invalid')).toBe('≤10');
    await page.screenshot({ path: '/tmp/console-real-regression.png', fullPage: true });
    await page.locator('section[data-task]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/console-real-regression-groups.png' });
    expect(errors).toEqual([]);
  });

  it('a real multiclass audit: accuracy and per-class TPR equal /metrics and the counts from the CSV', async () => {
    const rows = rowsOf(MULTICLASS_CSV);
    const { id, metrics } = await upload(MULTICLASS_CSV, {
      task: 'multiclass',
      classes: ['Home', 'Home health', 'Facility', 'Other'],
      sensitiveAttributes: ['race', 'gender'],
    });
    const { page, errors } = await open(id);
    for (const group of ['AfricanAmerican', 'Caucasian', 'Unknown']) {
      const api = groupOf(metrics, 'race', group);
      const of = rows.filter((r) => r.race === group);
      const accuracy = of.filter((r) => r.y_true === r.y_pred).length / of.length;
      const shown = await cell(page, 'Accuracy by race', group, 'Accuracy');
      expectShown(shown, api.metrics.accuracy.value as number);
      expectShown(shown, accuracy);
      expect(await count(page, 'Accuracy by race', group)).toBe(of.length.toLocaleString('en-US'));
      // class "Home", one-vs-rest: TPR = predicted Home among the truly Home
      const home = of.filter((r) => r.y_true === 'Home');
      const tpr = home.filter((r) => r.y_pred === 'Home').length / home.length;
      const tprShown = await cell(page, 'Class "Home" (one-vs-rest) by race', group, 'TPR');
      expectShown(tprShown, api.classes.Home.true_positive_rate.value as number);
      expectShown(tprShown, tpr);
    }
    await page.screenshot({ path: '/tmp/console-real-multiclass.png', fullPage: true });
    await page.locator('section[data-task]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/console-real-multiclass-groups.png' });
    expect(errors).toEqual([]);
  });
});
