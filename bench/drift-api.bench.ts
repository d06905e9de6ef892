/**
 * Drift API benchmark on real PostgreSQL, through the real AppModule over HTTP (supertest, no network).
 * A fresh database (fw_bench_drift_<pid>) is created on BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test), migrated by the app at start-up, and dropped at the end.
 * Synthetic audits are inserted directly with SQL (audits row, its results flattened into audit_metric_values
 * as the upload does, encoded batch in audit_data), not through the upload route, so only the drift and
 * timeline reads are timed:
 *  - GET /v1/audits/{id}/drift?baseline= between two 1M-row audits (load both batches + computeDrift),
 *    with the load (SELECT + decode) and the computation also timed apart. Target < 500 ms.
 *  - GET /v1/models/{id}/timeline over 1,000 stored audits. Target < 200 ms.
 * Prints; no assertions.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config';
import { computeDrift } from '../src/core/drift';
import { computeFairness, type FairnessResult } from '../src/core/fairness';
import { decodeBatch, encodeBatch, type ColumnarBatch } from '../src/core/ingest';
import { INSERT_METRIC_VALUES_SQL, metricValueRows } from '../src/modules/audits/audit-metric-values';
import { ATTRIBUTES, OPTIONS, syntheticBatch } from './support/synthetic';
import { gc, stats, timedAsync } from './support/timing';
import { admin, withDatabase } from '../test/support/test-database';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ADMIN_KEY = 'bench-admin-key-0123456789abcdefghij';
const ROWS = 1_000_000;
const TIMELINE_AUDITS = 1000;

interface AuditRow {
  modelId: string;
  name: string;
  periodEnd: string;
  rowCount: number;
  results: FairnessResult;
  batch?: ColumnarBatch;
}

/**
 * Inserts an audit, its metric values (and its encoded batch when given) as the upload would store them;
 * returns its id.
 */
