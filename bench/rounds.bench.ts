/**
 * Federated rounds: 100 sites submit a cell table each, then the round is closed, which merges the 100 stored parts
 * into one batch and computes and stores the pooled audit. Prints the close request's wall time and the
 * process's CPU time (main thread and worker threads) during it, per part size. Target: close < 1 s for 100
 * parts of cell-table size.
 *
 * The app runs in this process (the real AppModule, supertest over its HTTP server) on a fresh database
 * `fw_bench_rounds_<pid>` on BENCH_DATABASE_SERVER (default postgres://postgres@127.0.0.1:5432/test), dropped
 * afterwards. BENCH_SITES (default 100) and BENCH_PART_ROWS (people per site, default 200,2000,10000) set the
 * sizes. Each part is a cell table (countColumn `n`): synthetic rows (bench/support/audit-csv) counted by
 * label, prediction, score to 2 decimals, race, sex and age band, as `fairwatch aggregate` would at a site. The compute worker is started by one small audit first, as on
 * a server that has audited before.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config';
import { admin, withDatabase } from '../test/support/test-database';
import { CSV_CONFIG, writeAuditCsv } from './support/audit-csv';
import { gc } from './support/timing';

const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/test';
const ADMIN_KEY = 'bench-admin-key-0123456789abcdefghijkl';

/**
 * A synthetic rows CSV as a cell table: (y_true, y_pred, score to 2 decimals, race, sex, age_band) → n, as
 * `fairwatch aggregate` builds one at a site.
 */
function cellTable(rowsCsv: string): { csv: Buffer; cells: number } {
  const counts = new Map<string, number>();
  const lines = rowsCsv.trimEnd().split('\n');
  for (const line of lines.slice(1)) {
    const [, yTrue, yPred, score, race, sex, ageBand] = line.split(',');
    const key = `${yTrue},${yPred},${Number(score).toFixed(2)},${race},${sex},${ageBand}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const body = [...counts].map(([key, n]) => `${key},${n}`);
  return {
    csv: Buffer.from(['y_true,y_pred,score,race,sex,age_band,n', ...body].join('\n') + '\n'),
    cells: counts.size,
  };
}

export async function run(): Promise<void> {
  const server = process.env.BENCH_DATABASE_SERVER ?? DEFAULT_SERVER;
  const sites = Number(process.env.BENCH_SITES ?? 100);
  const sizes = (process.env.BENCH_PART_ROWS ?? '200,2000,10000').split(',').map(Number);
  const database = `fw_bench_rounds_${process.pid}`;
  await admin(server, (c) => c.query(`CREATE DATABASE "${database}"`));
  const config = loadConfig(
    {
      DATABASE_URL: withDatabase(server, database),
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
      FAIRWATCH_DATA_DIR: ':memory:',
      RATE_LIMIT_PER_MINUTE: '1000000',
    },
    'bench',
  );
  const app = await createApp(config);
  await app.init();
  try {
    const http = request(app.getHttpServer());
    const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
    const model = (await http.post('/v1/models').set(auth).send({ name: 'bench', version: '1' }).expect(201))
      .body;
    // Starts the compute worker (as a server that has audited before has): the close then measures the round.
    await http
      .post(`/v1/models/${model.id}/audits`)
      .set(auth)
      .send({ config: { sensitiveAttributes: ['g'] }, records: [{ y_true: 1, y_pred: 1, g: 'a' }] })
      .expect(201);
    const names = Array.from({ length: sites }, (_, i) => `site-${String(i).padStart(3, '0')}`);
    for (const rows of sizes) {
      const { sensitiveAttributes, intersections, labelColumn, predictionColumn, scoreColumn } = CSV_CONFIG;
      const round = (
        await http
          .post(`/v1/models/${model.id}/audit-rounds`)
          .set(auth)
          .send({
            name: `bench ${rows}`,
            sites: names,
            config: {
              sensitiveAttributes,
              intersections,
              labelColumn,
              predictionColumn,
              scoreColumn,
              countColumn: 'n',
            },
          })
          .expect(201)
      ).body;
      const file = join(tmpdir(), `fw-rounds-bench-${process.pid}.csv`);
      const bodies: Buffer[] = [];
      let cellRows = 0;
      for (const [i, site] of names.entries()) {
        writeAuditCsv(file, rows, 1000 + i);
        const part = cellTable(readFileSync(file, 'utf8'));
        cellRows += part.cells;
        await http
          .post(`/v1/audit-rounds/${round.id}/parts`)
          .set(auth)
          .field('site', site)
          .attach('file', part.csv, 'part.csv')
          .expect(201);
        const header = part.csv.indexOf(10) + 1;
        bodies.push(i === 0 ? part.csv : part.csv.subarray(header));
      }
      unlinkSync(file);
      gc();
      const cpuStart = process.cpuUsage();
      const start = process.hrtime.bigint();
      const audit = (await http.post(`/v1/audit-rounds/${round.id}/close`).set(auth).send({}).expect(201))
        .body;
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const cpu = process.cpuUsage(cpuStart);
      console.log(
        `${sites} cell-table parts of ${rows} people (${cellRows} cells in all) = ${audit.rowCount} people: close ${ms.toFixed(0)} ms wall, ` +
          `${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU (user ${(cpu.user / 1000).toFixed(0)}, ` +
          `system ${(cpu.system / 1000).toFixed(0)})`,
      );
      // For scale: the same rows (without the site column) as one ordinary upload, parsing included.
      const all = Buffer.concat(bodies);
      bodies.length = 0;
      gc();
      const oneCpuStart = process.cpuUsage();
      const oneStart = process.hrtime.bigint();
      await http
        .post(`/v1/models/${model.id}/audits`)
        .set(auth)
        .field('config', JSON.stringify({ ...CSV_CONFIG, countColumn: 'n' }))
        .attach('file', all, 'all.csv')
        .expect(201);
      const oneMs = Number(process.hrtime.bigint() - oneStart) / 1e6;
      const oneCpu = process.cpuUsage(oneCpuStart);
      console.log(
        `  one upload of the same ${cellRows} cells: ${oneMs.toFixed(0)} ms wall, ` +
          `${((oneCpu.user + oneCpu.system) / 1000).toFixed(0)} ms CPU`,
      );
    }
  } finally {
    await app.close();
    await admin(server, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  }
}
