import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'supertest';
import { DIABETES_SCORED_CSV } from './support/datasets';
import { startTestApp, type TestApp } from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- untyped JSON response bodies */
type Json = Record<string, any>;

/** Three sites' rows: consecutive slices of the public diabetes readmission sample (datasets/README.md). */
const SITES = ['north', 'south', 'east'] as const;
const [HEADER, ...ROWS] = readFileSync(DIABETES_SCORED_CSV, 'utf8').trimEnd().split('\n');
const SLICES: Record<(typeof SITES)[number], string[]> = {
  north: ROWS.slice(0, 1200),
  south: ROWS.slice(1200, 2100),
  east: ROWS.slice(2100, 3000),
};
const csv = (lines: readonly string[]): Buffer => Buffer.from([HEADER, ...lines].join('\n') + '\n');
const CONFIG = {
  sensitiveAttributes: ['race', 'gender'],
  intersections: [['race', 'gender']],
  labelColumn: 'y_true',
  predictionColumn: 'y_pred',
  scoreColumn: 'score',
};

describe('federated audit rounds', () => {
  let t: TestApp;
  let modelId: string;

  const openRound = (body: Json, key?: string, model = modelId): Test =>
    t.http.post(`/v1/models/${model}/audit-rounds`).set(t.auth(key)).send(body);
  const submit = (roundId: string, site: string | null, file: Buffer, key?: string): Test => {
    const req = t.http.post(`/v1/audit-rounds/${roundId}/parts`).set(t.auth(key));
    return (site === null ? req : req.field('site', site)).attach('file', file, 'part.csv');
  };
  const round = async (roundId: string, key?: string): Promise<Json> =>
    (await t.http.get(`/v1/audit-rounds/${roundId}`).set(t.auth(key)).expect(200)).body;
  const close = (roundId: string, body: Json = {}, key?: string): Test =>
    t.http.post(`/v1/audit-rounds/${roundId}/close`).set(t.auth(key)).send(body);
  /** What a refused request may not change: the round, its parts, audits and trail events. */
  const snapshot = async (): Promise<Json> =>
    (
      await t.dataSource.query(`SELECT
        (SELECT json_agg(r ORDER BY r.id) FROM audit_rounds r) AS rounds,
        (SELECT json_agg(json_build_object('id', p.id, 'site', p.site, 'rows', p.row_count, 'batch', md5(p.batch))
           ORDER BY p.id) FROM audit_round_parts p) AS parts,
        (SELECT count(*)::int FROM audits) AS audits,
        (SELECT count(*)::int FROM audit_events WHERE action LIKE 'round.%') AS events`)
    )[0];
  const fullRound = async (config: Json = CONFIG): Promise<string> => {
    const opened = await openRound({ name: 'Q3', sites: [...SITES], config }).expect(201);
    for (const site of SITES) await submit(opened.body.id, site, csv(SLICES[site])).expect(201);
    return opened.body.id as string;
  };

  beforeAll(async () => {
    t = await startTestApp();
    modelId = (
      await t.http.post('/v1/models').set(t.auth()).send({ name: 'rounds', version: '1' }).expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  it('pools three sites into an audit whose metrics equal one upload of every row with a site column', async () => {
    const roundId = await fullRound({
      ...CONFIG,
      intersections: [
        ['race', 'gender'],
        ['site', 'race'],
      ],
    });
    const pooled = (await close(roundId).expect(201)).body;

    // The same rows as one CSV, the site as a column, in the round's site order.
    const single = Buffer.from(
      [`${HEADER},site`, ...SITES.flatMap((site) => SLICES[site].map((line) => `${line},${site}`))].join(
        '\n',
      ) + '\n',
    );
    const config = {
      ...CONFIG,
      sensitiveAttributes: ['race', 'gender', 'site'],
      intersections: [
        ['race', 'gender'],
        ['site', 'race'],
      ],
    };
    const one = (
      await t.http
        .post(`/v1/models/${modelId}/audits`)
        .set(t.auth())
        .field('config', JSON.stringify(config))
        .attach('file', single, 'all.csv')
        .expect(201)
    ).body;

    expect(pooled.rowCount).toBe(3000);
    expect(pooled.config).toEqual(one.config);
    expect(pooled.columnsUsed).toEqual(one.columnsUsed);
    expect(pooled.summary).toEqual(one.summary);
    const metrics = async (id: string): Promise<Json> => {
      const body = (await t.http.get(`/v1/audits/${id}/metrics`).set(t.auth()).expect(200)).body as Json;
      delete body.auditId;
      return body;
    };
    const [a, b] = [await metrics(pooled.id), await metrics(one.id)];
    expect(a).toEqual(b);
    // Not vacuous: the site slice is there, with each site's own row count.
    const siteSlice = (a.slices as Json[]).find((s) => s.attributes.join() === 'site')!;
    expect(siteSlice.groups.map((g: Json) => [g.key.site, g.count])).toEqual([
      ['east', 900],
      ['north', 1200],
      ['south', 900],
    ]);
    // Calibration and thresholds read the stored batch: equal too.
    for (const path of ['calibration', 'thresholds']) {
      const [x, y] = await Promise.all(
        [pooled.id, one.id].map(
          async (id) => (await t.http.get(`/v1/audits/${id}/${path}`).set(t.auth()).expect(200)).body as Json,
        ),
      );
      delete x!.auditId;
      delete y!.auditId;
      expect([path, x]).toEqual([path, y]);
    }

    const status = await round(roundId);
    expect(status).toMatchObject({ status: 'closed', auditId: pooled.id, pending: [], missingSites: [] });
    expect(status.submitted.map((s: Json) => [s.site, s.rowCount])).toEqual([
      ['north', 1200],
      ['south', 900],
      ['east', 900],
    ]);
    // The parts' rows now live only in the pooled audit's batch.
    const [{ kept }] = await t.dataSource.query(
      `SELECT count(*)::int AS kept FROM audit_round_parts WHERE round_id = $1 AND batch IS NOT NULL`,
      [roundId],
    );
    expect(kept).toBe(0);
  });

  it('pools cell tables (config.countColumn) into the audit one upload of the same cells with a site column gives', async () => {
    // Each site's rows as a table of counts: (label, prediction, score to 2 decimals, race, gender) → n.
    const cells = (lines: readonly string[]): string[] => {
      const counts = new Map<string, number>();
      for (const line of lines) {
        const [yTrue, yPred, score, race, gender] = line.split(',');
        const key = [yTrue, yPred, Number(score).toFixed(2), race, gender].join(',');
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return [...counts].map(([key, n]) => `${key},${n}`);
    };
    const header = 'y_true,y_pred,score,race,gender,n';
    const config = { ...CONFIG, countColumn: 'n' };
    const opened = (await openRound({ name: 'cells', sites: [...SITES], config }).expect(201)).body;
    const tables = Object.fromEntries(SITES.map((site) => [site, cells(SLICES[site])]));
    for (const site of SITES) {
      const part = await submit(opened.id, site, Buffer.from([header, ...tables[site]!].join('\n'))).expect(
        201,
      );
      expect(part.body.rowCount).toBe(SLICES[site].length); // people, not cells
    }
    const pooled = (await close(opened.id).expect(201)).body;
    const one = (
      await t.http
        .post(`/v1/models/${modelId}/audits`)
        .set(t.auth())
        .field('config', JSON.stringify({ ...config, sensitiveAttributes: ['race', 'gender', 'site'] }))
        .attach(
          'file',
          Buffer.from(
            [`${header},site`, ...SITES.flatMap((site) => tables[site]!.map((l) => `${l},${site}`))].join(
              '\n',
            ),
          ),
          'cells.csv',
        )
        .expect(201)
    ).body;
    expect(pooled.rowCount).toBe(3000);
    const cellTotal = SITES.reduce((sum, site) => sum + tables[site]!.length, 0);
    expect(cellTotal).toBeLessThan(3000); // the tables really are aggregated
    expect(pooled.summary.cellCount).toBe(cellTotal);
    expect(pooled.summary).toEqual(one.summary);
    const metrics = async (id: string): Promise<Json> => {
      const body = (await t.http.get(`/v1/audits/${id}/metrics`).set(t.auth()).expect(200)).body as Json;
      delete body.auditId;
      return body;
    };
    expect(await metrics(pooled.id)).toEqual(await metrics(one.id));
  });

  it('reads a Parquet part like a CSV part (spooled encrypted, then read with the round config)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fw-rounds-e2e-'));
    const db = await DuckDBInstance.create(':memory:');
    const duck = await db.connect();
    try {
      writeFileSync(join(dir, 'south.csv'), csv(SLICES.south));
      await duck.run(
        `COPY (SELECT * FROM read_csv('${join(dir, 'south.csv')}')) TO '${join(dir, 'south.parquet')}' (FORMAT parquet)`,
      );
      const parquet = readFileSync(join(dir, 'south.parquet'));
      const pooled = async (south: Buffer, name: string): Promise<Json> => {
        const opened = (await openRound({ name, sites: ['north', 'south'], config: CONFIG }).expect(201))
          .body;
        await submit(opened.id, 'north', csv(SLICES.north)).expect(201);
        const part = await t.http
          .post(`/v1/audit-rounds/${opened.id}/parts`)
          .set(t.auth())
          .field('site', 'south')
          .attach('file', south, name)
          .expect(201);
        expect(part.body.format).toBe(name.endsWith('.parquet') ? 'parquet' : 'csv');
        const audit = (await close(opened.id).expect(201)).body;
        return (await t.http.get(`/v1/audits/${audit.id}/metrics`).set(t.auth()).expect(200)).body.slices;
      };
      expect(await pooled(parquet, 'south.parquet')).toEqual(await pooled(csv(SLICES.south), 'south.csv'));
    } finally {
      duck.closeSync();
      db.closeSync();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a part body that is not multipart or carries a config field, and stores nothing', async () => {
    const opened = (await openRound({ name: 'bodies', sites: ['a'], config: CONFIG }).expect(201)).body;
    const before = await snapshot();
    const json = await t.http
      .post(`/v1/audit-rounds/${opened.id}/parts`)
      .set(t.auth())
      .send({ site: 'a', records: [] })
      .expect(415);
    expect(json.body.detail).toMatch(/multipart\/form-data with a "file" part/);
    const withConfig = await t.http
      .post(`/v1/audit-rounds/${opened.id}/parts`)
      .set(t.auth())
      .field('site', 'a')
      .field('config', JSON.stringify(CONFIG))
      .attach('file', csv(SLICES.north), 'a.csv')
      .expect(400);
    // busboy stops at the field past the expected one (the limit is the parts this route takes).
    expect(withConfig.body.detail).toMatch(/Too many fields: send one "site" field/);
    expect(await snapshot()).toEqual(before);
  });

  it('leaves the site out of the pooled audit when config.siteAsAttribute is false', async () => {
    const roundId = await fullRound({ ...CONFIG, siteAsAttribute: false });
    const pooled = (await close(roundId).expect(201)).body;
    const one = (
      await t.http
        .post(`/v1/models/${modelId}/audits`)
        .set(t.auth())
        .field('config', JSON.stringify(CONFIG))
        .attach('file', csv(SITES.flatMap((s) => SLICES[s])), 'all.csv')
        .expect(201)
    ).body;
    expect(pooled.config.sensitiveAttributes).toEqual(['race', 'gender']);
    const m = async (id: string) =>
      (await t.http.get(`/v1/audits/${id}/metrics`).set(t.auth()).expect(200)).body.slices;
    expect(await m(pooled.id)).toEqual(await m(one.id));
  });

  it('refuses a duplicate part, an unknown site and a late part with a problem, and changes nothing', async () => {
    const opened = (await openRound({ name: 'dupes', sites: ['a', 'b'], config: CONFIG }).expect(201)).body;
    await submit(opened.id, 'a', csv(SLICES.north)).expect(201);
    let before = await snapshot();

    const dup = await submit(opened.id, 'a', csv(SLICES.south)).expect(409);
    expect(dup.headers['content-type']).toMatch(/problem\+json/);
    expect(dup.body.detail).toMatch(/site "a" has already submitted/);
    expect(dup.body.errors).toEqual([expect.objectContaining({ field: 'site' })]);
    const unknown = await submit(opened.id, 'zzz', csv(SLICES.south)).expect(400);
    expect(unknown.body.errors).toEqual([
      { field: 'site', message: '"zzz" is not a site of this round ("a", "b")' },
    ]);
    const noSite = await submit(opened.id, null, csv(SLICES.south)).expect(400);
    expect(noSite.body.errors).toEqual([expect.objectContaining({ field: 'site' })]);
    // A bad row names its row and column.
    const bad = await submit(opened.id, 'b', csv(['2,0,0.5,Caucasian,Female,x,y,z,1'])).expect(400);
    expect(bad.body.errors[0]).toMatchObject({ row: 1, column: 'y_true' });
    // Closing with a missing site is refused unless allowMissing.
    const missing = await close(opened.id).expect(409);
    expect(missing.body.detail).toMatch(/"b" have not submitted.*allowMissing/);
    expect(await snapshot()).toEqual(before);

    const pooled = (await close(opened.id, { allowMissing: true }).expect(201)).body;
    expect(pooled.rowCount).toBe(1200);
    expect(await round(opened.id)).toMatchObject({ status: 'closed', missingSites: ['b'], pending: [] });
    before = await snapshot();
    const late = await submit(opened.id, 'b', csv(SLICES.south)).expect(409);
    expect(late.body.detail).toMatch(/round was closed/);
    const again = await close(opened.id).expect(409);
    expect(again.body.detail).toMatch(/round was closed/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a round with bad sites or config, naming the field, and stores nothing', async () => {
    const before = await snapshot();
    const cases: [Json, string][] = [
      [{ name: 'x', sites: [], config: CONFIG }, 'sites'],
      [{ name: 'x', sites: ['a', 'a'], config: CONFIG }, 'sites[1]'],
      [{ name: 'x', sites: ['../etc'], config: CONFIG }, 'sites[0]'],
      [{ name: 'x', sites: ['a'], config: { ...CONFIG, siteAsAttribute: 'yes' } }, 'config.siteAsAttribute'],
      [{ name: 'x', sites: ['a'], config: { sensitiveAttributes: ['site'] } }, 'config.sensitiveAttributes'],
      [
        { name: 'x', sites: ['a'], config: { ...CONFIG, intersections: [['site', 'nope']] } },
        'config.intersections[0]',
      ],
      // The merger pools binary columns only: a regression or multiclass round would pool wrong data.
      [
        { name: 'x', sites: ['a'], config: { task: 'regression', sensitiveAttributes: ['race'] } },
        'config.task',
      ],
      [
        { name: 'x', sites: ['a'], config: { task: 'multiclass', sensitiveAttributes: ['race'] } },
        'config.task',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await openRound(body).expect(400);
      expect([field, res.body.errors.map((e: Json) => e.field)]).toEqual([field, [field]]);
    }
    await openRound(
      { name: 'x', sites: ['a'], config: CONFIG },
      undefined,
      '00000000-0000-4000-8000-000000000000',
    ).expect(404);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a part whose columns differ from the earlier parts', async () => {
    const opened = (
      await openRound({
        name: 'shape',
        sites: ['a', 'b'],
        config: { sensitiveAttributes: ['race'] }, // label, prediction and score by their default names
      }).expect(201)
    ).body;
    await submit(opened.id, 'a', csv(SLICES.north)).expect(201);
    const noScore = Buffer.from(
      [
        'y_true,y_pred,race',
        ...SLICES.south.map((l) => l.split(',').slice(0, 2).concat(l.split(',')[3]!).join(',')),
      ].join('\n'),
    );
    const res = await submit(opened.id, 'b', noScore).expect(409);
    expect(res.body.errors).toEqual([expect.objectContaining({ column: 'score' })]);
  });

  it('limits a site key to its own site of its own round', async () => {
    const opened = (await openRound({ name: 'keys', sites: ['a', 'b'], config: CONFIG }).expect(201)).body;
    const other = (await openRound({ name: 'other', sites: ['a'], config: CONFIG }).expect(201)).body;
    const created = await t.http
      .post('/v1/api-keys')
      .set(t.auth())
      .send({ name: 'site a', role: 'data_scientist', roundId: opened.id, site: 'a' })
      .expect(201);
    expect(created.body).toMatchObject({ roundId: opened.id, site: 'a' });
    const key = created.body.key as string;

    // Creating one is checked: the site must be one of the round's, the role data_scientist, both fields given.
    for (const body of [
      { name: 'k', role: 'data_scientist', roundId: opened.id, site: 'zzz' },
      { name: 'k', role: 'admin', roundId: opened.id, site: 'a' },
      { name: 'k', role: 'data_scientist', roundId: opened.id },
    ]) {
      await t.http.post('/v1/api-keys').set(t.auth()).send(body).expect(400);
    }
    await t.http
      .post('/v1/api-keys')
      .set(t.auth())
      .send({ name: 'k', role: 'data_scientist', roundId: '00000000-0000-4000-8000-000000000000', site: 'a' })
      .expect(404);

    expect((await round(opened.id, key)).status).toBe('open');
    await t.http.get(`/v1/audit-rounds/${other.id}`).set(t.auth(key)).expect(404);
    await submit(other.id, 'a', csv(SLICES.north), key).expect(404);
    const wrongSite = await submit(opened.id, 'b', csv(SLICES.north), key).expect(403);
    expect(wrongSite.body.detail).toMatch(/only submit the part of site "a"/);
    for (const [method, path] of [
      ['get', '/v1/models'],
      ['get', `/v1/models/${modelId}`],
      ['get', '/v1/audit-events'],
      ['post', `/v1/audit-rounds/${opened.id}/close`],
      ['post', `/v1/models/${modelId}/audit-rounds`],
    ] as const) {
      const res = await t.http[method](path).set(t.auth(key)).send({});
      expect([path, res.status]).toEqual([path, 403]);
    }
    const before = await snapshot();
    await submit(opened.id, 'b', csv(SLICES.north), key).expect(403);
    expect(await snapshot()).toEqual(before);

    // Its own part, with or without naming the site.
    const part = (await submit(opened.id, null, csv(SLICES.north), key).expect(201)).body;
    expect(part).toMatchObject({ roundId: opened.id, site: 'a', rowCount: 1200 });
  });

  it("keeps organizations apart: another organization's round is a 404 everywhere", async () => {
    const opened = (await openRound({ name: 'mine', sites: ['a'], config: CONFIG }).expect(201)).body;
    const otherAdmin = (
      await t.http.post('/v1/organizations').set(t.auth()).send({ name: 'Other clinic' }).expect(201)
    ).body.adminKey as string;
    await t.http.get(`/v1/audit-rounds/${opened.id}`).set(t.auth(otherAdmin)).expect(404);
    await submit(opened.id, 'a', csv(SLICES.north), otherAdmin).expect(404);
    await close(opened.id, {}, otherAdmin).expect(404);
    await openRound({ name: 'theirs', sites: ['a'], config: CONFIG }, otherAdmin).expect(404);
    await t.http
      .post('/v1/api-keys')
      .set(t.auth(otherAdmin))
      .send({ name: 'k', role: 'data_scientist', roundId: opened.id, site: 'a' })
      .expect(404);
    expect((await round(opened.id)).submitted).toEqual([]);
  });

  it('shows no site count from 1 to 10, and hides a partner so the total cannot give it back', async () => {
    const opened = (await openRound({ name: 'small', sites: ['a', 'b', 'c'], config: CONFIG }).expect(201))
      .body;
    await submit(opened.id, 'a', csv(SLICES.north.slice(0, 7))).expect(201);
    await submit(opened.id, 'b', csv(SLICES.south.slice(0, 40))).expect(201);
    await submit(opened.id, 'c', csv(SLICES.east.slice(0, 25))).expect(201);
    const status = await round(opened.id);
    expect(status.submitted.map((s: Json) => [s.site, s.rowCount, s.suppressed])).toEqual([
      ['a', null, '1-10'],
      ['b', 40, null],
      ['c', null, 'partner'], // 25 < 40: the next smallest
    ]);
  });

  it('records round events in the trail, which still verifies, and finds one edited afterwards', async () => {
    const roundId = await fullRound();
    await close(roundId).expect(201);
    const events = (
      await t.dataSource.query(`SELECT action, details FROM audit_events WHERE object_id = $1 ORDER BY seq`, [
        roundId,
      ])
    ).map((e: Json) => [e.action, e.details.site ?? null]);
    expect(events).toEqual([
      ['round.opened', null],
      ['round.part_submitted', 'north'],
      ['round.part_submitted', 'south'],
      ['round.part_submitted', 'east'],
      ['round.closed', null],
    ]);
    const verify = async () => (await t.http.get('/v1/audit-events/verify').set(t.auth()).expect(200)).body;
    expect(await verify()).toMatchObject({ valid: true, brokenAtSeq: null });
    await t.dataSource.query(
      `UPDATE audit_events SET details = jsonb_set(details, '{rowCount}', '1') WHERE object_id = $1 AND action = 'round.part_submitted' AND details->>'site' = 'south'`,
      [roundId],
    );
    expect((await verify()).valid).toBe(false);
  });
});
