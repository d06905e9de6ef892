import { startTestApp, type TestApp } from './support/test-app';

interface DbColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: 'YES' | 'NO';
}

/**
 * The schema only changes through migrations, never `synchronize`. This check fails when the entities and
 * the migrated database disagree: a table or column missing on either side, another type, or nullability.
 */
describe('entities match the migrated schema', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('has no pending migrations and synchronize is off', async () => {
    expect(t.dataSource.options.synchronize).toBe(false);
    expect(await t.dataSource.showMigrations()).toBe(false);
  });

  it('has a column for every entity property and an entity property for every column', async () => {
    const db: DbColumn[] = await t.dataSource.query(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name <> 'migrations'`,
    );
    const describe = (table: string, column: string, type: string, nullable: boolean) =>
      `${table}.${column} ${type}${nullable ? ' NULL' : ''}`;
    const fromDb = db
      .map((c) => describe(c.table_name, c.column_name, c.data_type, c.is_nullable === 'YES'))
      .sort();
    const fromEntities = t.dataSource.entityMetadatas
      .flatMap((e) =>
        e.columns.map((c) =>
          describe(e.tableName, c.databaseName, t.dataSource.driver.normalizeType(c), c.isNullable),
        ),
      )
      .sort();
    expect(fromEntities).toEqual(fromDb);
  });
});
