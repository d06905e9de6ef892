/**
 * Warehouse push-down on the real server and a real PostgreSQL: one dataset audited as rows, as the cell table
 * of `fairwatch aggregate FILE`, and as the result of the query `fairwatch aggregate-sql --dialect postgres`
 * prints, run with `pg` on a scratch database, gives identical metrics (every value, interval and test). Then
 * scale: the query on 10M rows made with generate_series, and the duckdb query on 10M rows in DuckDB, upload as
 * cell tables whose audits count every row; the group counts are checked against the engines' own COUNT(*).
 *
 * The rows are generated in SQL by integer arithmetic (no random()), so the data are the same on every run;
 * scores have 3 decimals, so rounding to 3 changes nothing and the row audit is the reference.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { cellTableCsv, cellTableFromRows, uploadText } from '../src/cli/cell-table';
import { runCli } from '../src/cli/program';
import { numberDifferences } from './support/same-numbers';
import { admin, testServerUrl, withDatabase } from './support/test-database';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON response bodies */
type Json = Record<string, any>;

const ROLES = ['--label', 'y_true', '--prediction', 'y_pred', '--score', 'score', '--attrs', 'race,sex'];
const CONFIG = {
  labelColumn: 'y_true',
  predictionColumn: 'y_pred',
  scoreColumn: 'score',
  sensitiveAttributes: ['race', 'sex'],
  intersections: [['race', 'sex']],
};
const CELL_COLUMNS = ['race', 'sex', 'y_true', 'y_pred', 'score'];
const EQUALITY_ROWS = 200_000;
const SCALE_ROWS = 10_000_000;

/**
 * `rows` scored rows: five races (every 97th missing), two sexes, a label that follows the score, a prediction
 * whose threshold differs by race (so groups differ), and scores k/1000. h is a multiplicative hash of i.
 */
function scoredRowsSql(table: string, rows: number): string {
  return `CREATE UNLOGGED TABLE ${table} AS
    SELECT CASE WHEN i % 97 = 0 THEN NULL
                ELSE (ARRAY['White', 'Black', 'Hispanic', 'Asian', 'Other'])[1 + (i * 7) % 5] END AS race,
           CASE WHEN (i / 3) % 2 = 0 THEN 'F' ELSE 'M' END AS sex,
           CASE WHEN (h / 1001) % 1000 < h % 1001 THEN 1 ELSE 0 END AS y_true,
           CASE WHEN h % 1001 >= 450 + 25 * ((i * 7) % 5) THEN 1 ELSE 0 END AS y_pred,
           (h % 1001) / 1000.0::double precision AS score
    FROM (SELECT i, (i::bigint * 2654435761) % 4294967296 AS h FROM generate_series(1, ${rows}) AS t(i)) g`;
}

