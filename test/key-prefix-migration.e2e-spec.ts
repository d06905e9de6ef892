import { ScrubForeignKeyPrefixes1764400004000 } from '../migrations/1764400004000-ScrubForeignKeyPrefixes';
import { startTestApp, type TestApp } from './support/test-app';

/** Migration 1764400004000 removes what older versions stored of an operator's ADMIN_API_KEY. */
describe('scrubbing stored prefixes of foreign-format keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("lists the bootstrap key (not in fw_ format) with the label 'ADMIN_API_KEY'", async () => {
    const list = await t.http.get('/v1/api-keys').set(t.auth()).expect(200);
    expect((list.body.items as { prefix: string }[]).map((k) => k.prefix)).toEqual(['ADMIN_API_KEY']);
  });

  it('replaces a stored first-8-characters prefix and leaves fw_ prefixes alone', async () => {
    const generated = await t.createKey('viewer', 'generated');
    await t.dataSource.query(`UPDATE api_keys SET prefix = 'e2e-admi…' WHERE prefix = 'ADMIN_API_KEY'`);
    const runner = t.dataSource.createQueryRunner();
    try {
      await new ScrubForeignKeyPrefixes1764400004000().up(runner);
    } finally {
      await runner.release();
    }
    const rows: { prefix: string }[] = await t.dataSource.query(
      'SELECT prefix FROM api_keys ORDER BY prefix',
    );
    expect(rows.map((r) => r.prefix).sort()).toEqual(['ADMIN_API_KEY', generated.prefix].sort());
  });
});
