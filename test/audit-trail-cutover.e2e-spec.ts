import { PGlite, types } from '@electric-sql/pglite';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { hashApiKey, keyPrefix } from '../src/modules/auth/api-key-material';
import { pgliteDriver } from '../src/database/pglite-driver';
import { startTestApp, type TestApp } from './support/test-app';
import { admin, TEMPLATE_ENV, testServerUrl, withDatabase } from './support/test-database';

/**
 * An installation from before per-organization chains: one global chain hashed the old way (JSON.stringify of a
 * tuple), some events with no organization, some details whose keys jsonb reorders. After the upgrade each
 * organization's chain verifies, starts with its old events re-chained and says so in a cutover event.
 */

const A = randomUUID();
const B = randomUUID();
const KEY_B = `fw_legacyb_${'k'.repeat(43)}`;

/** The format-1 hash, as the previous release computed it at insert time. */
function legacyHash(e: {
  seq: string;
  id: string;
  org: string | null;
  action: string;
  details: Record<string, unknown>;
  at: Date;
  prev: string;
}): string {
  const tuple = [e.seq, e.id, e.org, null, 'admin', e.action, null, null, null, 'success', e.details];
  return createHash('sha256')
    .update(JSON.stringify([...tuple, e.at.toISOString(), e.prev]))
    .digest('hex');
}

// organization, action, details (in the order the old code wrote them), whether jsonb keeps that key order.
const LEGACY: [string | null, string, Record<string, unknown>, boolean][] = [
  [A, 'model.created', { name: 'm', version: '1' }, true],
  [B, 'api_key.created', { role: 'admin', prefix: 'fw_abc' }, true],
  [null, 'auth.failed', { route: 'GET /v1/models', reason: 'unknown key' }, true],
  [A, 'report.created', { auditId: 'a1', sha256: 'ff' }, false], // jsonb: shorter keys first
  [B, 'audit.submitted', { rowCount: 10, dataSha256: 'ee' }, true],
  [A, 'model.created', {}, true],
];

async function oldInstallation(): Promise<{ start: () => Promise<TestApp>; cleanup: () => void }> {
  const before = MIGRATIONS.slice(
    0,
    MIGRATIONS.findIndex((m) => m.name === 'AuditTrailChains1764400003000'),
  );
  expect(before).toHaveLength(3);
  const server = testServerUrl();
  let ds: DataSource;
  let start: () => Promise<TestApp>;
  let cleanup = () => undefined as void;
  if (server) {
    // Named after this run's template, so global-teardown drops it with the rest.
    const prefix = (process.env[TEMPLATE_ENV] ?? 'fw_e2e_tmpl').replace(/_tmpl$/, '');
    const url = withDatabase(server, `${prefix}_cutover_${randomBytes(4).toString('hex')}`);
    await admin(server, (c) => c.query(`CREATE DATABASE "${new URL(url).pathname.slice(1)}"`));
    ds = new DataSource({ type: 'postgres', url, migrations: before, installExtensions: false });
    start = () => startTestApp({ DATABASE_URL: url });
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'fw-cutover-'));
    const db = await PGlite.create({
      dataDir: join(dir, 'pglite'),
      parsers: { [types.INT8]: (v: string) => v },
    });
    ds = new DataSource({
      type: 'postgres',
      driver: pgliteDriver(db),
      migrations: before,
      installExtensions: false,
    });
    start = () => startTestApp({}, { pglite: true, dataDir: dir });
    cleanup = () => rmSync(dir, { recursive: true, force: true });
  }
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.query(
    `INSERT INTO organizations (id, name, is_default) VALUES ($1, 'default', true), ($2, 'Clinic B', false)`,
    [A, B],
  );
  await ds.query(
    `INSERT INTO api_keys (organization_id, name, role, prefix, key_hash) VALUES ($1, 'b admin', 'admin', $2, $3)`,
    [B, keyPrefix(KEY_B), hashApiKey(KEY_B)],
  );
  let prev = '0'.repeat(64);
  for (const [i, [org, action, details]] of LEGACY.entries()) {
    const e = {
      seq: String(i + 1),
      id: randomUUID(),
      org,
      action,
      details,
      at: new Date(Date.UTC(2026, 5, 1, 8, i, 0, 123 + i)),
      prev,
    };
    const hash = legacyHash(e);
    await ds.query(
      `INSERT INTO audit_events (seq, id, organization_id, actor_role, action, outcome, details, created_at, prev_hash, hash)
       VALUES ($1, $2, $3, 'admin', $4, 'success', $5::jsonb, $6, $7, $8)`,
      [e.seq, e.id, org, action, JSON.stringify(details), e.at.toISOString(), prev, hash],
    );
    prev = hash;
  }
  await ds.destroy();
  return { start, cleanup };
}

