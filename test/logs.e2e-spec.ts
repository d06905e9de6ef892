import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

/**
 * Logs must never hold submitted values or key material. A full flow runs with LOG_LEVEL=trace and the log
 * file is scanned for every marker the flow submitted: attribute values, an unmapped patient identifier, an
 * invalid value echoed in a 400 response, and every API key.
 */
describe('logs carry no submitted values and no key material', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fairwatch-logs-'));
  const logFile = join(dir, 'app.log');
  let t: TestApp;
  const keys: string[] = [ADMIN_KEY];

  const markers = {
    groupA: 'ZetaMarkerGroupA',
    groupB: 'ZetaMarkerGroupB',
    patient: 'PATIENT-MARKER-7731',
    badLabel: 'NotALabelMarker',
  };

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'trace', LOG_FILE: logFile });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a full flow, then finds none of the markers in the logs', async () => {
    const scientist = (await t.createKey('data_scientist', 'scientist')).key;
    keys.push(scientist);
    const org = await t.http
      .post('/v1/organizations')
      .set(t.auth())
      .send({ name: 'Log Test Org' })
      .expect(201);
    keys.push(org.body.adminKey as string);

    const model = await t.http
      .post('/v1/models')
      .set(t.auth(scientist))
      .send({ name: 'log-model', version: '1' })
      .expect(201);
    const rows = ['patient_id,y_true,y_pred,score,group'];
    for (let i = 0; i < 200; i++) {
      rows.push(
        `${markers.patient}-${i},${i % 2},${(i >> 1) % 2},${((i * 37) % 100) / 100},${i % 3 === 0 ? markers.groupA : markers.groupB}`,
      );
    }
    const config = JSON.stringify({ sensitiveAttributes: ['group'] });
    const audit = await t.http
      .post(`/v1/models/${model.body.id}/audits`)
      .set(t.auth(scientist))
      .field('config', config)
      .attach('file', Buffer.from(rows.join('\n')), 'data.csv')
      .expect(201);

    const bad = `y_true,y_pred,score,group\n1,1,0.5,${markers.groupA}\n${markers.badLabel},0,0.2,${markers.groupB}\n`;
    const rejected = await t.http
      .post(`/v1/models/${model.body.id}/audits`)
      .set(t.auth(scientist))
      .field('config', config)
      .attach('file', Buffer.from(bad), 'bad.csv')
      .expect(400);
    expect(JSON.stringify(rejected.body)).toContain('y_true'); // the response names the column...

    await t.http.get(`/v1/audits/${audit.body.id}/metrics`).set(t.auth()).expect(200);
    await t.http.get(`/v1/audits/${audit.body.id}/controls`).set(t.auth()).expect(200);
    await t.http
      .get('/v1/models')
      .set(t.auth(`${scientist}x`))
      .expect(401);
    await t.close();

    const logs = readFileSync(logFile, 'utf8');
    // ...and the run did log: each request, including both uploads, with its status.
    expect(logs.match(new RegExp(`/v1/models/${model.body.id}/audits"`, 'g'))?.length).toBe(2);
    expect(logs).toContain('"statusCode":400');
    for (const marker of Object.values(markers))
      expect([marker, logs.includes(marker)]).toEqual([marker, false]);
    for (const k of keys) {
      expect(logs.includes(k)).toBe(false);
      expect(logs.includes(k.slice(-20))).toBe(false);
    }
    expect(logs).not.toMatch(/authorization/i);
  });
});
