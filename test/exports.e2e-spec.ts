import { spawn, spawnSync } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildCli } from './support/cli';
import { binary } from './support/pdf';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';
import { HTI1_PARAGRAPHS } from './support/hti-1-paragraphs';

/**
 * Health-IT transparency exports over HTTP on PostgreSQL: a model with internal-test, external and two local
 * audits. The HTI-1 export has the regulation's 31 attributes in order with the measured ones tied to the
 * right audits; its figures are recomputed here from the generated rows; the CHAI model card validates with
 * xmllint against the schema offline (catalog); both verify, and a one-byte change does not.
 */

const RESOURCES = resolve(__dirname, '../resources/chai-model-card');

interface Row {
  race: string;
  sex: string;
  yTrue: number;
  yPred: number;
  score: number;
}

/** Deterministic rows; `shift` lowers the Black group's scores (a disparity). A tiny group of 6 is always there. */
function makeRows(seed: number, sizes: [string, number][], shift: number): Row[] {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const rows: Row[] = [];
  for (const [race, n] of sizes) {
    for (let i = 0; i < n; i++) {
      const score = Math.round(rand() * (race === 'Black' ? shift : 1) * 1000) / 1000;
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

const toCsv = (rows: Row[]): string =>
  [
    'y_true,y_pred,score,race,sex',
    ...rows.map((r) => `${r.yTrue},${r.yPred},${r.score},${r.race},${r.sex}`),
  ].join('\n') + '\n';

const round2 = (v: number): number => Math.round(v * 100) / 100;
const rate = (rows: Row[], race: string): number => {
  const g = rows.filter((r) => r.race === race);
  return g.filter((r) => r.yPred === 1).length / g.length;
};

interface Evidence {
  auditId: string;
  dataSource: string;
  rowCount: number | null;
  metrics: {
    metric: string;
    attributes?: string[];
    group?: Record<string, string>;
    value: number | null;
    count?: number;
  }[];
}
interface Attribute {
  id: string;
  title: string;
  value: string | null;
  source: 'audits' | 'documentation' | 'missing';
  evidence?: Evidence[];
}
interface Hti1 {
  modelId: string;
  exportId: string;
  summary: {
    total: number;
    missing: number;
    missingAttributes: { id: string; documentationFields: string[] }[];
  };
  attributes: Attribute[];
}

jest.setTimeout(180_000);

/** xmllint --schema over the CHAI v0.2 XSD, offline through the repository's catalog. */
function xmllint(file: string): { status: number | null; stderr: string } {
  const run = spawnSync(
    'xmllint',
    ['--noout', '--nonet', '--schema', join(RESOURCES, 'v0.2/schema.xsd'), file],
    {
      env: { ...process.env, XML_CATALOG_FILES: join(RESOURCES, 'catalog.xml') },
      encoding: 'utf8',
    },
  );
  if (run.error)
    throw new Error(
      `xmllint could not run (${run.error.message}): install it (Debian: apt-get install libxml2-utils).`,
    );
  return { status: run.status, stderr: run.stderr };
}

describe('HTI-1 and CHAI model card exports', () => {
  let t: TestApp;
  let modelId: string;
  const ids: Record<string, string> = {};
  const SIZES: [string, number][] = [
    ['White', 220],
    ['Black', 130],
    ['Hispanic', 80],
    ['Asian', 6],
  ];
  const internalRows = makeRows(11, SIZES, 0.9);
  const externalRows = makeRows(22, SIZES, 0.7);
  const localRows1 = makeRows(33, SIZES, 0.8);
  const localRows2 = makeRows(44, SIZES, 0.75);

  async function submit(rows: Row[], config: Record<string, unknown>): Promise<string> {
    const res = await t.http
      .post(`/v1/models/${modelId}/audits`)
      .set(t.auth())
      .field(
        'config',
        JSON.stringify({ sensitiveAttributes: ['race', 'sex'], intersections: [['race', 'sex']], ...config }),
      )
      .attach('file', Buffer.from(toCsv(rows)), { filename: 'p.csv', contentType: 'text/csv' })
      .expect(201);
    return res.body.id as string;
  }

  const getText = async (path: string): Promise<{ bytes: Buffer; headers: Record<string, string> }> => {
    const res = await t.http.get(path).set(t.auth()).buffer(true).parse(binary).expect(200);
    return { bytes: res.body as Buffer, headers: res.headers };
  };
  // (superagent would JSON-encode a Buffer sent as application/json: the UTF-8 text goes as it is)
  const verifyBytes = async (bytes: Buffer, type: string) =>
    (
      await t.http
        .post('/v1/reports/verify')
        .set(t.auth())
        .set('Content-Type', type)
        .send(bytes.toString('utf8'))
        .expect(200)
    ).body as { valid: boolean; kind?: string; exportId?: string; reason?: string };

  beforeAll(async () => {
    t = await startTestApp();
    modelId = (
      await t.http
        .post('/v1/models')
        .set(t.auth())
        .send({
          name: 'sepsis-alert',
          version: '1.4.0',
          description: 'Early warning of sepsis in adult inpatients.',
        })
        .expect(201)
    ).body.id as string;
    await t.http
      .patch(`/v1/models/${modelId}`)
      .set(t.auth())
      .send({
        documentation: {
          intendedUse:
            'Alert rapid-response nurses to adult inpatients at risk of sepsis in the next 12 hours.',
          users: 'Rapid-response nurses',
          targetPopulation: 'Adult inpatients on general wards',
          monitoringPlan: 'Quarterly fairness audit of local predictions against outcomes',
          monitoringCadence: 'quarterly',
          fairnessApproach: 'Equal true positive rates across race and sex groups',
          mitigations: 'Group-specific thresholds reviewed each quarter',
        },
      })
      .expect(200);
    ids.internal = await submit(internalRows, {
      name: 'Holdout 2023',
      dataSource: 'internal_test',
      periodEnd: '2023-12-31',
    });
    ids.external = await submit(externalRows, {
      name: 'Partner validation',
      dataSource: 'external',
      dataSourceDescription: 'Two community hospitals in Ohio, 2024 discharges',
      periodEnd: '2024-03-31',
    });
    ids.local1 = await submit(localRows1, { name: 'Local Q2', dataSource: 'local', periodEnd: '2024-06-30' });
    ids.local2 = await submit(localRows2, { name: 'Local Q3', periodEnd: '2024-09-30' }); // default: local
  });
  afterAll(() => t.close());

  it('records the data setting of each audit, local by default, and rejects an unknown one changing nothing', async () => {
    const external = (await t.http.get(`/v1/audits/${ids.external}`).set(t.auth()).expect(200)).body;
    expect([external.dataSource, external.dataSourceDescription]).toEqual([
      'external',
      'Two community hospitals in Ohio, 2024 discharges',
    ]);
    const local = (await t.http.get(`/v1/audits/${ids.local2}`).set(t.auth()).expect(200)).body;
    expect([local.dataSource, local.dataSourceDescription]).toEqual(['local', null]);
    const before = (await t.http.get(`/v1/models/${modelId}/audits`).set(t.auth()).expect(200)).body.items
      .length;
    const bad = await t.http
      .post(`/v1/models/${modelId}/audits`)
      .set(t.auth())
      .field('config', JSON.stringify({ sensitiveAttributes: ['race'], dataSource: 'validation' }))
      .attach('file', Buffer.from(toCsv(localRows1)), { filename: 'p.csv', contentType: 'text/csv' })
      .expect(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'config.dataSource' })]);
    const after = (await t.http.get(`/v1/models/${modelId}/audits`).set(t.auth()).expect(200)).body.items
      .length;
    expect(after).toBe(before);
    // PATCH sets it; a bad value is a 400
    await t.http.patch(`/v1/audits/${ids.local2}`).set(t.auth()).send({ dataSource: 'nope' }).expect(400);
    const patched = await t.http
      .patch(`/v1/audits/${ids.local2}`)
      .set(t.auth())
      .send({ dataSource: 'local', dataSourceDescription: 'Our wards, July to September' })
      .expect(200);
    expect(patched.body.dataSourceDescription).toBe('Our wards, July to September');
  });

  it('exports 31 attributes in order, measured ones tied to the audits of the right setting', async () => {
    const { bytes } = await getText(`/v1/models/${modelId}/exports/hti-1`);
    const doc = JSON.parse(bytes.toString('utf8')) as Hti1;
    expect(doc.modelId).toBe(modelId);
    expect(doc.attributes.map((a) => a.id)).toEqual(HTI1_PARAGRAPHS);
    const by = new Map(doc.attributes.map((a) => [a.id, a]));
    const cited = (id: string) => (by.get(id)?.evidence ?? []).map((e) => e.auditId);
    expect(cited('(B)(7)(i)')).toEqual([ids.internal]);
    expect(cited('(B)(7)(ii)')).toEqual([ids.internal]);
    expect(cited('(B)(7)(iii)')).toEqual([ids.external]);
    expect(cited('(B)(7)(iv)')).toEqual([ids.external]);
    expect(cited('(B)(6)(i)')).toEqual([ids.external]);
    expect(cited('(B)(6)(iii)')).toEqual([ids.external]);
    expect(cited('(B)(4)(iii)')).toEqual([ids.internal]); // no training audit: the internal test one
    expect(cited('(B)(8)(ii)')).toEqual([ids.local2]); // the latest local audit
    expect(cited('(B)(8)(iv)')).toEqual([ids.local2]);
    expect(cited('(B)(8)(i)')).toEqual([ids.local1, ids.local2]); // the cadence observed
    expect(cited('(B)(4)(iv)')).toEqual([ids.internal, ids.local2]); // development vs latest local
    for (const id of ['(B)(7)(i)', '(B)(7)(iv)', '(B)(8)(ii)', '(B)(8)(iv)', '(B)(6)(iii)'])
      expect([id, by.get(id)?.source]).toEqual([id, 'audits']);
    expect(by.get('(B)(6)(i)')?.value).toContain('Two community hospitals in Ohio');
    expect(by.get('(B)(2)(i)')).toMatchObject({
      source: 'documentation',
      value: expect.stringContaining('sepsis'),
    });
    expect(by.get('(B)(1)(ii)')).toMatchObject({ source: 'missing', value: null });
    // 92 days between the local audits' period ends (2024-06-30 → 2024-09-30)
    expect(by.get('(B)(8)(i)')?.value).toContain('a median of 92 days apart');

    // the summary lists exactly the missing attributes, in order
    const missing = doc.attributes.filter((a) => a.source === 'missing').map((a) => a.id);
    expect(doc.summary.missingAttributes.map((m) => m.id)).toEqual(missing);
    expect(doc.summary).toMatchObject({ total: 31, missing: missing.length });
    expect(doc.summary.missingAttributes.find((m) => m.id === '(B)(1)(ii)')?.documentationFields).toEqual([
      'fundingSource',
    ]);
  });

  it('publishes figures recomputed from the rows, and never a group of 1 to 10 people', async () => {
    const doc = JSON.parse(
      (await getText(`/v1/models/${modelId}/exports/hti-1`)).bytes.toString('utf8'),
    ) as Hti1;
    const by = new Map(doc.attributes.map((a) => [a.id, a]));
    const ext = by.get('(B)(7)(iii)')!.evidence![0]!;
    const accuracy = externalRows.filter((r) => r.yTrue === r.yPred).length / externalRows.length;
    expect(ext.metrics.find((m) => m.metric === 'accuracy' && !m.group)?.value).toBe(round2(accuracy));
    expect(ext.rowCount).toBe(externalRows.length);
    const fair = by.get('(B)(7)(iv)')!.evidence![0]!;
    const blackRatio = fair.metrics.find(
      (m) => m.metric === 'selection_rate.ratio' && m.group?.race === 'Black' && m.attributes?.length === 1,
    );
    expect(blackRatio?.value).toBe(round2(rate(externalRows, 'Black') / rate(externalRows, 'White')));
    const shares = by.get('(B)(6)(iii)')!.evidence![0]!.metrics.filter((m) => m.attributes?.[0] === 'race');
    expect(shares.find((m) => m.group?.race === 'Black')?.value).toBe(round2(130 / 436));
    // Asian (6 people) is hidden, and Hispanic with it (complementary suppression)
    expect(shares.map((m) => m.group?.race).sort()).toEqual(['Black', 'White']);
    const all = doc.attributes.flatMap((a) => (a.evidence ?? []).flatMap((e) => e.metrics));
    expect(all.filter((m) => m.group?.race === 'Asian')).toEqual([]);
    expect(all.filter((m) => m.count !== undefined && m.count > 0 && m.count <= 10)).toEqual([]);
  });

  it('makes a CHAI model card that xmllint accepts against the v0.2 schema offline', async () => {
    const { bytes, headers } = await getText(`/v1/models/${modelId}/exports/chai-model-card`);
    expect(headers['content-type']).toMatch(/^application\/xml/);
    const dir = mkdtempSync(join(tmpdir(), 'fw-card-'));
    try {
      const file = join(dir, 'card.xml');
      writeFileSync(file, bytes);
      const valid = xmllint(file);
      expect(valid).toEqual({ status: 0, stderr: `${file} validates\n` });
      // the check can fail: a card without its KeyMetrics is refused
      const broken = bytes.toString('utf8').replace(/<KeyMetrics>[\s\S]*<\/KeyMetrics>/, '');
      writeFileSync(file, broken);
      const refused = xmllint(file);
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toMatch(/KeyMetrics/);
      expect(refused.stderr).toContain(`${file} fails to validate`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const xml = bytes.toString('utf8');
    const fairness = xml.slice(xml.indexOf('<FairnessEquity>'), xml.indexOf('</FairnessEquity>'));
    expect(fairness).toContain(`&quot;auditId&quot;:&quot;${ids.local2}&quot;`.replace(/&quot;/g, '"'));
    const blackLocal = round2(rate(localRows2, 'Black') / rate(localRows2, 'White'));
    expect(fairness).toMatch(
      new RegExp(
        `Black: selection rate ratio to White \\(local data[^<]*</Label>\\s*<ValueJson>\\{"kind":"single","value":${blackLocal}[,}]`,
      ),
    );
    // known biases: the fairness findings of the controls, not documentation gaps
    const biases = xml.slice(
      xml.indexOf('<KnownBiasesOrEthicalConsiderations>'),
      xml.indexOf('</KnownBiasesOrEthicalConsiderations>'),
    );
    expect(biases).toMatch(/^<KnownBiasesOrEthicalConsiderations>Groups for which fairness controls fail/);
    expect(biases).toContain('the group Black');
    expect(biases).not.toContain('(B)(1)');
    // the tiny group may be named (in a rationale), but no result of it is published
    expect(xml).not.toMatch(/<Label>[^<]*Asian[^<]*<\/Label>/);
    expect(xml).toContain('<ReleaseStage>Not documented in Fairwatch: the release stage.</ReleaseStage>');
  });

  it('signs both: the detached signature checks with the public key, /v1/reports/verify accepts them, one changed byte fails', async () => {
    const { keyId, publicKeyPem } = (await t.http.get('/v1/reports/signing-key').set(t.auth()).expect(200))
      .body;
    for (const [path, type] of [
      [`/v1/models/${modelId}/exports/hti-1`, 'application/json'],
      [`/v1/models/${modelId}/exports/chai-model-card`, 'application/xml'],
    ] as const) {
      const { bytes, headers } = await getText(path);
      expect(headers['x-fairwatch-signing-key']).toBe(keyId);
      expect(headers['x-content-sha256']).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(
        verify(
          null,
          bytes,
          createPublicKey(publicKeyPem),
          Buffer.from(headers['x-fairwatch-signature']!, 'base64'),
        ),
      ).toBe(true);
      const ok = await verifyBytes(bytes, type);
      expect(ok).toMatchObject({ valid: true, exportId: headers['x-fairwatch-export-id'] });
      expect(ok.kind).toBe(type === 'application/json' ? 'hti-1' : 'chai-model-card');
      const changed = Buffer.from(bytes);
      const at = changed.indexOf(type === 'application/json' ? '"total": 31' : 'sepsis-alert');
      changed[at + 2] = changed[at + 2]! ^ 0x01;
      const bad = await verifyBytes(changed, type);
      expect(bad.valid).toBe(false);
      // multipart works too
      const multi = await t.http
        .post('/v1/reports/verify')
        .set(t.auth())
        .attach('file', bytes, { filename: 'export', contentType: type })
        .expect(200);
      expect(multi.body.valid).toBe(true);
    }
  });

  it('onc-hti-1 controls pass only when their attributes are filled', async () => {
    const controls = async () =>
      (await t.http.get(`/v1/audits/${ids.local2}/controls?frameworks=onc-hti-1`).set(t.auth()).expect(200))
        .body as { controlId: string; status: string; rationale: string }[];
    const b1 = (list: { controlId: string; status: string; rationale: string }[]) =>
      list.find((c) => c.controlId === '45 CFR 170.315(b)(11)(iv)(B)(1)')!;
    const before = b1(await controls());
    expect(before.status).toBe('fail');
    expect(before.rationale).toContain('(B)(1)(i)');
    await t.http
      .patch(`/v1/models/${modelId}`)
      .set(t.auth())
      .send({
        documentation: {
          developer: 'Acme Health AI, ai@acme.example',
          fundingSource: 'Internal R&D budget',
          outputDescription: 'Probability of sepsis within 12 hours',
          outputType: 'prediction',
        },
      })
      .expect(200);
    expect(b1(await controls()).status).toBe('pass');
    const hti1 = JSON.parse(
      (await getText(`/v1/models/${modelId}/exports/hti-1`)).bytes.toString('utf8'),
    ) as Hti1;
    expect(hti1.attributes.slice(0, 4).map((a) => a.source)).toEqual(Array(4).fill('documentation'));
  });

  it('lets only admins and compliance officers export, and hides other organizations', async () => {
    const viewer = (
      await t.http.post('/v1/api-keys').set(t.auth()).send({ name: 'v', role: 'viewer' }).expect(201)
    ).body.key as string;
    await t.http.get(`/v1/models/${modelId}/exports/hti-1`).set(t.auth(viewer)).expect(403);
    const officer = (
      await t.http
        .post('/v1/api-keys')
        .set(t.auth())
        .send({ name: 'o', role: 'compliance_officer' })
        .expect(201)
    ).body.key as string;
    await t.http.get(`/v1/models/${modelId}/exports/chai-model-card`).set(t.auth(officer)).expect(200);
    const other = (
      await t.http.post('/v1/organizations').set(t.auth()).send({ name: 'Other Org' }).expect(201)
    ).body.adminKey as string;
    await t.http.get(`/v1/models/${modelId}/exports/hti-1`).set(t.auth(other)).expect(404);
    const { bytes } = await getText(`/v1/models/${modelId}/exports/hti-1`);
    const there = await t.http
      .post('/v1/reports/verify')
      .set(t.auth(other))
      .set('Content-Type', 'application/json')
      .send(bytes.toString('utf8'))
      .expect(200);
    expect(there.body.valid).toBe(false);
  });

  it('CLI: export writes the signed files, verify accepts them and refuses a changed byte (exit 3)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fw-export-cli-'));
    try {
      symlinkSync(resolve(__dirname, '../node_modules'), join(dir, 'node_modules'), 'dir');
      const bin = await buildCli(dir);
      await t.app.listen(0, '127.0.0.1');
      const port = (t.app.getHttpServer().address() as AddressInfo).port;
      const run = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
        new Promise((done, reject) => {
          const child = spawn(process.execPath, [bin, ...args], {
            cwd: dir,
            env: {
              PATH: process.env.PATH ?? '',
              HOME: dir,
              FAIRWATCH_URL: `http://127.0.0.1:${port}`,
              FAIRWATCH_API_KEY: ADMIN_KEY,
            },
          });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
          child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
          child.on('error', reject);
          child.on('close', (code) => done({ code, stdout, stderr }));
        });
      const hti1 = await run(['export', 'hti-1', 'sepsis-alert@1.4.0', '-o', 'hti.json']);
      expect([hti1.code, hti1.stderr]).toEqual([0, '']);
      const doc = JSON.parse(readFileSync(join(dir, 'hti.json'), 'utf8')) as Hti1;
      expect(hti1.stdout).toContain(`${31 - doc.summary.missing} of 31 attributes filled`);
      const card = await run(['export', 'chai-model-card', modelId, '-o', 'card.xml']);
      expect(card.code).toBe(0);
      for (const f of ['hti.json', 'card.xml']) {
        const ok = await run(['verify', f]);
        expect([f, ok.code]).toEqual([f, 0]);
        expect(ok.stdout).toMatch(f === 'card.xml' ? /^VALID: model card / : /^VALID: HTI-1 export /);
      }
      const xml = readFileSync(join(dir, 'card.xml'));
      xml[xml.indexOf('sepsis')] = 'S'.charCodeAt(0);
      writeFileSync(join(dir, 'card.xml'), xml);
      const bad = await run(['verify', 'card.xml']);
      expect(bad.code).toBe(3);
      expect(bad.stdout).toMatch(/^NOT VALID/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
