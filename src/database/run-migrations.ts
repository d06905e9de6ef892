import { DataSource, type DataSourceOptions, type Migration } from 'typeorm';
import { markStartup } from '../startup/startup-timing';

/** PostgreSQL advisory lock key that serialises start-up migrations across replicas ("fwmg"). */
export const MIGRATION_LOCK = 0x66776d67;

/**
 * Runs pending migrations, each in its own transaction. With `exclusive` (PostgreSQL) the run holds a
 * session-level advisory lock on a connection of its own, so replicas started together migrate once: the
 * first runs them, the others wait and then find nothing pending. A replica that dies mid-run loses its
 * session and with it the lock. Embedded PGlite is a single session locked to one process, so it runs them
 * without the lock (taking it on a second connection would wait for itself).
 */
export async function runMigrations(ds: DataSource, exclusive: boolean): Promise<Migration[]> {
  if (!exclusive) return ds.runMigrations({ transaction: 'each' });
  const session = ds.createQueryRunner();
  await session.connect();
  try {
    await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      return await ds.runMigrations({ transaction: 'each' });
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await session.release();
  }
}

/** Initialises a DataSource and brings its schema up to date; destroyed again if either fails. */
export async function initializeMigrated(
  options: DataSourceOptions,
  exclusive: boolean,
): Promise<DataSource> {
  const ds = await new DataSource(options).initialize();
  markStartup('database');
  try {
    await runMigrations(ds, exclusive);
    markStartup('migrations');
    return ds;
  } catch (err) {
    await ds.destroy();
    throw err;
  }
}
