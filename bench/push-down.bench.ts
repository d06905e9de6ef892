/**
 * Warehouse push-down at scale, and `fairwatch aggregate` on files.
 *
 * 1. Push-down: a DuckDB database file of BENCH_PUSHDOWN_ROWS rows (default 100M; built once in os.tmpdir() and
 *    kept with BENCH_KEEP_FILES=1) stands in for the warehouse. The query `fairwatch aggregate-sql --dialect
 *    duckdb` prints runs there (timed alone), its result becomes the cell-table CSV (the bytes that cross the
 *    network), and that is uploaded with countColumn to the real app in a child process on PostgreSQL
 *    (upload + audit, timed to the 201). Total = query + CSV + upload + audit.
 * 2. `fairwatch aggregate` (in process, aggregateFile) on a 1M-row CSV and the same rows as Parquet: wall and
 *    CPU time (process.cpuUsage, which counts DuckDB's threads), median of 3.
 *
 * Database: a fresh `fw_bench_pushdown_<pid>` on BENCH_DATABASE_SERVER (default
 * postgres://postgres@127.0.0.1:5432/test), dropped afterwards.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellTableQuery } from '../src/cli/cell-table-sql';
import { cellTableCsv, cellTableFromRows, totalCount } from '../src/cli/cell-table';
import { aggregateFile } from '../src/cli/local-aggregate';
import { admin, withDatabase } from '../test/support/test-database';
import { request, startAppServer } from './support/app-server';
import { writeAuditCsv } from './support/audit-csv';

const ADMIN_KEY = 'bench-admin-key-0123456789abcdefghijkl';
const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/test';
const MB = 1024 * 1024;
const FILE_ROWS = 1_000_000;
const RUNS = 3;

/** Two attributes (5 × 3 levels), both outcomes and 1,001 rounded scores: at most 60,060 cells, ~1.5 MB of CSV. */
const ROLES = { label: 'y_true', prediction: 'y_pred', score: 'score', attrs: ['race', 'sex'] };
const CELL_COLUMNS = ['race', 'sex', 'y_true', 'y_pred', 'score'];
const CONFIG = {
  labelColumn: 'y_true',
  predictionColumn: 'y_pred',
  scoreColumn: 'score',
  sensitiveAttributes: ['race', 'sex'],
  intersections: [['race', 'sex']],
  countColumn: 'n',
};

