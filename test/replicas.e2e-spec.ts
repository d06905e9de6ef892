import { randomBytes } from 'node:crypto';
import { MIGRATIONS } from '../migrations';
import { CONTROLS } from '../src/core/compliance';
import { initializeMigrated } from '../src/database/run-migrations';
import { spawnApp, type ChildApp } from './support/child-app';
import { startTestApp, type TestApp } from './support/test-app';
import { admin, TEMPLATE_ENV, testServerUrl, withDatabase } from './support/test-database';

const ADMIN = 'replicas-admin-key-0123456789abcdef';

/** The constraints that keep data unique when several replicas write at once (named in the migrations). */
const UNIQUE_CONSTRAINTS = [
  'uq_models_org_name_version',
  'uq_audits_org_idempotency_key',
  'uq_api_keys_key_hash',
  'uq_organizations_name',
  'pk_catalog_controls',
  'pk_signing_keys',
];

const CSV = [
  'y_true,y_pred,score,group',
  ...Array.from({ length: 40 }, (_, i) => `${i % 2},${(i >> 1) % 2},0.${i % 10},${i % 4 < 2 ? 'a' : 'b'}`),
].join('\n');

async function createModel(url: string, name: string): Promise<Response> {
  return fetch(`${url}/v1/models`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, version: '1' }),
  });
}

describe('data stays unique when requests race', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('has the unique constraints the replicas rely on', async () => {
    const rows: { conname: string; contype: string }[] = await t.dataSource.query(
      `SELECT conname, contype FROM pg_constraint WHERE conname = ANY($1) ORDER BY conname`,
      [UNIQUE_CONSTRAINTS],
    );
    expect(rows.map((r) => r.conname)).toEqual([...UNIQUE_CONSTRAINTS].sort());
    expect(rows.every((r) => r.contype === 'u' || r.contype === 'p')).toBe(true);
    const partial: { indexname: string }[] = await t.dataSource.query(
      `SELECT indexname FROM pg_indexes WHERE indexname = 'uq_organizations_default' AND indexdef LIKE 'CREATE UNIQUE%'`,
    );
    expect(partial).toHaveLength(1);
  });

  it('gives 20 concurrent creates of one model exactly one 201 and 19 409s', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.http.post('/v1/models').set(t.auth()).send({ name: 'raced', version: '1' }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(19).fill(409)]);
  });
});

const server = testServerUrl();
// Replicas share a PostgreSQL server (TEST_DATABASE_URL); embedded PGlite is one process by design (see
// embedded-instance.e2e-spec.ts).
if (server) {
  describe('start-up migrations on PostgreSQL', () => {
    it('run once when four data sources migrate one fresh database at the same moment', async () => {
      const template = process.env[TEMPLATE_ENV] ?? 'fw_e2e_unset_tmpl';
      const database = `${template.replace(/_tmpl$/, '')}_migrate_${randomBytes(4).toString('hex')}`;
      const url = withDatabase(server, database);
      await admin(server, (c) => c.query(`CREATE DATABASE "${database}"`));
      try {
        const options = { type: 'postgres' as const, url, migrations: MIGRATIONS, installExtensions: false };
        const sources = await Promise.all([1, 2, 3, 4].map(() => initializeMigrated(options, true)));
        const rows: { name: string }[] = await sources[0]!.query('SELECT name FROM migrations ORDER BY id');
        expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((M) => new M().name));
        await Promise.all(sources.map((s) => s.destroy()));
      } finally {
        await admin(server, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
      }
    });
  });

  describe('two replicas started together on a fresh PostgreSQL database', () => {
    const template = process.env[TEMPLATE_ENV] ?? 'fw_e2e_unset_tmpl';
    const database = `${template.replace(/_tmpl$/, '')}_replicas_${randomBytes(4).toString('hex')}`;
    const url = withDatabase(server, database);
    const query = <T>(sql: string, params: unknown[] = []) =>
      admin(url, async (c) => (await c.query(sql, params)).rows as T[]);
    let replicas: ChildApp[] = [];

    beforeAll(async () => {
      await admin(server, (c) => c.query(`CREATE DATABASE "${database}"`)); // empty: no migrations yet
      const env = { DATABASE_URL: url, ADMIN_API_KEY: ADMIN, LOG_LEVEL: 'warn' };
      replicas = await Promise.all([spawnApp(env), spawnApp(env)]);
      await Promise.all(replicas.map((r) => r.ready(180_000)));
    }, 240_000);
    afterAll(async () => {
      await Promise.all(replicas.map((r) => r.stop()));
      await admin(server, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    });

    it('both come up, having migrated once and seeded once', async () => {
      const migrations = await query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
      expect(migrations.map((m) => m.name)).toEqual(MIGRATIONS.map((M) => new M().name));
      const [counts] = await query<Record<string, number>>(
        `SELECT (SELECT count(*)::int FROM organizations) AS organizations,
                (SELECT count(*)::int FROM api_keys) AS api_keys,
                (SELECT count(*)::int FROM signing_keys WHERE private_key_pem IS NOT NULL) AS signing_keys,
                (SELECT count(*)::int FROM catalog_controls) AS controls`,
      );
      expect(counts).toEqual({ organizations: 1, api_keys: 1, signing_keys: 1, controls: CONTROLS.length });
      for (const r of replicas) {
        const res = await fetch(`${r.url}/v1/models`, { headers: { Authorization: `Bearer ${ADMIN}` } });
        expect(res.status).toBe(200);
      }
    });

    it('gives 20 concurrent creates of one model spread over both replicas one 201 and 19 409s', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => createModel(replicas[i % 2]!.url, 'spread')),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, ...Array<number>(19).fill(409)]);
      const conflict = results.find((r) => r.status === 409)!;
      expect(conflict.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const models = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM models WHERE name = 'spread'`,
      );
      expect(models).toEqual([{ n: 1 }]);
    });

    it('keeps one audit for 10 concurrent submissions with one Idempotency-Key over both replicas', async () => {
      const model = (await (await createModel(replicas[0]!.url, 'idempotent')).json()) as { id: string };
      const submit = (base: string) => {
        const form = new FormData();
        form.append('config', JSON.stringify({ sensitiveAttributes: ['group'] }));
        form.append('file', new Blob([CSV], { type: 'text/csv' }), 'data.csv');
        return fetch(`${base}/v1/models/${model.id}/audits`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${ADMIN}`, 'Idempotency-Key': 'nightly-run-42' },
          body: form,
        });
      };
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => submit(replicas[i % 2]!.url)));
      expect(results.map((r) => r.status)).toEqual(Array<number>(10).fill(201));
      const ids = new Set(
        await Promise.all(results.map(async (r) => ((await r.json()) as { id: string }).id)),
      );
      expect(ids.size).toBe(1);
      const audits = await query<{ n: number }>('SELECT count(*)::int AS n FROM audits WHERE model_id = $1', [
        model.id,
      ]);
      expect(audits).toEqual([{ n: 1 }]);
    });
  });
}
