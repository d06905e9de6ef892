/**
 * A `pg`-compatible driver over one embedded PGlite instance, for TypeORM's postgres driver.
 *
 * PGlite is a single session. typeorm-pglite hands that one session to every "connection", so one
 * transaction's ROLLBACK can discard another's committed work, and it keeps a process-wide singleton.
 * This driver instead owns one PGlite per DataSource and hands out the session to one holder at a time
 * (a FIFO mutex), which behaves like `pg` with poolSize 1: transactions are serialised, never interleaved.
 * As with poolSize 1, a query issued outside an open transaction's own manager waits for it to finish.
 */
import { EventEmitter } from 'node:events';
import type { PGlite, Results } from '@electric-sql/pglite';

type Release = () => void;

/** FIFO mutex: `acquire()` resolves with a release function once the caller holds the lock. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<Release> {
    let release!: Release;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return ready;
  }
}

interface PgResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: Results['fields'];
}

type Callback = (err: Error | null, result?: PgResult) => void;

function toPgResult(sql: string, result: Results | undefined): PgResult {
  const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '';
  const rows = result?.rows ?? [];
  return { rows, rowCount: result?.affectedRows ?? rows.length, command, fields: result?.fields ?? [] };
}

async function run(db: PGlite, sql: string, params?: unknown[]): Promise<PgResult> {
  if (params && params.length > 0) return toPgResult(sql, await db.query(sql, params));
  // Without parameters TypeORM may send several statements (migrations): run them all, answer with the last.
  const results = await db.exec(sql);
  return toPgResult(sql, results[results.length - 1]);
}

/** The client TypeORM holds between `connect` and `release`. */
class PgliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  query(sql: string, params?: unknown[] | Callback, cb?: Callback): Promise<PgResult> {
    const callback = typeof params === 'function' ? params : cb;
    const values = typeof params === 'function' ? undefined : params;
    const promise = run(this.db, sql, values);
    if (callback)
      promise.then(
        (r) => callback(null, r),
        (e: Error) => callback(e),
      );
    return promise;
  }
}

/**
 * Builds the `driver` option for TypeORM: `{ type: 'postgres', driver: pgliteDriver(db) }`. `onClose` runs once
 * the database is closed (the data directory's lock is released there).
 */
export function pgliteDriver(
  db: PGlite,
  onClose: () => void = () => undefined,
): { Pool: new () => EventEmitter } {
  const mutex = new Mutex();
  const client = new PgliteClient(db);

  class PglitePool extends EventEmitter {
    connect(callback: (err: Error | null, client: PgliteClient | null, release: Release) => void): void {
      mutex.acquire().then(
        (release) => {
          let released = false;
          callback(null, client, () => {
            if (!released) {
              released = true;
              release();
            }
          });
        },
        (err: Error) => callback(err, null, () => undefined),
      );
    }

    async query(sql: string, params?: unknown[]): Promise<PgResult> {
      const release = await mutex.acquire();
      try {
        return await run(db, sql, params);
      } finally {
        release();
      }
    }

    end(callback: (err: Error | null) => void): void {
      mutex.acquire().then(
        () =>
          db.close().then(
            () => {
              onClose();
              callback(null);
            },
            (e: Error) => {
              onClose();
              callback(e);
            },
          ),
        (e: Error) => callback(e),
      );
    }
  }

  return { Pool: PglitePool };
}
