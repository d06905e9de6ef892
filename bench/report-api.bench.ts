/**
 * Report API benchmark on real PostgreSQL, through the real AppModule over HTTP (supertest, no network).
 * A fresh database (fw_bench_report_<pid>) is created on BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test), migrated by the app at start-up, and dropped at the end.
 * One model gets 11 audits uploaded as CSV through POST /v1/models/{id}/audits (untimed): 3 sensitive
 * attributes (race with a group of 6 people, sex, age_band) and 1 intersection (race × sex), ROWS rows each,
 * with drifting scores. Then POST /v1/audits/{id}/reports on the 11th audit (10 past audits: drift against the
 * previous one, 10-point trends, controls of every policy framework) is timed: the first call (vega import,
 * font parsing) and the mean of the next 5. Target < 1 s. Prints; no assertions.
 *
 * vega is ESM with top-level await, so import() must stay native: @swc-node/register rewrites it to require()
 * unless SWC_NODE_IGNORE_DYNAMIC is set before it loads, so the bench runs itself in a child process with it set
 * (as bench/report.bench.ts does). ROWS per audit: BENCH_REPORT_ROWS (default 20,000).
 */
import { spawnSync } from 'node:child_process';
import request from 'supertest';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config';
import { mulberry32 } from '../src/core/stats';
import { admin, withDatabase } from '../test/support/test-database';
import { timedAsync } from './support/timing';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ADMIN_KEY = 'bench-admin-key-0123456789abcdefghij';
const ROWS = Number(process.env.BENCH_REPORT_ROWS ?? 20_000);
const PAST_AUDITS = 10;
const RACES: [string, number][] = [
  ['White', 0.55],
  ['Black', 0.2],
  ['Hispanic', 0.15],
  ['Asian', 0.1],
];
const AGE_BANDS = ['18-34', '35-49', '50-64', '65+'];

/** A CSV of ROWS rows; the last 6 rows are "Pacific Islander" (a group of 6); `shift` raises Black scores. */
function csv(seed: number, shift: number): Buffer {
  const random = mulberry32(seed);
  const lines = ['patient_id,y_true,score,race,sex,age_band'];
  for (let i = 0; i < ROWS; i++) {
    let race = 'Pacific Islander';
    if (i < ROWS - 6) {
      const u = random();
      let acc = 0;
      race = RACES.find(([, share]) => (acc += share) > u)?.[0] ?? 'White';
    }
    const sex = random() < 0.5 ? 'Female' : 'Male';
    const age = AGE_BANDS[Math.floor(random() * AGE_BANDS.length)]!;
    const base = (random() + random() + random()) / 3;
    const score = Math.min(1, base * (race === 'Black' ? 0.8 + shift : 1));
    const label = random() < 0.15 + 0.6 * base ? 1 : 0;
    lines.push(`P${i},${label},${score.toFixed(4)},${race},${sex},${age}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

async function measure(): Promise<void> {
  const database = `fw_bench_report_${process.pid}`;
  await admin(SERVER, (c) => c.query(`CREATE DATABASE "${database}"`));
  const app = await createApp(
    loadConfig({
      DATABASE_URL: withDatabase(SERVER, database),
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      FAIRWATCH_DATA_DIR: ':memory:',
      RATE_LIMIT_PER_MINUTE: '100000',
    }),
  );
  try {
    await app.init();
    const http = request(app.getHttpServer());
    const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
    const model = await http
      .post('/v1/models')
      .set(auth)
      .send({ name: 'report-bench', version: '1', intendedUse: 'Benchmark' })
      .expect(201);
    const config = JSON.stringify({
      labelColumn: 'y_true',
      scoreColumn: 'score',
      threshold: 0.5,
      sensitiveAttributes: ['race', 'sex', 'age_band'],
      intersections: [['race', 'sex']],
    });
    let auditId = '';
    const setup = process.hrtime.bigint();
    for (let i = 0; i <= PAST_AUDITS; i++) {
      const res = await http
        .post(`/v1/models/${model.body.id as string}/audits`)
        .set(auth)
        .field('config', config)
        .attach('file', csv(100 + i, i * 0.02), { filename: `audit-${i}.csv`, contentType: 'text/csv' })
        .expect(201);
      auditId = res.body.id as string;
    }
    console.log(
      `setup: ${PAST_AUDITS + 1} audits of ${ROWS.toLocaleString('en-US')} rows uploaded in ${(Number(process.hrtime.bigint() - setup) / 1e9).toFixed(1)} s`,
    );

    const create = () => http.post(`/v1/audits/${auditId}/reports`).set(auth).send({}).expect(201);
    const first = await timedAsync(create);
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push((await timedAsync(create)).ms);
    const mean = runs.reduce((a, b) => a + b, 0) / runs.length;
    const sizes = await admin(withDatabase(SERVER, database), (c) =>
      c.query<{ bytes: number; pages: number }>(
        `SELECT octet_length(pdf) AS bytes, jsonb_array_length(content -> 'drift' -> 'trends') AS pages FROM reports LIMIT 1`,
      ),
    );
    const row = sizes.rows[0];
    console.log(
      `POST /v1/audits/{id}/reports (3 attributes + race × sex, ${PAST_AUDITS} past audits, ${ROWS.toLocaleString('en-US')} rows): ` +
        `first ${first.ms.toFixed(0)} ms, next 5 mean ${mean.toFixed(0)} ms (${runs.map((r) => r.toFixed(0)).join(', ')} ms); ` +
        `target < 1000 ms; PDF ${row ? (row.bytes / 1024).toFixed(0) : '?'} KB, ${row?.pages ?? '?'} trend charts`,
    );
    const verifyPdf = (
      await http
        .get(`/v1/reports/${first.value.body.id as string}/pdf`)
        .set(auth)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
    ).body as Buffer;
    const verify = await timedAsync(() =>
      http
        .post('/v1/reports/verify')
        .set(auth)
        .set('Content-Type', 'application/pdf')
        .send(verifyPdf)
        .expect(200),
    );
    console.log(
      `POST /v1/reports/verify (${(verifyPdf.length / 1024).toFixed(0)} KB): ${verify.ms.toFixed(0)} ms, valid ${String(verify.value.body.valid)}`,
    );
  } finally {
    await app.close();
    await admin(SERVER, (c) => c.query(`DROP DATABASE IF EXISTS "${database}"`));
  }
}

export async function run(): Promise<void> {
  if (process.env.SWC_NODE_IGNORE_DYNAMIC) {
    await measure();
    return;
  }
  const r = spawnSync(process.execPath, ['--expose-gc', '-r', '@swc-node/register', __filename], {
    env: { ...process.env, SWC_NODE_IGNORE_DYNAMIC: '1', REPORT_API_BENCH_CHILD: '1' },
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`report API bench child exited with ${String(r.status)}`);
}

if (process.env.REPORT_API_BENCH_CHILD === '1' && require.main === module) {
  measure().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
