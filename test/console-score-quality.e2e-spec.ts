/**
 * The console's score-quality pages in a real browser (Debian's Chromium through playwright-core) against the
 * real AppModule: the threshold slider, moved with the keyboard, shows each group's rates at the new threshold,
 * and they equal a fresh audit run at that threshold (its /metrics) and the row-by-row formulas here; the grid
 * is fetched once; a group of 1 to 10 people and its partner are suppressed. The calibration page's O/E and
 * bins equal hand computation; the thresholds page reads at 200% zoom and the slider is reached with Tab.
 * Screenshots: /tmp/console-thresholds*.png, /tmp/console-calibration.png.
 */
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { formatNumber } from '../src/core/reports';
import { mulberry32 } from '../src/core/stats';
import { findBrowser } from './support/browser';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

const SHOTS = '/tmp';

interface Row {
  race: string;
  sex: string;
  score: number;
  label: number;
}

/** 3,000 rows in races A and B, plus a race C of 8 people; B's scores understate its risk. */
function generate(seed: number): Row[] {
  const random = mulberry32(seed);
  const rows = Array.from({ length: 3000 }, (): Row => {
    const race = random() < 0.6 ? 'A' : 'B';
    const sex = random() < 0.5 ? 'F' : 'M';
    const score = Number((0.02 + 0.9 * random() * random()).toFixed(4));
    const risk = race === 'B' ? Math.min(1, score * 1.6) : score;
    return { race, sex, score, label: random() < risk ? 1 : 0 };
  });
  for (let i = 0; i < 8; i++)
    rows.push({ race: 'C', sex: i % 2 ? 'F' : 'M', score: 0.1 + i / 10, label: i % 3 === 0 ? 1 : 0 });
  return rows;
}

const csv = (rows: Row[]): string =>
  ['race,sex,score,y_true', ...rows.map((r) => `${r.race},${r.sex},${r.score},${r.label}`)].join('\n') + '\n';

/** The what-if figures of some rows at t, by definition (flagged when score >= t). */
function whatIf(rows: Row[], t: number) {
  const n = rows.length;
  const tp = rows.filter((r) => r.score >= t && r.label === 1).length;
  const fp = rows.filter((r) => r.score >= t && r.label === 0).length;
  return { alerts: (1000 * (tp + fp)) / n, netBenefit: tp / n - (fp / n) * (t / (1 - t)) };
}

jest.setTimeout(180_000);

