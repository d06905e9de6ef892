import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import type { AppConfig } from '../config';
import { pgliteDriver } from './pglite-driver';

/**
 * TypeORM options for the configured database: PostgreSQL when DATABASE_URL is set, else embedded PGlite in
 * `<dataDir>/pglite` (in memory when dataDir is null). The same plain-SQL migrations run on both at start-up;
 * the schema is never synchronised.
 */
export async function dataSourceOptions(
  config: AppConfig,
  entities: DataSourceOptions['entities'] = [],
): Promise<DataSourceOptions> {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    installExtensions: false,
    logging: false,
  };
  if (config.databaseUrl) {
    return { ...common, url: config.databaseUrl, poolSize: 10, applicationName: 'fairwatch' };
  }
  return { ...common, driver: pgliteDriver(await openPglite(config.dataDir)) };
}

async function openPglite(dataDir: string | null): Promise<PGlite> {
  const dir = dataDir === null ? undefined : join(dataDir, 'pglite');
  if (dir) mkdirSync(dir, { recursive: true });
  // bigint as text, like pg, so JSON serialisation and TypeORM behave the same on both databases.
  return PGlite.create({ dataDir: dir, parsers: { [types.INT8]: (v: string) => v } });
}
