/**
 * `npm run migration:run | migration:revert | migration:generate -- <Name>` against the configured database
 * (DATABASE_URL, else the embedded PGlite in FAIRWATCH_DATA_DIR). `generate` writes a migration skeleton with
 * the SQL TypeORM would run to make the schema match the entities; review it before committing (TypeORM does
 * not know our composite foreign keys, so drop those lines), and keep migrations in the PostgreSQL 15 dialect.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config';
import { dataSourceOptions } from './data-source-options';
import { runMigrations } from './run-migrations';

function entityFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? entityFiles(join(dir, d.name))
      : d.name.endsWith('.entity.js')
        ? [join(dir, d.name)]
        : [],
  );
}

async function main(): Promise<void> {
  const [command = '', name] = process.argv.slice(2);
  const config = loadConfig(process.env);
  const options = await dataSourceOptions(config, entityFiles(join(__dirname, '..', 'modules')));
  const ds = new DataSource(options);
  await ds.initialize();
  try {
    switch (command) {
      case 'run': {
        const done = await runMigrations(ds, config.databaseUrl !== null);
        console.log(
          done.length ? `Applied: ${done.map((m) => m.name).join(', ')}` : 'No pending migrations.',
        );
        break;
      }
      case 'revert':
        await ds.undoLastMigration({ transaction: 'each' });
        console.log('Reverted the last migration.');
        break;
      case 'generate': {
        if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name))
          throw new Error('usage: migration:generate -- <PascalCaseName>');
        const sql = await ds.driver.createSchemaBuilder().log();
        const ts = Date.now();
        const body = (qs: { query: string }[]) =>
          qs.map((q) => `    await q.query(\`${q.query.replace(/`/g, '\\`')}\`);`).join('\n');
        const file = join(process.cwd(), 'migrations', `${ts}-${name}.ts`);
        writeFileSync(
          file,
          `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name}${ts} implements MigrationInterface {\n  name = '${name}${ts}';\n\n  async up(q: QueryRunner): Promise<void> {\n${body(sql.upQueries)}\n  }\n\n  async down(q: QueryRunner): Promise<void> {\n${body(sql.downQueries.reverse())}\n  }\n}\n`,
        );
        console.log(
          `Wrote ${file} (${sql.upQueries.length} statements). Review it, then add it to migrations/index.ts.`,
        );
        break;
      }
      default:
        throw new Error('usage: migrate-cli run | revert | generate <Name>');
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