describe('console: calibration and the threshold slider (browser)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let modelId: string;
  let auditId: string;
  const rows = generate(7);

  async function submit(threshold: number): Promise<string> {
    const res = await t.http
      .post(`/v1/models/${modelId}/audits`)
      .set(t.auth())
      .field('config', JSON.stringify({ sensitiveAttributes: ['race', 'sex'], threshold }))
      .attach('file', Buffer.from(csv(rows)), 'scores.csv');
    expect([res.status, res.body.detail]).toEqual([201, undefined]);
    return res.body.id as string;
  }

  beforeAll(async () => {
    const executablePath = findBrowser();
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    modelId = (
      await t.http.post('/v1/models').set(t.auth()).send({ name: 'Deterioration', version: '2' }).expect(201)
    ).body.id;
    auditId = await submit(0.3);
    browser = await chromium.launch({
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(path: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${base}/`);
    await page.getByLabel('API key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#models-table').waitFor();
    await page.goto(`${base}/#${path}`);
    return { page, errors, requests };
  }

  const cell = (page: Page, group: string, metric: string) =>
    page.locator(`table[data-slice="race"] tr[data-group="${group}"] [data-metric="${metric}"]`);

  it('moves the threshold with the keyboard; the rates are those of a fresh audit at that threshold', async () => {
    const { page, errors, requests } = await open(`/audits/${auditId}`);
    // The audit page links to the score-quality pages when the audit has scores.
    await page.getByRole('link', { name: 'Thresholds' }).click();
    const slider = page.getByRole('slider', { name: 'Threshold' });
    await slider.waitFor();
    expect(await page.locator('#threshold-value').textContent()).toBe('0.30');
    await page.screenshot({ path: `${SHOTS}/console-thresholds.png`, fullPage: true });
    const before = await cell(page, 'A', 'selection_rate').textContent();
    // It starts at the audit's own threshold, with the audit's own figures (its tables print them).
    const own = await t.http.get(`/v1/audits/${auditId}/metrics`).set(t.auth()).expect(200);
    const ownA = (
      own.body.slices as {
        attributes: string[];
        groups: { key: { race: string }; metrics: Record<string, { value: number }> }[];
      }[]
    )
      .find((sl) => sl.attributes.join() === 'race')!
      .groups.find((g) => g.key.race === 'A')!;
    expect(before).toBe(formatNumber(ownA.metrics.selection_rate!.value));
    expect(await cell(page, 'A', 'true_positive_rate').textContent()).toBe(
      formatNumber(ownA.metrics.true_positive_rate!.value),
    );

    // Keyboard only: focus the slider, step right at least 0.10, on to a threshold where group A is shown.
    await slider.focus();
    let steps = 0;
    for (; steps < 60; steps++) {
      await page.keyboard.press('ArrowRight');
      if (steps >= 9 && (await cell(page, 'A', 'selection_rate').textContent()) !== 'suppressed') break;
    }
    const shownText = (await page.locator('#threshold-value').textContent())!;
    const threshold = Number(shownText);
    expect(threshold).toBeCloseTo(0.3 + (steps + 1) / 100, 10);
    expect(await slider.getAttribute('aria-valuetext')).toBe(shownText);
    expect(await cell(page, 'A', 'selection_rate').textContent()).not.toBe(before);

    // A fresh audit at that threshold: the page's rates are its rates.
    const fresh = await submit(threshold);
    const metrics = await t.http.get(`/v1/audits/${fresh}/metrics`).set(t.auth()).expect(200);
    const race = (
      metrics.body.slices as {
        attributes: string[];
        groups: { key: { race: string }; metrics: Record<string, { value: number | null }> }[];
      }[]
    ).find((s) => s.attributes.join() === 'race')!;
    let compared = 0;
    for (const g of race.groups) {
      const name = g.key.race;
      if ((await cell(page, name, 'selection_rate').textContent()) === 'suppressed') continue;
      for (const m of [
        'selection_rate',
        'true_positive_rate',
        'false_positive_rate',
        'positive_predictive_value',
      ])
        expect([name, m, await cell(page, name, m).textContent()]).toEqual([
          name,
          m,
          formatNumber(g.metrics[m]!.value),
        ]);
      const mine = rows.filter((r) => r.race === name);
      const expected = whatIf(mine, threshold);
      expect(await cell(page, name, 'alerts_per_1000').textContent()).toBe(expected.alerts.toFixed(0));
      expect(await cell(page, name, 'net_benefit').textContent()).toBe(expected.netBenefit.toFixed(3));
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(1);

    // Home goes to the lowest threshold of the grid.
    await page.keyboard.press('Home');
    expect(await page.locator('#threshold-value').textContent()).toBe('0.01');

    // The group of 8 people: "≤10", nothing else; its partner (the smallest other group) is hidden too.
    expect(await cell(page, 'C', 'count').textContent()).toBe('≤10');
    expect(await cell(page, 'C', 'selection_rate').textContent()).toBe('suppressed');
    // No request per step: the grid came once.
    expect(requests.filter((u) => u.includes(`/v1/audits/${auditId}/thresholds`)).length).toBe(1);
    await page.screenshot({ path: `${SHOTS}/console-thresholds-moved.png`, fullPage: true });
    await page.locator('[data-chart="net-benefit-race"][data-rendered="true"]').waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('reads at 200% zoom without horizontal page overflow, and the slider is reached with Tab', async () => {
    const context = await browser.newContext({ viewport: { width: 640, height: 800 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('API key').fill(ADMIN_KEY);
    await page.keyboard.press('Enter');
    await page.locator('#models-table').waitFor();
    await page.goto(`${base}/#/audits/${auditId}/thresholds`);
    await page.locator('table[data-slice="race"]').waitFor();
    expect(
      await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
    ).toBeLessThanOrEqual(0);
    let reached = false;
    for (let i = 0; i < 20 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached =
        (await page.evaluate('document.activeElement && document.activeElement.id')) === 'threshold-slider';
    }
    expect(reached).toBe(true);
    await page.keyboard.press('End');
    expect(await page.locator('#threshold-value').textContent()).toBe('0.99');
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('#threshold-value').textContent()).toBe('0.98');
    await page.screenshot({ path: `${SHOTS}/console-thresholds-zoom200.png` });
    await context.close();
  });

  it('shows calibration by group: O/E and the reliability bins equal hand computation', async () => {
    const { page, errors } = await open(`/audits/${auditId}/calibration`);
    await page.locator('table[data-slice="race"]').waitFor();
    const a = rows.filter((r) => r.race === 'A');
    const observed = a.reduce((s, r) => s + r.label, 0);
    const expected = a.reduce((s, r) => s + r.score, 0);
    const oe = await page
      .locator('table[data-slice="race"] tr[data-group="A"] [data-metric="observed_expected_ratio"]')
      .textContent();
    expect(oe?.split(' ')[0]).toBe(formatNumber(observed / expected));
    const brier = a.reduce((s, r) => s + (r.score - r.label) ** 2, 0) / a.length;
    expect(
      await page
        .locator('table[data-slice="race"] tr[data-group="A"] [data-metric="brier_score"]')
        .textContent(),
    ).toBe(brier.toFixed(3));
    // Bin 0.1–0.2 of group A, by hand.
    const bin = a.filter((r) => Math.min(Math.floor(r.score * 10), 9) === 1);
    const binRow = page.locator('table[data-bins="A"] tr').filter({ hasText: '0.1–0.2' });
    await page.getByText('The numbers behind the chart').first().click();
    const cells = await binRow.locator('td').allTextContents();
    expect(cells[0]).toBe(String(bin.length));
    expect(cells[2]?.split(' ')[0]).toBe(formatNumber(bin.filter((r) => r.label === 1).length / bin.length));
    // The group of 8 people and its partner are not shown.
    expect(
      await page.locator('table[data-slice="race"] tr[data-group="C"] [data-metric="count"]').textContent(),
    ).toBe('≤10');
    expect(
      await page
        .locator('table[data-slice="race"] tr[data-group="C"] [data-metric="observed_expected_ratio"]')
        .textContent(),
    ).toBe('suppressed');
    await page.locator('[data-chart="calibration-race"][data-rendered="true"]').waitFor();
    await page.screenshot({ path: `${SHOTS}/console-calibration.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
