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
 * migrations run on both at start-up (see run-migrations.ts); the schema is never synchronised. An embedded
 * database that preopenEmbeddedDatabase() started opening is taken over.
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
  return { ...common, driver: await takeEmbeddedDriver(config) };
}

type EmbeddedDriver = ReturnType<typeof pgliteDriver>;

/** The embedded database main.ts started opening, for the data directory it was started on. */
let preopened: { dataDir: string; driver: Promise<EmbeddedDriver> } | null = null;

/**
 * Starts opening the embedded database in `config.dataDir` now, so that PGlite reads its files and compiles
 * its WebAssembly while the rest of the application's modules load (npm start); the next dataSourceOptions()
 * for that directory takes it over. Locks the directory at once: a second process on it throws
 * DataDirLockedError here, before anything else is loaded. Does nothing with DATABASE_URL or in memory.
 */
export function preopenEmbeddedDatabase(config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>): void {
  if (config.databaseUrl || config.dataDir === null || preopened) return;
  const driver = openEmbeddedDriver(config.dataDir);
  driver.catch(() => undefined); // reported to whoever takes it over
  preopened = { dataDir: config.dataDir, driver };
}

function takeEmbeddedDriver(config: Pick<AppConfig, 'dataDir'>): Promise<EmbeddedDriver> {
  if (config.dataDir === null) return openPglite(undefined).then((db) => pgliteDriver(db));
  if (preopened?.dataDir === config.dataDir) {
    const { driver } = preopened;
    preopened = null;
    return driver;
  }
  return openEmbeddedDriver(config.dataDir);
}

/** Locks `dataDir` (synchronously: throws DataDirLockedError), then opens PGlite in `<dataDir>/pglite`. */
function openEmbeddedDriver(dataDir: string): Promise<EmbeddedDriver> {
  const lock = lockDataDir(dataDir);
  return openPglite(join(dataDir, 'pglite')).then(
    (db) => pgliteDriver(db, lock.release),
    (err: unknown) => {
      lock.release();
      throw err;
    },
  );
}

async function openPglite(dir: string | undefined): Promise<PGlite> {
  if (dir) mkdirSync(dir, { recursive: true });
  // bigint as text, like pg, so JSON serialisation and TypeORM behave the same on both databases.
  return PGlite.create({ dataDir: dir, parsers: { [types.INT8]: (v: string) => v } });
}