/** The warehouse table: 5 races, 3 sexes, 4 age bands, a label and a prediction, scores with 4 decimals. */
const WAREHOUSE_TABLE = (rows: number): string => `
  CREATE TABLE scored AS
  SELECT (['Black', 'White', 'Hispanic', 'Asian', 'Other'])[1 + (h % 5)] AS race,
         (['Female', 'Male', 'Unknown'])[1 + (h // 5) % 3] AS sex,
         (['18-29', '30-44', '45-64', '65+'])[1 + (h // 15) % 4] AS age_band,
         CASE WHEN (h // 60) % 100 < 30 + 5 * (h % 5) THEN 1 ELSE 0 END AS y_true,
         CASE WHEN (h // 6000) % 10000 >= 5000 THEN 1 ELSE 0 END AS y_pred,
         ((h // 6000) % 10000) / 10000.0 AS score
  FROM (SELECT (hash(i) % 1000000007)::BIGINT AS h FROM range(${rows}) t(i))`;

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function warehouse(rows: number): Promise<string> {
  const path = join(tmpdir(), `fairwatch-pushdown-${rows}.duckdb`);
  if (existsSync(path) && process.env.BENCH_KEEP_FILES) return path;
  rmSync(path, { force: true });
  const t0 = Date.now();
  const instance = await DuckDBInstance.create(path);
  const db = await instance.connect();
  await db.run(WAREHOUSE_TABLE(rows));
  db.closeSync();
  instance.closeSync();
  console.log(
    `  (built ${path}: ${rows.toLocaleString('en-US')} rows, ${(statSync(path).size / MB).toFixed(0)} MB, in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  return path;
}

function multipart(csv: Buffer): { headers: Record<string, string | number>; body: Buffer } {
  const boundary = `----fairwatch-pushdown-${process.pid}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="config"\r\n\r\n${JSON.stringify(CONFIG)}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cells.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    csv,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return {
    headers: {
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
      'Content-Length': body.length,
      Authorization: `Bearer ${ADMIN_KEY}`,
    },
    body,
  };
}

/** POST the cell table; fetch, so that an early answer (a 4xx before the body is read) is seen, not an EPIPE. */
async function upload(
  port: number,
  modelId: string,
  headers: Record<string, string | number>,
  body: Buffer,
): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/models/${modelId}/audits`, {
    method: 'POST',
    headers: {
      'Content-Type': String(headers['Content-Type']),
      Authorization: String(headers.Authorization),
    },
    body,
  });
  return { status: res.status, body: await res.text() };
}

async function pushDown(): Promise<void> {
  const rows = Number(process.env.BENCH_PUSHDOWN_ROWS ?? 100_000_000);
  const path = await warehouse(rows);
  const serverUrl = process.env.BENCH_DATABASE_SERVER ?? DEFAULT_SERVER;
  const database = `fw_bench_pushdown_${process.pid}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE "${database}"`));
  const server = await startAppServer(withDatabase(serverUrl, database), ADMIN_KEY);
  try {
    const model = await request(
      server.port,
      'POST',
      '/v1/models',
      { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
      () => Buffer.from(JSON.stringify({ name: 'push-down', version: '1' })),
    );
    const modelId = (JSON.parse(model.body) as { id: string }).id;
    const sql = cellTableQuery({ ...ROLES, dialect: 'duckdb', source: { table: 'scored' } });
    const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    const db = await instance.connect();
    console.log('rows         query s  query cpu s  cells   CSV kB  upload+audit s  total s  audit rowCount');
    for (let run = 0; run < RUNS; run++) {
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const result = (await db.runAndReadAll(sql)).getRows();
      const t1 = process.hrtime.bigint();
      const queryCpu = cpuMs(cpu0);
      const table = cellTableFromRows(CELL_COLUMNS, 'n', result);
      const csv = Buffer.from(cellTableCsv(table));
      const { headers, body } = multipart(csv);
      const t2 = process.hrtime.bigint();
      const res = await upload(server.port, modelId, headers, body);
      const t3 = process.hrtime.bigint();
      if (res.status !== 201) {
        console.log(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
        break;
      }
      const audit = JSON.parse(res.body) as { rowCount: number };
      const s = (a: bigint, b: bigint): string => (Number(b - a) / 1e9).toFixed(2);
      console.log(
        [
          totalCount(table).toLocaleString('en-US').padEnd(12),
          s(t0, t1).padStart(7),
          (queryCpu / 1000).toFixed(2).padStart(12),
          String(table.cells.length).padStart(6),
          (body.length / 1024).toFixed(0).padStart(8),
          s(t2, t3).padStart(15),
          s(t0, t3).padStart(8),
          audit.rowCount.toLocaleString('en-US').padStart(15),
        ].join(' '),
      );
    }
    console.log(
      '  (CSV kB: the whole multipart request body, config included: all that crosses the network)',
    );
    db.closeSync();
    instance.closeSync();
  } finally {
    await server.stop();
    await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    if (!process.env.BENCH_KEEP_FILES) rmSync(path, { force: true });
  }
}

async function localFiles(): Promise<void> {
  const csv = join(tmpdir(), `fairwatch-aggregate-${FILE_ROWS}.csv`);
  const parquet = csv.replace(/\.csv$/, '.parquet');
  writeAuditCsv(csv, FILE_ROWS, 42);
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  await db.run(`COPY (SELECT * FROM read_csv('${csv}')) TO '${parquet}' (FORMAT parquet)`);
  db.closeSync();
  instance.closeSync();
  console.log(
    `\nfairwatch aggregate, ${FILE_ROWS.toLocaleString('en-US')} rows, median of ${RUNS} (in process):`,
  );
  console.log('file       MB   wall ms   cpu ms   cells');
  try {
    for (const file of [csv, parquet]) {
      const walls: number[] = [];
      const cpus: number[] = [];
      let cells = 0;
      for (let run = 0; run < RUNS; run++) {
        const cpu0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        const table = await aggregateFile({ ...ROLES, file });
        walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
        cpus.push(cpuMs(cpu0));
        cells = table.cells.length;
        if (totalCount(table) !== FILE_ROWS) throw new Error(`${file}: ${totalCount(table)} rows counted`);
      }
      console.log(
        [
          (file.endsWith('.csv') ? 'CSV' : 'Parquet').padEnd(8),
          (statSync(file).size / MB).toFixed(1).padStart(6),
          median(walls).toFixed(0).padStart(9),
          median(cpus).toFixed(0).padStart(8),
          String(cells).padStart(7),
        ].join(' '),
      );
    }
  } finally {
    rmSync(csv, { force: true });
    rmSync(parquet, { force: true });
  }
}

export async function run(): Promise<void> {
  if (process.env.BENCH_PUSHDOWN_SKIP_FILES !== '1') await localFiles();
  await pushDown();
}
