/**
 * `npm run demo` (scripts/demo.ts) against a fresh listening server, run as a user runs it: a child process
 * with FAIRWATCH_URL and FAIRWATCH_API_KEY. Expected values come from reading datasets/diabetes_readmission_scored.csv
 * here, independently of the server: 101,766 rows in six equal periods of 16,961 (the dataset's documentation).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

const ROOT = resolve(__dirname, '..');
const DATA = resolve(ROOT, 'datasets/diabetes_readmission_scored.csv');

/** Rows, predicted-positive share and label share of one period, counted from the CSV (no quoting in this file). */
function periodFigures(period: string): { rows: number; selectionRate: number; baseRate: number } {
  const lines = readFileSync(DATA, 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const [iTrue, iPred, iPeriod] = ['y_true', 'y_pred', 'period'].map((c) => header.indexOf(c));
  let rows = 0;
  let predicted = 0;
  let positive = 0;
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    if (f[iPeriod!] !== period) continue;
    rows++;
    predicted += Number(f[iPred!]);
    positive += Number(f[iTrue!]);
  }
  return { rows, selectionRate: predicted / rows, baseRate: positive / rows };
}

interface AuditBody {
  id: string;
  name: string | null;
  rowCount: number;
  periodStart: string | null;
  periodEnd: string | null;
  documentation: Record<string, string>;
  summary: { overall: { selection_rate: number | null; base_rate?: number | null } };
}

describe('npm run demo against a fresh server', () => {
  let t: TestApp;
  let dir: string;
  let run: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fairwatch-demo-'));
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      FAIRWATCH_URL: `http://127.0.0.1:${port}`,
      FAIRWATCH_API_KEY: ADMIN_KEY,
      FAIRWATCH_DEMO_REPORT: join(dir, 'demo.pdf'),
      FAIRWATCH_DEMO_CARD: join(dir, 'demo-card.xml'),
    };
    try {
      const r = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'scripts/demo.ts'], {
        cwd: ROOT,
        env,
        maxBuffer: 16 * 1024 * 1024,
      });
      run = { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      run = { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }, 300_000);
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0', () => {
    if (run.code !== 0) throw new Error(`exit ${run.code}\n${run.stdout}\n${run.stderr}`);
    expect(run.stdout).toContain('Model diabetes-readmission@1.0.0 created');
  });

  it('leaves the model with its documentation and six named, dated period audits, the first pinned', async () => {
    const models = (await t.http.get('/v1/models').set(t.auth()).expect(200)).body as {
      items: Array<{
        id: string;
        name: string;
        baselineAuditId: string | null;
        documentation: Record<string, string>;
      }>;
    };
    expect(models.items).toHaveLength(1);
    const model = models.items[0]!;
    expect(model.name).toBe('diabetes-readmission');
    expect(model.documentation.monitoringCadence).toBe('P180D');
    const audits = (
      (await t.http.get(`/v1/models/${model.id}/audits`).set(t.auth()).expect(200)).body as {
        items: AuditBody[];
      }
    ).items;
    expect(audits.length).toBeGreaterThanOrEqual(3);
    expect(audits).toHaveLength(6);
    const oldestFirst = [...audits].reverse();
    expect(oldestFirst.map((a) => a.rowCount)).toEqual([16961, 16961, 16961, 16961, 16961, 16961]);
    expect(oldestFirst.map((a) => a.name)).toEqual([
      '1999-01 to 2000-08',
      '2000-09 to 2002-04',
      '2002-05 to 2003-12',
      '2004-01 to 2005-08',
      '2005-09 to 2007-04',
      '2007-05 to 2008-12',
    ]);
    expect(oldestFirst[0]!.periodStart).toBe('1999-01-01T00:00:00.000Z');
    expect(oldestFirst[5]!.periodEnd).toBe('2008-12-31T00:00:00.000Z');
    expect(oldestFirst[0]!.documentation.inclusionExclusion).toMatch(/^Inpatient encounters with diabetes/);
    expect(model.baselineAuditId).toBe(oldestFirst[0]!.id);

    // Each audit holds exactly its period's rows: the first and the last against the CSV counted here.
    for (const [audit, period] of [
      [oldestFirst[0]!, '1'],
      [oldestFirst[5]!, '6'],
    ] as const) {
      const expected = periodFigures(period);
      expect(expected.rows).toBe(16961);
      expect(audit.summary.overall.selection_rate).toBeCloseTo(expected.selectionRate, 10);
      expect(audit.summary.overall.base_rate).toBeCloseTo(expected.baseRate, 10);
    }
  });

  it('prints drift against the pinned baseline, filtered, and the controls with their rationale', () => {
    expect(run.stdout).toMatch(/against [0-9a-f-]{36} \(pinned\): (ALERT|WARNING|OK)/);
    expect(run.stdout).toMatch(/Showing \d+ of \d+ checks \(status alert,warning\)/);
    // Period 6 documents its period and datasheet, the model its monitoring plan: these pass.
    expect(run.stdout).toMatch(/nist-ai-rmf\s+MEASURE 2\.1\s+PASS\s+Test set.*the period the data cover/);
    expect(run.stdout).toMatch(/nist-ai-rmf\s+MANAGE 4\.1\s+PASS\s/);
  });

  it('writes a signed report that verifies, and a changed copy that does not', async () => {
    expect(run.stdout).toMatch(/^VALID: report [0-9a-f-]{36} signed /m);
    expect(run.stdout).toMatch(/^VALID: model card [0-9a-f-]{36} signed /m);
    // the model card is valid against the CHAI v0.2 schema (offline, with the catalog)
    const chai = resolve(__dirname, '../resources/chai-model-card');
    await promisify(execFile)(
      'xmllint',
      ['--noout', '--nonet', '--schema', join(chai, 'v0.2/schema.xsd'), join(dir, 'demo-card.xml')],
      { env: { ...process.env, XML_CATALOG_FILES: join(chai, 'catalog.xml') } },
    );
    const pdf = readFileSync(join(dir, 'demo.pdf'));
    const valid = await t.http
      .post('/v1/reports/verify')
      .set(t.auth())
      .set('Content-Type', 'application/pdf')
      .send(pdf);
    expect(valid.status).toBe(200);
    expect((valid.body as { valid: boolean }).valid).toBe(true);
    const tampered = Buffer.from(pdf);
    const at = Math.floor(tampered.length / 2);
    tampered[at] = tampered[at]! ^ 0x01;
    writeFileSync(join(dir, 'tampered.pdf'), tampered);
    const invalid = await t.http
      .post('/v1/reports/verify')
      .set(t.auth())
      .set('Content-Type', 'application/pdf')
      .send(tampered);
    expect((invalid.body as { valid: boolean }).valid).toBe(false);
  });
});
