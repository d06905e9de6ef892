/**
 * Audit-trail benchmark on real PostgreSQL through the real AppModule. A fresh database (fw_bench_trail_<pid>)
 * is created on BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) and dropped at the end.
 *
 * - append: AuditTrailService.record, one event per transaction, sequentially in one organization (the
 *   per-organization lock, a read of the last event, canonical JSON + SHA-256, one INSERT);
 * - parallel append: 8 concurrent appends, all to one organization vs spread over two (the lock is per
 *   organization, so two chains should not wait for each other);
 * - verify: GET /v1/audit-events/verify over the organization's whole chain of EVENTS events, and
 *   POST /v1/audit-events/verify with a head; GET /v1/audit-events/head.
 * EVENTS: BENCH_TRAIL_EVENTS (default 20,000). Prints; no assertions.
 */
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { createApp } from '../src/bootstrap';
import { requestContext, type Principal } from '../src/common/request-context';
import { loadConfig } from '../src/config';
import { AuditTrailService } from '../src/modules/auth/audit-trail.service';
import { admin, withDatabase } from '../test/support/test-database';
import { stats, timedAsync } from './support/timing';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ADMIN_KEY = 'bench-admin-key-0123456789abcdefghij';
const EVENTS = Number(process.env.BENCH_TRAIL_EVENTS ?? 20_000);

const details = (i: number) => ({
  auditId: randomUUID(),
  rowCount: i,
  dataSha256: 'ab'.repeat(32),
  sensitiveAttributes: ['race', 'sex'],
  nested: { threshold: 0.5, policyVersion: 3 },
});

export async function run(): Promise<void> {
  const database = `fw_bench_trail_${process.pid}`;
  await admin(SERVER, (c) => c.query(`CREATE DATABASE "${database}"`));
  const app = await createApp(
    loadConfig({
      DATABASE_URL: withDatabase(SERVER, database),
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'silent',
      FAIRWATCH_DATA_DIR: ':memory:',
      RATE_LIMIT_PER_MINUTE: '100000',
    }),
  );
  try {
    await app.init();
    const http = request(app.getHttpServer());
    const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
    const trail = app.get(AuditTrailService);
    const other = await http.post('/v1/organizations').set(auth).send({ name: 'bench B' }).expect(201);
    const orgRows: { id: string }[] = await app
      .get<DataSource>(getDataSourceToken())
      .query(`SELECT id FROM organizations WHERE is_default`);
    const orgA = orgRows[0]!.id;
    const principal = (organizationId: string): Principal => ({
      keyId: randomUUID(),
      organizationId,
      role: 'admin',
      keyPrefix: 'fw_bench',
    });
    const append = (org: string, i: number) =>
      requestContext.run({ principal: principal(org) }, () =>
        trail.record({
          action: 'audit.submitted',
          objectType: 'audit',
          objectId: `a${i}`,
          details: details(i),
        }),
      );

    const sequential = await timedAsync(async () => {
      for (let i = 0; i < EVENTS; i++) await append(orgA, i);
    });
    console.log(
      `append, sequential, one organization: ${EVENTS} events in ${(sequential.ms / 1000).toFixed(1)} s (${(sequential.ms / EVENTS).toFixed(2)} ms per event)`,
    );

    for (const [label, orgs] of [
      ['one organization', [orgA]],
      ['two organizations', [orgA, other.body.id as string]],
    ] as const) {
      const runs: number[] = [];
      for (let r = 0; r < 5; r++) {
        const { ms } = await timedAsync(() =>
          Promise.all(Array.from({ length: 8 }, (_, i) => append(orgs[i % orgs.length]!, i))),
        );
        runs.push(ms);
      }
      console.log(`append, 8 concurrent, ${label}: ${stats(runs)} per batch of 8`);
    }

    const head = await timedAsync(() => http.get('/v1/audit-events/head').set(auth).expect(200));
    console.log(`GET /v1/audit-events/head: ${head.ms.toFixed(0)} ms`);
    const runs: number[] = [];
    let checked = 0;
    for (let r = 0; r < 3; r++) {
      const { ms, value } = await timedAsync(() => http.get('/v1/audit-events/verify').set(auth).expect(200));
      checked = value.body.eventsChecked as number;
      if (!value.body.valid) throw new Error('chain did not verify');
      runs.push(ms);
    }
    console.log(`GET /v1/audit-events/verify over ${checked} events: ${stats(runs)}`);
    const withHead = await timedAsync(() =>
      http.post('/v1/audit-events/verify').set(auth).send({ head: head.value.body }).expect(200),
    );
    console.log(
      `POST /v1/audit-events/verify with a head over ${checked} events: ${withHead.ms.toFixed(0)} ms (valid: ${String(withHead.value.body.valid)})`,
    );
  } finally {
    await app.close();
    await admin(SERVER, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  }
}
