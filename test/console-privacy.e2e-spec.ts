import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { findBrowser } from './support/browser';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

/**
 * The console's audit page states that an audit's counts were noised, with the mechanism and (ε, δ), as the
 * report's cover does (docs/privacy.md); an audit without config.privacy shows no such line.
 * Needs `npm run build:console` first.
 */

jest.setTimeout(120_000);

const CELLS =
  'race,y_true,y_pred,n\nA,1,1,40\nA,1,0,20\nA,0,1,15\nA,0,0,65\nB,1,1,25\nB,1,0,25\nB,0,1,12\nB,0,0,60\n';

describe('console: noised audits (browser)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let modelId: string;

  const upload = async (privacy?: object): Promise<string> =>
    (
      await t.http
        .post(`/v1/models/${modelId}/audits`)
        .set(t.auth())
        .field(
          'config',
          JSON.stringify({
            sensitiveAttributes: ['race'],
            labelColumn: 'y_true',
            predictionColumn: 'y_pred',
            countColumn: 'n',
            ...(privacy && { privacy }),
          }),
        )
        .attach('file', Buffer.from(CELLS), { filename: 'cells.csv', contentType: 'text/csv' })
        .expect(201)
    ).body.id as string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    modelId = (
      await t.http.post('/v1/models').set(t.auth()).send({ name: 'dp-console', version: '1' }).expect(201)
    ).body.id as string;
    browser = await chromium.launch({
      executablePath: findBrowser(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the mechanism and (ε, δ) on a noised audit, and nothing on a plain one', async () => {
    const noised = await upload({ mechanism: 'discrete_gaussian', epsilon: 0.5, delta: 1e-6 });
    const plain = await upload();
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('API key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#models-table').waitFor();

    await page.goto(`${base}/#/audits/${noised}`);
    const item = page.locator('dl.meta div', { hasText: 'Differential privacy' });
    await item.waitFor();
    expect(await item.locator('dd').textContent()).toBe(
      'Noised counts: discrete Gaussian mechanism (ε = 0.5, δ = 0.000001). Every figure is computed from ' +
        'noised counts; intervals include the noise.',
    );
    await page.screenshot({ path: '/tmp/console-privacy.png' });

    await page.goto(`${base}/#/audits/${plain}`);
    await page.locator('dl.meta').waitFor();
    await page.locator('#controls-h').waitFor();
    expect(await page.locator('dl.meta').textContent()).not.toContain('Differential privacy');
  });
});