async function insertAudit(c: Client, organizationId: string, audit: AuditRow): Promise<string> {
  const config = { sensitiveAttributes: ATTRIBUTES.map((a) => a.name), intersections: OPTIONS.intersections };
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO "audits" ("organization_id", "model_id", "name", "period_end", "config", "row_count",
       "data_sha256", "columns_used", "summary", "results")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING "id"`,
    [
      organizationId,
      audit.modelId,
      audit.name,
      audit.periodEnd,
      JSON.stringify(config),
      audit.rowCount,
      randomBytes(32).toString('hex'),
      JSON.stringify({ score: 'score', label: 'y_true', attributes: config.sensitiveAttributes }),
      JSON.stringify({ rowCount: audit.rowCount }),
      JSON.stringify(audit.results),
    ],
  );
  const id = rows[0]!.id;
  await c.query(INSERT_METRIC_VALUES_SQL, [
    organizationId,
    id,
    JSON.stringify(metricValueRows(audit.results)),
  ]);
  if (audit.batch) {
    await c.query(
      `INSERT INTO "audit_data" ("audit_id", "organization_id", "format_version", "batch") VALUES ($1, $2, 1, $3)`,
      [id, organizationId, Buffer.from(encodeBatch(audit.batch))],
    );
  }
  return id;
}

export async function run(): Promise<void> {
  const database = `fw_bench_drift_${process.pid}`;
  await admin(SERVER, (c) => c.query(`CREATE DATABASE "${database}"`));
  const url = withDatabase(SERVER, database);
  const app = await createApp(
    loadConfig({
      DATABASE_URL: url,
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
    const createModel = async (name: string): Promise<string> =>
      ((await http.post('/v1/models').set(auth).send({ name, version: '1' })).body as { id: string }).id;
    const driftModel = await createModel('drift-bench');
    const timelineModel = await createModel('timeline-bench');

    // ---- two 1M-row audits ----
    const setup = process.hrtime.bigint();
    const baselineBatch = syntheticBatch(ROWS, 1, 0);
    const currentBatch = syntheticBatch(ROWS, 2, 0.15);
    const baselineResult = computeFairness(baselineBatch, OPTIONS);
    const currentResult = computeFairness(currentBatch, OPTIONS);
    const ids = await admin(url, async (c) => {
      const org = await c.query<{ organization_id: string }>(
        `SELECT "organization_id" FROM "models" WHERE "id" = $1`,
        [driftModel],
      );
      const organizationId = org.rows[0]!.organization_id;
      const baseline = await insertAudit(c, organizationId, {
        modelId: driftModel,
        name: 'baseline',
        periodEnd: '2026-01-31T00:00:00Z',
        rowCount: ROWS,
        results: baselineResult,
        batch: baselineBatch,
      });
      const current = await insertAudit(c, organizationId, {
        modelId: driftModel,
        name: 'current',
        periodEnd: '2026-02-28T00:00:00Z',
        rowCount: ROWS,
        results: currentResult,
        batch: currentBatch,
      });
      // 1,000 audits of another model for the timeline: stored results only (a timeline never reads data)
      const small = syntheticBatch(20_000, 3, 0);
      const template = computeFairness(small, OPTIONS);
      for (let i = 0; i < TIMELINE_AUDITS; i++) {
        const at = new Date(Date.UTC(2020, 0, 1) + ((i * 7919) % TIMELINE_AUDITS) * 86_400_000).toISOString();
        await insertAudit(c, organizationId, {
          modelId: timelineModel,
          name: `day ${i}`,
          periodEnd: at,
          rowCount: 20_000,
          results: template,
        });
      }
      // What autovacuum does after a bulk load: planner statistics for the new rows.
      await c.query('ANALYZE audits, audit_metric_values');
      return { baseline, current, organizationId };
    });
    const bytes = encodeBatch(baselineBatch).byteLength;
    console.log(
      `setup (generate 2 × ${ROWS.toLocaleString('en')} rows, computeFairness, insert ${TIMELINE_AUDITS + 2} audits): ` +
        `${(Number(process.hrtime.bigint() - setup) / 1e9).toFixed(1)} s; stored batch ${(bytes / 1024 ** 2).toFixed(1)} MB each`,
    );

    // ---- drift over HTTP ----
    const driftPath = `/v1/audits/${ids.current}/drift?baseline=${ids.baseline}`;
    const first = await http.get(driftPath).set(auth);
    const body = first.body as { status: string; checks: { status: string; message: string }[] };
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      gc();
      runs.push((await timedAsync(() => http.get(driftPath).set(auth))).ms);
    }
    console.log(
      `GET /v1/audits/{id}/drift, 2 × ${ROWS.toLocaleString('en')} rows, race (5) × sex (2) × age (4):`,
    );
    console.log(`  ${stats(runs)} (target < 500 ms; HTTP status ${first.status})`);
    console.log(
      `  ${body.checks.length} checks, status ${body.status}; worst: ${body.checks[0]?.message ?? '-'}`,
    );

    // the parts: load both batches (SELECT bytea + decode), then computeDrift
    const loads: number[] = [];
    const computes: number[] = [];
    await admin(url, async (c) => {
      for (let i = 0; i < 5; i++) {
        gc();
        const load = await timedAsync(async () => {
          const { rows } = await c.query<{ audit_id: string; batch: Buffer }>(
            `SELECT "audit_id", "batch" FROM "audit_data" WHERE "audit_id" = ANY($1)`,
            [[ids.baseline, ids.current]],
          );
          return rows.map((row) =>
            decodeBatch(new Uint8Array(row.batch.buffer, row.batch.byteOffset, row.batch.byteLength)),
          );
        });
        loads.push(load.ms);
        const [a, b] = load.value;
        const compute = await timedAsync(() =>
          Promise.resolve(
            computeDrift({ batch: a!, result: baselineResult }, { batch: b!, result: currentResult }),
          ),
        );
        computes.push(compute.ms);
      }
    });
    console.log(`  of which: load both batches ${stats(loads)}; computeDrift ${stats(computes)}`);

    // ---- timeline over HTTP ----
    const timelinePath = `/v1/models/${timelineModel}/timeline?metric=selection_rate&attribute=race`;
    const warm = await http.get(timelinePath).set(auth);
    const points = (warm.body as { points: unknown[] }).points.length;
    const timelineRuns: number[] = [];
    for (let i = 0; i < 5; i++) {
      gc();
      timelineRuns.push((await timedAsync(() => http.get(timelinePath).set(auth))).ms);
    }
    console.log(`GET /v1/models/{id}/timeline over ${TIMELINE_AUDITS} stored audits (${points} points):`);
    console.log(`  ${stats(timelineRuns)} (target < 200 ms; HTTP status ${warm.status})`);
  } finally {
    await app.close();
    await admin(SERVER, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  }
}
