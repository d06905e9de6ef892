import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from './data-dir-lock';
import { dataSourceOptions, preopenEmbeddedDatabase } from './data-source-options';

describe('preopenEmbeddedDatabase', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fairwatch-preopen-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const config = () => loadConfig({ FAIRWATCH_DATA_DIR: dir });

  it('locks the directory at once; dataSourceOptions takes the database over; closing it frees the lock', async () => {
    preopenEmbeddedDatabase(config());
    const holder = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number };
    expect(holder.pid).toBe(process.pid);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError); // held while PGlite opens
    const ds = await new DataSource(await dataSourceOptions(config())).initialize();
    try {
      expect(await ds.query('SELECT 41 + 1 AS answer')).toEqual([{ answer: 42 }]);
      expect(existsSync(join(dir, 'pglite'))).toBe(true);
    } finally {
      await ds.destroy();
    }
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses, before opening anything, a directory another live process holds', () => {
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, token: 'theirs' }));
    expect(() => preopenEmbeddedDatabase(config())).toThrow(`PID ${process.ppid}`);
    expect(existsSync(join(dir, 'pglite'))).toBe(false);
  });

  it('does nothing with DATABASE_URL', () => {
    preopenEmbeddedDatabase(loadConfig({ FAIRWATCH_DATA_DIR: dir, DATABASE_URL: 'postgres://db/fw' }));
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});
