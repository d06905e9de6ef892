/**
 * An exclusive lock on the embedded database's data directory. Embedded PGlite is one process's database: a
 * second process on the same files sees only its own writes and can lose acknowledged ones. So the first
 * process writes `<dataDir>/fairwatch.lock` holding its PID, and every later one refuses to start while that
 * PID is alive.
 *
 * The lock file is written complete to a private temporary file and then hard-linked into place: link(2)
 * fails with EEXIST when the name exists, so taking the lock is atomic (like O_EXCL) and a reader never sees
 * a half-written file. A lock whose PID is dead (a crash, a kill -9) is stale: it is renamed away (atomic,
 * so of several starters only one takes it over) and the link is tried again.
 */
import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'fairwatch.lock';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by another Fairwatch process (PID ${pid}). ` +
        'Stop that process, or set FAIRWATCH_DATA_DIR to another directory, or set DATABASE_URL to run ' +
        `several replicas on one PostgreSQL. If no process ${pid} runs, delete ${join(dataDir, LOCK_FILE)}.`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly path: string;
  /** Removes the lock file if it is still ours. Idempotent. */
  readonly release: () => void;
}

interface Holder {
  pid: number;
  token: string;
}

/** Locks this process holds, by lock path: a lock file naming our own PID that is not in here is stale. */
const held = new Map<string, string>();

function readHolder(path: string): Holder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && typeof parsed.token === 'string'
      ? { pid: parsed.pid, token: parsed.token }
      : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
    return null; // unreadable or not ours: treated as stale
  }
}

/** Whether a process with this PID exists (EPERM: it exists but belongs to another user). */
export function processAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isLive(path: string, holder: Holder | null): boolean {
  if (!holder) return false;
  if (holder.pid === process.pid) return held.get(path) === holder.token;
  return processAlive(holder.pid);
}

/**
 * Takes the lock on `dataDir` (created if missing) or throws DataDirLockedError naming the directory and the
 * holder's PID. A stale lock (its PID is dead, or it is our own PID left by an earlier run in a container
 * that reuses PIDs) is taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const token = `${process.pid}-${randomUUID()}`;
  const tmp = `${path}.${token}.tmp`;
  writeFileSync(tmp, JSON.stringify({ pid: process.pid, token, startedAt: new Date().toISOString() }));
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        linkSync(tmp, path);
        held.set(path, token);
        return lockHandle(path, token);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      let holder: Holder | null;
      try {
        holder = readHolder(path);
      } catch {
        continue; // released in between: try again
      }
      if (isLive(path, holder)) throw new DataDirLockedError(dataDir, holder?.pid ?? 0);
      takeOverStale(path, holder, token);
    }
    throw new Error(`Could not lock the data directory ${dataDir}: the lock file keeps changing.`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Moves a stale lock file out of the way. The rename is atomic, so of several processes that found the same
 * stale lock one moves it. If what was moved is not the stale lock that was read (another process took the
 * lock in between), it is put back.
 */
function takeOverStale(path: string, stale: Holder | null, token: string): void {
  const aside = `${path}.${token}.stale`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  let moved: Holder | null = null;
  try {
    moved = readHolder(aside);
  } catch {
    // gone: nothing to put back
  }
  if (moved && moved.token !== stale?.token) {
    try {
      linkSync(aside, path);
    } catch {
      // someone else holds the name now; the loop will read and judge it
    }
  }
  rmSync(aside, { force: true });
}

function lockHandle(path: string, token: string): DataDirLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    held.delete(path);
    try {
      if (readHolder(path)?.token === token) unlinkSync(path);
    } catch {
      // already gone
    }
  };
  // A process that exits without closing the database (process.exit, an uncaught error) still releases it.
  process.on('exit', release);
  return { path, release };
}