/** Runs the CLI in process; resolves to its exit code and what it printed. */
async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const sink = () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    });
    return { stream, text: () => chunks.join('') };
  };
  const out = sink();
  const err = sink();
  const code = await runCli(argv, { env: {}, stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('warehouse push-down and local cell tables (PostgreSQL)', () => {
  const server = testServerUrl();
  if (!server) throw new Error('this suite needs TEST_DATABASE_URL (a real PostgreSQL)');
  const scratchName = `fw_pushdown_${randomBytes(4).toString('hex')}`;
  let scratch: Client;
  let t: TestApp;
  let modelId: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fw-aggregate-e2e-'));
    await admin(server, (c) => c.query(`CREATE DATABASE "${scratchName}"`));
    scratch = new Client({ connectionString: withDatabase(server, scratchName) });
    await scratch.connect();
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1'); // for the CLI's `fairwatch audit --count-column`
    modelId = (
      await t.http.post('/v1/models').set(t.auth()).send({ name: 'push-down', version: '1' }).expect(201)
    ).body.id as string;
  });
  afterAll(async () => {
    await t?.close();
    await scratch?.end();
    await admin(server, (c) => c.query(`DROP DATABASE IF EXISTS "${scratchName}" WITH (FORCE)`));
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = async (csv: string | Buffer, config: object): Promise<Json> =>
    (
      await t.http
        .post(`/v1/models/${modelId}/audits`)
        .set(t.auth())
        .field('config', JSON.stringify(config))
        .attach('file', Buffer.from(csv), 'upload.csv')
        .expect(201)
    ).body as Json;

  const metricsOf = async (auditId: string): Promise<Json> => {
    const res = await t.http.get(`/v1/audits/${auditId}/metrics`).set(t.auth()).expect(200);
    const { auditId: _id, ...metrics } = res.body as Json;
    return metrics;
  };

  /** The printed push-down query, run on the scratch database, as the CSV that is uploaded. */
  async function pushDown(table: string): Promise<{ csv: string; config: Json }> {
    const run = await cli(['aggregate-sql', '--dialect', 'postgres', '--table', `public.${table}`, ...ROLES]);
    expect(run.code).toBe(0);
    const config = JSON.parse(run.stderr.slice(run.stderr.indexOf('{'))) as Json;
    const result = await scratch.query<Record<string, unknown>>(run.stdout);
    return { csv: cellTableCsv(cellTableFromRows(CELL_COLUMNS, 'n', result.rows)), config };
  }

  it('rows, the cell table of `fairwatch aggregate FILE` and the PostgreSQL push-down give identical metrics', async () => {
    await scratch.query(scoredRowsSql('scored_small', EQUALITY_ROWS));
    // The rows as a CSV file, read back from the table (a NULL race is an empty field).
    const rows = await scratch.query<Record<string, unknown>>('SELECT * FROM scored_small');
    const rowsCsv =
      `${CELL_COLUMNS.join(',')}\n` +
      rows.rows.map((r) => CELL_COLUMNS.map((c) => uploadText(r[c])).join(',')).join('\n') +
      '\n';
    const rowsFile = join(dir, 'rows.csv');
    writeFileSync(rowsFile, rowsCsv);

    const cellsFile = join(dir, 'cells.csv');
    const local = await cli(['aggregate', rowsFile, ...ROLES, '-o', cellsFile]);
    expect(local.code).toBe(0);
    const pushed = await pushDown('scored_small');
    expect(pushed.config).toEqual({
      labelColumn: 'y_true',
      predictionColumn: 'y_pred',
      scoreColumn: 'score',
      sensitiveAttributes: ['race', 'sex'],
      countColumn: 'n',
    });
    const cellConfig = { ...CONFIG, countColumn: 'n' };

    const asRows = await upload(rowsCsv, CONFIG);
    // The local cell table goes up as a user sends it: fairwatch audit --count-column n.
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const sent = await cli([
      ...[
        '--url',
        `http://127.0.0.1:${port}`,
        '--api-key',
        ADMIN_KEY,
        'audit',
        cellsFile,
        '--model',
        'push-down@1',
      ],
      ...['--attrs', 'race,sex', '--intersect', 'race,sex', '--label', 'y_true', '--prediction', 'y_pred'],
      ...['--score', 'score', '--count-column', 'n', '--json'],
    ]);
    expect(sent.code).toBe(0);
    const fromFile = (JSON.parse(sent.stdout) as Json).audit as Json;
    // Without --json, the summary line counts people (the cell table's total), not the cell table's lines.
    const table = await cli([
      ...[
        '--url',
        `http://127.0.0.1:${port}`,
        '--api-key',
        ADMIN_KEY,
        'audit',
        cellsFile,
        '--model',
        'push-down@1',
      ],
      ...['--attrs', 'race,sex', '--label', 'y_true', '--prediction', 'y_pred', '--count-column', 'n'],
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Audit [0-9a-f-]{36}: 200000 people,/m);
    const fromSql = await upload(pushed.csv, cellConfig);

    expect(asRows.rowCount).toBe(EQUALITY_ROWS);
    expect(fromFile.rowCount).toBe(EQUALITY_ROWS);
    expect(fromSql.rowCount).toBe(EQUALITY_ROWS);
    // Far fewer lines cross the network: 5 races + missing, 2 sexes, 2 × 2 outcomes, ≤ 1,001 scores.
    const cellLines = pushed.csv.trim().split('\n').length - 1;
    expect(cellLines).toBeLessThanOrEqual(6 * 2 * 2 * 2 * 1001);
    expect(readFileSync(cellsFile, 'utf8').trim().split('\n').length - 1).toBe(cellLines);

    const reference = await metricsOf(asRows.id as string);
    // Every value, interval and test; sums over cells may differ from sums over rows in the last bits only.
    expect(numberDifferences(reference, await metricsOf(fromFile.id as string))).toEqual([]);
    expect(numberDifferences(reference, await metricsOf(fromSql.id as string))).toEqual([]);
    // The missing race is its own level, "Unknown" by default: 200,000 / 97 rounded down rows.
    const raceSlice = (reference.slices as Json[]).find((s) => s.attributes.join() === 'race') as Json;
    const unknown = (raceSlice.groups as Json[]).find((g) => g.key.race === 'Unknown') as Json;
    expect(unknown.count).toBe(Math.floor(EQUALITY_ROWS / 97));
  });

  it('10M rows in PostgreSQL: the push-down result uploads as a cell table whose audit counts every row', async () => {
    await scratch.query(scoredRowsSql('scored_large', SCALE_ROWS));
    await scratch.query('ANALYZE scored_large'); // else the planner sorts instead of hashing (4× slower)
    const { csv } = await pushDown('scored_large');
    const audit = await upload(csv, { ...CONFIG, countColumn: 'n' });
    const [{ count }] = (await scratch.query<{ count: string }>('SELECT count(*) FROM scored_large'))
      .rows as [{ count: string }];
    expect(audit.rowCount).toBe(Number(count));
    expect(audit.rowCount).toBe(SCALE_ROWS);
    // Each sex's count and predicted positives as PostgreSQL counts them from the rows.
    const bySex = await scratch.query<{ sex: string; n: string; positives: string }>(
      'SELECT sex, count(*) AS n, sum(y_pred) AS positives FROM scored_large GROUP BY sex ORDER BY sex',
    );
    const metrics = await metricsOf(audit.id as string);
    const sexSlice = (metrics.slices as Json[]).find((s) => s.attributes.join() === 'sex') as Json;
    for (const row of bySex.rows) {
      const group = (sexSlice.groups as Json[]).find((g) => g.key.sex === row.sex) as Json;
      expect(group.count).toBe(Number(row.n));
      expect(group.metrics.selection_rate.value).toBeCloseTo(Number(row.positives) / Number(row.n), 12);
    }
    expect(csv.length).toBeLessThan(2_000_000);
  });

  it('10M rows in DuckDB: the printed duckdb query uploads as a cell table whose audit counts every row', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const duck = await instance.connect();
    try {
      await duck.run(
        scoredRowsSql('scored', SCALE_ROWS)
          .replace('CREATE UNLOGGED TABLE', 'CREATE TABLE')
          .replace('(i / 3) % 2', '(i // 3) % 2')
          .replace('(h / 1001) % 1000', '(h // 1001) % 1000'),
      );
      const run = await cli(['aggregate-sql', '--dialect', 'duckdb', '--table', 'scored', ...ROLES]);
      expect(run.code).toBe(0);
      const result = await duck.runAndReadAll(run.stdout);
      const csv = cellTableCsv(cellTableFromRows(CELL_COLUMNS, 'n', result.getRows()));
      const audit = await upload(csv, { ...CONFIG, countColumn: 'n' });
      expect(audit.rowCount).toBe(SCALE_ROWS);
      const byRace = (await duck.runAndReadAll('SELECT race, count(*) FROM scored GROUP BY race')).getRows();
      const metrics = await metricsOf(audit.id as string);
      const raceSlice = (metrics.slices as Json[]).find((s) => s.attributes.join() === 'race') as Json;
      for (const [race, n] of byRace) {
        const group = (raceSlice.groups as Json[]).find((g) => g.key.race === (race ?? 'Unknown')) as Json;
        expect(group.count).toBe(Number(n));
      }
    } finally {
      duck.closeSync();
      instance.closeSync();
    }
  });
});
