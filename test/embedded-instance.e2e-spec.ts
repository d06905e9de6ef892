import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnApp, type ChildApp } from './support/child-app';

/** Distinctive, not in the fw_ format (so no part of it is a "visible prefix"), ≥ 24 printable characters. */
const ADMIN = 'Qz7Hx4mPw9Lk2vNc8Rt5Yb3Jd6Gf1Sa0';

/** Every substring of `s` with `n` characters. */
function substrings(s: string, n: number): string[] {
  return Array.from({ length: s.length - n + 1 }, (_, i) => s.slice(i, i + n));
}

/**
 * The service as `npm start` runs it, in child processes on one embedded data directory: a second instance
 * refuses to start while the first keeps serving, and nothing of a key appears in any log line of start-up,
 * requests with good and bad keys, the refused start and shutdown.
 */
describe('one process per embedded data directory, and no key material in the logs', () => {
  const root = mkdtempSync(join(tmpdir(), 'fairwatch-embedded-'));
  const dataDir = join(root, 'data');
  const env = { FAIRWATCH_DATA_DIR: dataDir, ADMIN_API_KEY: ADMIN, LOG_LEVEL: 'trace' };
  const outputs: string[] = [];
  let first: ChildApp;
  let generated = '';

  const call = (app: ChildApp, path: string, init: RequestInit = {}) => fetch(app.url + path, init);
  const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

  beforeAll(async () => {
    first = await spawnApp(env);
    await first.ready();
  }, 180_000);
  afterAll(async () => {
    await first.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses a second instance at once with a message naming the directory and the PID, and the first keeps working', async () => {
    expect(existsSync(join(dataDir, 'fairwatch.lock'))).toBe(true);
    const second = await spawnApp(env);
    const code = await second.exited;
    outputs.push(second.output());
    expect(code).toBe(75);
    expect(second.output()).toContain(
      `The data directory ${dataDir} is in use by another Fairwatch process (PID ${first.proc.pid}).`,
    );
    const created = await call(first, '/v1/models', {
      method: 'POST',
      headers: { ...bearer(ADMIN), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'after-refusal', version: '1' }),
    });
    expect(created.status).toBe(201);
    const list = (await (await call(first, '/v1/models', { headers: bearer(ADMIN) })).json()) as {
      items: { name: string }[];
    };
    expect(list.items.map((m) => m.name)).toEqual(['after-refusal']);
  }, 180_000);

  it('answers good keys and refuses bad ones', async () => {
    const key = await call(first, '/v1/api-keys', {
      method: 'POST',
      headers: { ...bearer(ADMIN), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'generated', role: 'viewer' }),
    });
    expect(key.status).toBe(201);
    generated = ((await key.json()) as { key: string }).key;
    expect((await call(first, '/v1/models', { headers: bearer(generated) })).status).toBe(200);
    expect((await call(first, '/v1/me', { headers: bearer(ADMIN) })).status).toBe(200);
    const bad = [
      bearer(`${ADMIN}x`),
      bearer(ADMIN.slice(0, -1)),
      bearer(`${ADMIN.slice(0, -1)}Z`),
      bearer(`${generated}x`),
      { Authorization: ADMIN }, // no "Bearer"
      { Authorization: `Basic ${Buffer.from(`admin:${ADMIN}`).toString('base64')}` },
      { 'X-Api-Key': ADMIN },
    ];
    for (const headers of bad) expect((await call(first, '/v1/models', { headers })).status).toBe(401);
  });

  it('releases the directory on shutdown, and a new instance finds the data', async () => {
    await first.stop();
    expect(existsSync(join(dataDir, 'fairwatch.lock'))).toBe(false);
    const again = await spawnApp(env);
    try {
      await again.ready();
      const list = (await (await call(again, '/v1/models', { headers: bearer(generated) })).json()) as {
        items: { name: string }[];
      };
      expect(list.items.map((m) => m.name)).toEqual(['after-refusal']);
    } finally {
      await again.stop();
      outputs.push(again.output());
    }
  }, 180_000);

  it('wrote no substring of 6 or more characters of any key to any log', () => {
    const logs = [first.output(), ...outputs].join('\n');
    // The logs are there: start-up, the bootstrap key by id, the requests and their statuses.
    expect(logs).toMatch(/"keyId":"[0-9a-f-]{36}"[^\n]*"msg":"Bootstrap admin key ready"/);
    expect(logs).toContain('"statusCode":401');
    expect(logs).toContain('"statusCode":201');
    expect(logs).toMatch(/Fairwatch \S+ ready in /);
    const leaked = [...substrings(ADMIN, 6), ...substrings(generated, 6)].filter((s) => logs.includes(s));
    expect(leaked).toEqual([]);
  });
});
