import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthFailureLimiter } from '../src/modules/auth/auth-failure-limiter';
import { startTestApp, type TestApp } from './support/test-app';

interface FailedEvent {
  organization_id: string | null;
  actor_key_id: string | null;
  outcome: string;
  details: { clientAddress: string; count: number; reasons: Record<string, number>; routes: string[] };
}

const failedEvents = async (t: TestApp): Promise<FailedEvent[]> =>
  t.dataSource.query(
    `SELECT organization_id, actor_key_id, outcome, details FROM audit_events WHERE action = 'auth.failed' ORDER BY seq`,
  );

/** Sends `n` requests, `concurrency` at a time; returns their statuses in order. */
async function burst(n: number, concurrency: number, send: (i: number) => Promise<{ status: number }>) {
  const statuses: number[] = [];
  for (let i = 0; i < n; i += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, n - i) }, (_, j) => send(i + j));
    statuses.push(...(await Promise.all(batch)).map((r) => r.status));
  }
  return statuses;
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe('failed authentication is limited per client address and summarised', () => {
  describe('behind a trusted proxy (TRUST_PROXY=loopback, client address from X-Forwarded-For)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ AUTH_FAILURES_PER_MINUTE: '20', TRUST_PROXY: 'loopback' });
    });
    afterAll(() => t.close());

    it('meets 1,000 bad-key requests with 20 401s, then 429s with Retry-After, and one audit event', async () => {
      const statuses = await burst(1000, 50, (i) =>
        t.http
          .get('/v1/models')
          .set('X-Forwarded-For', '203.0.113.7')
          .set('Authorization', `Bearer bad-key-${i}-0123456789abcdef`),
      );
      expect([count(statuses, 401), count(statuses, 429)]).toEqual([20, 980]);

      const limited = await t.http
        .get('/v1/models')
        .set('X-Forwarded-For', '203.0.113.7')
        .set('Authorization', 'Bearer another-bad-key-0123456789')
        .expect(429);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(limited.body).toMatchObject({ status: 429, title: 'Too many requests' });
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // A request without any key from that address is refused the same way.
      await t.http.get('/v1/audit-events').set('X-Forwarded-For', '203.0.113.7').expect(429);

      expect(await failedEvents(t)).toEqual([]); // no row per request
      await t.app.get(AuthFailureLimiter).flush();
      const events = await failedEvents(t);
      expect(events).toHaveLength(1);
      // An unknown key names no organization: the event goes to the default organization's chain.
      const [defaultOrg] = await t.dataSource.query<{ id: string }[]>(
        `SELECT organization_id AS id FROM api_keys WHERE name = 'bootstrap admin (ADMIN_API_KEY)'`,
      );
      expect(events[0]).toMatchObject({
        organization_id: defaultOrg!.id,
        actor_key_id: null,
        outcome: 'failure',
        details: {
          clientAddress: '203.0.113.7',
          count: 1002,
          reasons: { 'unknown key': 20, 'rate limited': 982 },
          routes: ['GET /v1/models', 'GET /v1/audit-events'],
        },
      });
    });

    it('serves good keys from other addresses, and at the blocked address only keys that authenticated', async () => {
      // The admin key has not been used yet: at the blocked address it is refused without a lookup...
      await t.http.get('/v1/models').set('X-Forwarded-For', '203.0.113.7').set(t.auth()).expect(429);
      // ...from another address it works, and that address has its own budget for failures.
      await t.http.get('/v1/models').set('X-Forwarded-For', '198.51.100.9').set(t.auth()).expect(200);
      await t.http
        .get('/v1/models')
        .set('X-Forwarded-For', '198.51.100.9')
        .set('Authorization', 'Bearer not-a-key-0123456789abcdef')
        .expect(401);
      // Once authenticated, the key also passes the blocked address (a shared NAT); bad keys there still do not.
      await t.http.get('/v1/models').set('X-Forwarded-For', '203.0.113.7').set(t.auth()).expect(200);
      await t.http
        .get('/v1/models')
        .set('X-Forwarded-For', '203.0.113.7')
        .set('Authorization', 'Bearer still-bad-0123456789abcdef')
        .expect(429);
    });
  });

  it('without TRUST_PROXY, X-Forwarded-For does not give a client a fresh address', async () => {
    const t = await startTestApp({ AUTH_FAILURES_PER_MINUTE: '3' });
    try {
      const statuses = await burst(5, 1, (i) =>
        t.http
          .get('/v1/models')
          .set('X-Forwarded-For', `192.0.2.${i + 1}`)
          .set('Authorization', `Bearer bad-${i}-0123456789abcdef`),
      );
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await t.close();
    }
  });

  it("limits a valid key's requests that its role may not make by the per-key limit", async () => {
    const t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const viewer = await t.createKey('viewer');
      const statuses = await burst(8, 1, (i) =>
        t.http
          .post('/v1/api-keys')
          .set(t.auth(viewer.key))
          .send({ name: `nope-${i}`, role: 'admin' }),
      );
      expect(statuses).toEqual([403, 403, 403, 403, 403, 429, 429, 429]);
      const rows: { n: number }[] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.forbidden'`,
      );
      expect(rows).toEqual([{ n: 5 }]);
    } finally {
      await t.close();
    }
  });

  it('writes the pending summary when the service shuts down', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fairwatch-authfail-'));
    try {
      let t = await startTestApp({ AUTH_FAILURES_PER_MINUTE: '3' }, { pglite: true, dataDir });
      const statuses = await burst(5, 1, () => t.http.get('/v1/models'));
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      await t.close();
      t = await startTestApp({}, { pglite: true, dataDir });
      try {
        const events = await failedEvents(t);
        expect(events.map((e) => [e.details.count, e.details.reasons])).toEqual([
          [5, { 'missing key': 3, 'rate limited': 2 }],
        ]);
      } finally {
        await t.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
