/**
 * Bad-key requests on real PostgreSQL through the real AppModule, listening on
 * 127.0.0.1 and called with fetch (keep-alive): REQUESTS
 * requests with distinct unknown keys from one client address, 50 at a time, first with the default limit of
 * 20 failed authentications per address per minute, then with the limit out of reach (every request looked up
 * and answered 401, as before the limiter). Prints wall time, the statuses and the auth.failed rows written
 * after the flush. A fresh database (fw_bench_authfail_<pid>) on BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test) per run, dropped at the end. REQUESTS: BENCH_AUTH_REQUESTS (2,000).
 */
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config';
import { AuthFailureLimiter } from '../src/modules/auth/auth-failure-limiter';
import { admin, withDatabase } from '../test/support/test-database';
import { timedAsync } from './support/timing';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REQUESTS = Number(process.env.BENCH_AUTH_REQUESTS ?? 2000);
const CONCURRENCY = 50;

async function measure(label: string, limit: string): Promise<void> {
  const database = `fw_bench_authfail_${process.pid}_${limit}`;
  await admin(SERVER, (c) => c.query(`CREATE DATABASE "${database}"`));
  const app = await createApp(
    loadConfig({
      DATABASE_URL: withDatabase(SERVER, database),
      LOG_LEVEL: 'silent',
      FAIRWATCH_DATA_DIR: ':memory:',
      RATE_LIMIT_PER_MINUTE: '1000000',
      AUTH_FAILURES_PER_MINUTE: limit,
      TRUST_PROXY: 'loopback',
    }),
  );
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const statuses = new Map<number, number>();
    const { ms } = await timedAsync(async () => {
      for (let i = 0; i < REQUESTS; i += CONCURRENCY) {
        const batch = Array.from({ length: Math.min(CONCURRENCY, REQUESTS - i) }, (_, j) =>
          fetch(`http://127.0.0.1:${port}/v1/models`, {
            headers: {
              'X-Forwarded-For': '203.0.113.7',
              Authorization: `Bearer bad-key-${i + j}-0123456789abcdef`,
            },
          }).then(async (r) => (await r.arrayBuffer(), r.status)),
        );
        for (const s of await Promise.all(batch)) statuses.set(s, (statuses.get(s) ?? 0) + 1);
      }
    });
    await app.get(AuthFailureLimiter).flush();
    const rows = await admin(withDatabase(SERVER, database), async (c) =>
      Number(
        (await c.query(`SELECT count(*) AS n FROM audit_events WHERE action = 'auth.failed'`)).rows[0].n,
      ),
    );
    const byStatus = [...statuses].map(([s, n]) => `${n} × ${s}`).join(', ');
    console.log(
      `${label}: ${REQUESTS} requests in ${ms.toFixed(0)} ms (${((REQUESTS / ms) * 1000).toFixed(0)}/s); ${byStatus}; ${rows} auth.failed rows`,
    );
  } finally {
    await app.close();
    await admin(SERVER, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  }
}

export async function run(): Promise<void> {
  await measure('limit 20/min per address (default)', '20');
  await measure('limit out of reach (every key looked up)', '1000000');
}