describe('upgrading an installation with a format-1 audit trail', () => {
  let t: TestApp;
  let setup: Awaited<ReturnType<typeof oldInstallation>>;
  beforeAll(async () => {
    setup = await oldInstallation();
    t = await setup.start();
  });
  afterAll(async () => {
    await t.close();
    setup.cleanup();
  });

  it('re-chains each organization, records a cutover event, and verifies', async () => {
    const expected = [
      { key: undefined, org: A, legacy: ['1', '3', '4', '6'], matching: 3 }, // the unknown key's event joins the default org
      { key: KEY_B, org: B, legacy: ['2', '5'], matching: 2 },
    ];
    for (const { key, org, legacy, matching } of expected) {
      const items = (await t.http.get('/v1/audit-events').set(t.auth(key)).expect(200)).body.items as {
        seq: string;
        action: string;
        details: Record<string, unknown>;
      }[];
      expect(items.map((e) => e.seq)).toEqual(items.map((_, i) => String(items.length - i)));
      expect(items).toHaveLength(legacy.length + 1);
      expect(items[0]).toMatchObject({
        action: 'audit_trail.cutover',
        details: {
          rechainedEvents: legacy.length,
          legacySeqFirst: legacy[0],
          legacySeqLast: legacy[legacy.length - 1],
          legacyHashesMatching: matching,
          hashVersion: 2,
        },
      });
      const rows: { seq: string; legacy_seq: string; hash_version: number }[] = await t.dataSource.query(
        `SELECT seq::text AS seq, legacy_seq::text AS legacy_seq, hash_version FROM audit_events
         WHERE organization_id = $1 ORDER BY audit_events.seq`,
        [org],
      );
      expect(rows.map((r) => r.legacy_seq)).toEqual([...legacy, null]);
      expect(rows.map((r) => Number(r.hash_version))).toEqual(rows.map(() => 2));
      const result = (await t.http.get('/v1/audit-events/verify').set(t.auth(key)).expect(200)).body;
      expect(result).toMatchObject({ valid: true, eventsChecked: legacy.length + 1, breaks: [] });
    }
  });

  it('cuts over once: a restart adds nothing, new events follow the cutover, and later edits of old events are caught', async () => {
    await t.close();
    t = await setup.start();
    await t.http.post('/v1/models').set(t.auth()).send({ name: 'after', version: '1' }).expect(201);
    const items = (await t.http.get('/v1/audit-events').set(t.auth()).expect(200)).body.items as {
      action: string;
    }[];
    expect(items.map((e) => e.action)).toEqual([
      'model.created',
      'audit_trail.cutover',
      'model.created',
      'report.created',
      'auth.failed',
      'model.created',
    ]);
    expect((await t.http.get('/v1/audit-events/verify').set(t.auth()).expect(200)).body.valid).toBe(true);
    await t.dataSource.query(
      `UPDATE audit_events SET details = '{"auditId":"a2","sha256":"ff"}' WHERE organization_id = $1 AND seq = 3`,
      [A],
    );
    expect((await t.http.get('/v1/audit-events/verify').set(t.auth()).expect(200)).body.breaks).toEqual([
      { seq: '3', reason: 'event content was altered' },
    ]);
  });
});
