import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import type { AppConfig } from '../config';
import { lockDataDir } from './data-dir-lock';
import { pgliteDriver } from './pglite-driver';

/**
 * TypeORM options for the configured database: PostgreSQL when DATABASE_URL is set, else embedded PGlite in
 * `<dataDir>/pglite` (in memory when dataDir is null), with the data directory locked to this process (a
 * second process on it throws DataDirLockedError) until the DataSource is destroyed. The same plain-SQL
 * migrations run on both at start-up (see run-migrations.ts); the schema is never synchronised.
 */
export async function dataSourceOptions(
  config: AppConfig,
  entities: DataSourceOptions['entities'] = [],
): Promise<DataSourceOptions> {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations: MIGRATIONS,
    migrationsRun: false, // runMigrations(), under an advisory lock on PostgreSQL
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    installExtensions: false,
    logging: false,
  };
  if (config.databaseUrl) {
    return { ...common, url: config.databaseUrl, poolSize: 10, applicationName: 'fairwatch' };
  }
  if (config.dataDir === null) return { ...common, driver: pgliteDriver(await openPglite(undefined)) };
  const lock = lockDataDir(config.dataDir);
  try {
    return {
      ...common,
      driver: pgliteDriver(await openPglite(join(config.dataDir, 'pglite')), lock.release),
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

function openPglite(dir: string | undefined): Promise<PGlite> {
  if (dir) mkdirSync(dir, { recursive: true });
  // bigint as text, like pg, so JSON serialisation and TypeORM behave the same on both databases.
  return PGlite.create({ dataDir: dir, parsers: { [types.INT8]: (v: string) => v } });
}
