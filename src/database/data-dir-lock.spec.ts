import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, LOCK_FILE, lockDataDir, processAlive } from './data-dir-lock';

/** The PID of a process that has exited (and been reaped), so no process has it. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  const pid = Number(child.stdout.toString());
  expect(processAlive(pid)).toBe(false);
  return pid;
}

describe('lockDataDir', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'fairwatch-lock-')), 'data'); // created by the lock
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));
  const lockFile = () => join(dir, LOCK_FILE);
  const holder = () => JSON.parse(readFileSync(lockFile(), 'utf8')) as { pid: number; token: string };

  it('writes our PID, refuses a second lock naming the directory and the PID, and frees it on release', () => {
    const lock = lockDataDir(dir);
    expect(holder().pid).toBe(process.pid);
    let err: unknown;
    try {
      lockDataDir(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataDirLockedError);
    expect((err as DataDirLockedError).message).toContain(dir);
    expect((err as DataDirLockedError).message).toContain(`PID ${process.pid}`);
    expect(holder().pid).toBe(process.pid); // the refused attempt left the lock as it was
    lock.release();
    expect(existsSync(lockFile())).toBe(false);
    lockDataDir(dir).release();
  });

  it('refuses while another live process holds it', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      lockDataDir(dir).release(); // creates the directory
      writeFileSync(lockFile(), JSON.stringify({ pid: other.pid, token: 'theirs' }));
      expect(() => lockDataDir(dir)).toThrow(`PID ${other.pid}`);
      expect(holder().token).toBe('theirs');
    } finally {
      other.kill();
      await new Promise((r) => other.once('exit', r));
    }
  });

  it.each([
    ['a dead PID', () => JSON.stringify({ pid: deadPid(), token: 'crashed' })],
    [
      'our own PID from an earlier run (containers reuse PIDs)',
      () => JSON.stringify({ pid: process.pid, token: 'old' }),
    ],
    ['an unreadable file', () => 'not json'],
  ])('takes over a stale lock holding %s', (_name, content) => {
    lockDataDir(dir).release();
    writeFileSync(lockFile(), content());
    const lock = lockDataDir(dir);
    expect(holder().pid).toBe(process.pid);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    lock.release();
  });

  it('does not remove a lock file that another process has taken over', () => {
    const lock = lockDataDir(dir);
    writeFileSync(lockFile(), JSON.stringify({ pid: process.pid + 1, token: 'someone-else' }));
    lock.release();
    expect(holder().token).toBe('someone-else');
  });
});
