import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The embedded default, always on PGlite whatever TEST_DATABASE_URL says: an on-disk data dir, the real
 * migrations, data kept across a restart, and transactions that stay correct when they overlap.
 */
describe('embedded PGlite (the `npm start` default)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fairwatch-pglite-'));
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({}, { pglite: true, dataDir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs on PGlite with the migrations applied', async () => {
    expect(t.database).toBe('pglite');
    await t.http.get('/health').expect(200, { status: 'ok', database: 'up' });
    const rows: { name: string }[] = await t.dataSource.query('SELECT name FROM migrations ORDER BY id');
    expect(rows.map((r) => r.name)[0]).toBe('InitialSchema1764400000000');
  });

  it('keeps both commits when one transaction rolls back while another commits', async () => {
    const ds = t.dataSource;
    await ds.query('CREATE TABLE tx_probe (v text)');
    const committing = ds.transaction(async (m) => {
      await m.query("INSERT INTO tx_probe VALUES ('tx-ok')");
      await new Promise((r) => setTimeout(r, 30));
    });
    const rollingBack = ds
      .transaction(async (m) => {
        await m.query("INSERT INTO tx_probe VALUES ('tx-rolled-back')");
        throw new Error('roll back');
      })
      .catch((e: Error) => e.message);
    const committingToo = ds.transaction(async (m) => {
      await m.query("INSERT INTO tx_probe VALUES ('tx-ok-2')");
    });
    const [, rolled] = await Promise.all([committing, rollingBack, committingToo]);
    expect(rolled).toBe('roll back');
    const rows: { v: string }[] = await ds.query('SELECT v FROM tx_probe ORDER BY v');
    expect(rows.map((r) => r.v)).toEqual(['tx-ok', 'tx-ok-2']);
  });

  it('serves concurrent API writes without losing any', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `concurrent-${i}`);
    const results = await Promise.all(
      names.map((name) => t.http.post('/v1/api-keys').set(t.auth()).send({ name, role: 'viewer' })),
    );
    expect(results.map((r) => r.status)).toEqual(names.map(() => 201));
    const list = await t.http.get('/v1/api-keys').set(t.auth()).expect(200);
    const listed = (list.body.items as { name: string }[])
      .map((k) => k.name)
      .filter((n) => n.startsWith('concurrent-'));
    expect(listed.sort()).toEqual(names);
  });

  it('keeps data across a restart of the service', async () => {
    await t.http.post('/v1/api-keys').set(t.auth()).send({ name: 'survivor', role: 'viewer' }).expect(201);
    await t.close();
    t = await startTestApp({}, { pglite: true, dataDir });
    const list = await t.http.get('/v1/api-keys').set(t.auth()).expect(200);
    expect((list.body.items as { name: string }[]).some((k) => k.name === 'survivor')).toBe(true);
  });
});
