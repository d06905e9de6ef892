/**
 * Parquet uploads on PostgreSQL: the same rows sent as CSV and as Parquet give the same audit, every metric
 * value; Parquet is recognized by name, media type or magic bytes, in either part order; a missing or
 * ill-typed column names its row and column; another binary format is a 415 naming the formats accepted; a
 * truncated or corrupt file is a 400 and the server carries on; nothing is stored by a rejected upload and no
 * plaintext copy is left in the spool directory. Fixtures are written here by DuckDB (`COPY ... TO`), the CSV
 * and the Parquet file of one table, so both hold exactly the same rows.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Response } from 'supertest';
import { mulberry32 } from '../src/core/stats';
import { UploadSpoolService } from '../src/modules/uploads/upload-spool';
import { DIABETES_SCORED_CSV } from './support/datasets';
import { startTestApp, type TestApp } from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON response bodies */
type Json = Record<string, any>;

const DIABETES_CONFIG = {
  labelColumn: 'y_true',
  predictionColumn: 'y_pred',
  scoreColumn: 'score',
  sensitiveAttributes: ['race', 'gender', 'age_group'],
  intersections: [['race', 'gender']],
};

/**
 * 600 rows of typed columns: a BOOLEAN label, a TINYINT prediction, a DECIMAL(5,3) score, an ENUM attribute
 * with NULLs (missing: the group "Unknown"), a BIGINT attribute, a DATE attribute, and an unmapped free-text
 * column. Deterministic (no random()).
 */
const TYPED_TABLE = `
  CREATE TYPE band AS ENUM ('low', 'middle', 'high');
  CREATE TABLE typed AS
  SELECT i AS patient_id,
         ((i * 31) % 7 < 3) AS y_true,
         (CASE WHEN (i * 7919) % 1000 >= 500 THEN 1 ELSE 0 END)::TINYINT AS y_pred,
         (((i * 7919) % 1000) / 1000.0)::DECIMAL(5,3) AS score,
         (CASE WHEN i % 17 = 0 THEN NULL ELSE (['low', 'middle', 'high'])[1 + i % 3] END)::band AS income,
         (1000000000000 + (i % 4))::BIGINT AS site,
         (DATE '2024-01-01' + INTERVAL (i % 2) MONTH)::DATE AS month,
         'note ' || i AS visit_note
  FROM range(1, 601) t(i);`;
const TYPED_CONFIG = {
  sensitiveAttributes: ['income', 'site', 'month'],
  intersections: [['income', 'site']],
};

describe('Parquet uploads (PostgreSQL)', () => {
  let t: TestApp;
  let modelId: string;
  let dir: string;
  let db: DuckDBInstance;
  let duck: DuckDBConnection;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fw-parquet-e2e-'));
    db = await DuckDBInstance.create(':memory:');
    duck = await db.connect();
    await duck.run(TYPED_TABLE);
    t = await startTestApp();
    const res = await t.http
      .post('/v1/models')
      .set(t.auth())
      .send({ name: 'parquet', version: '1' })
      .expect(201);
    modelId = res.body.id as string;
  });
  afterAll(async () => {
    await t.close();
    duck.closeSync();
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes `select` to `<dir>/<name>` as Parquet or CSV (by the extension); returns the file's bytes. */
  async function write(name: string, select: string): Promise<Buffer> {
    const path = join(dir, name);
    const format = name.endsWith('.parquet') ? 'parquet' : 'csv';
    await duck.run(`COPY (${select}) TO '${path}' (FORMAT ${format})`);
    return readFileSync(path);
  }

  const upload = (file: Buffer, filename: string, config: object, contentType?: string) =>
    t.http
      .post(`/v1/models/${modelId}/audits`)
      .set(t.auth())
      .field('config', JSON.stringify(config))
      .attach('file', file, contentType ? { filename, contentType } : filename);

  const metricsOf = async (auditId: string): Promise<Json> => {
    const res = await t.http.get(`/v1/audits/${auditId}/metrics`).set(t.auth()).expect(200);
    const { auditId: _id, ...metrics } = res.body as Json;
    return metrics;
  };

  async function counts(): Promise<{ audits: number; data: number }> {
    const [row] = await t.dataSource.query(
      'SELECT (SELECT count(*) FROM audits)::int AS audits, (SELECT count(*) FROM audit_data)::int AS data',
    );
    return row as { audits: number; data: number };
  }

  const spooled = (): string[] => readdirSync(t.app.get(UploadSpoolService).directory ?? '/nonexistent');
  /** The spool directory once the removals started with the answer have run (up to 2 s). */
  async function spooledSoon(): Promise<string[]> {
    for (let waited = 0; spooled().length > 0 && waited < 2000; waited += 20)
      await new Promise((r) => setTimeout(r, 20));
    return spooled();
  }

  /** A problem document with this status; nothing stored, nothing left in the spool directory. */
  async function rejected(send: () => Promise<Response>, status: number): Promise<Json> {
    const before = await counts();
    const res = await send();
    expect([res.status, res.headers['content-type']]).toEqual([
      status,
      expect.stringMatching(/^application\/problem\+json/),
    ]);
    expect(await counts()).toEqual(before);
    expect(await spooledSoon()).toEqual([]);
    return res.body as Json;
  }

  it('the diabetes data as CSV and as Parquet give the same audit, every metric value', async () => {
    const csv = readFileSync(DIABETES_SCORED_CSV);
    const parquet = await write('diabetes.parquet', `SELECT * FROM read_csv('${DIABETES_SCORED_CSV}')`);
    const lines = csv.toString('utf8').trim().split('\n').slice(1);
    const predictedPositive = lines.filter((line) => line.split(',')[1] === '1').length;

    const fromCsv = (await upload(csv, 'diabetes.csv', DIABETES_CONFIG).expect(201)).body as Json;
    const fromParquet = (await upload(parquet, 'diabetes.parquet', DIABETES_CONFIG).expect(201)).body as Json;

    expect(fromParquet.rowCount).toBe(lines.length); // 101,766 encounters
    expect(fromCsv.rowCount).toBe(lines.length);
    expect(fromParquet.summary).toEqual(fromCsv.summary);
    const [a, b] = [await metricsOf(fromCsv.id), await metricsOf(fromParquet.id)];
    expect(b.overall.metrics.selection_rate.value).toBeCloseTo(predictedPositive / lines.length, 12);
    expect(b.slices).toHaveLength(4);
    expect(b).toEqual(a);
    expect(await spooledSoon()).toEqual([]);
  });

  it('typed columns (BOOLEAN, TINYINT, DECIMAL, ENUM with nulls, BIGINT, DATE) read as their CSV text', async () => {
    const csv = await write('typed.csv', 'SELECT * FROM typed');
    const parquet = await write('typed.parquet', 'SELECT * FROM typed');
    const fromCsv = (await upload(csv, 'typed.csv', TYPED_CONFIG).expect(201)).body as Json;
    const fromParquet = (await upload(parquet, 'typed.parquet', TYPED_CONFIG).expect(201)).body as Json;
    const [a, b] = [await metricsOf(fromCsv.id), await metricsOf(fromParquet.id)];
    expect(b).toEqual(a);
    const slice = (attribute: string): Json =>
      (b.slices as Json[]).find((s) => s.attributes.join() === attribute) ?? {};
    const groups = (attribute: string): string[] =>
      (slice(attribute).groups as Json[]).map((g) => g.key[attribute] as string).sort();
    // i % 17 = 0 for 35 of the 600 rows: their income is missing, the group "Unknown".
    expect(groups('income')).toEqual(['Unknown', 'high', 'low', 'middle']);
    expect((slice('income').groups as Json[]).find((g) => g.key.income === 'Unknown')?.count).toBe(35);
    expect(groups('site')).toEqual(['1000000000000', '1000000000001', '1000000000002', '1000000000003']);
    expect(groups('month')).toEqual(['2024-01-01', '2024-02-01']);
    // Label true for (31 i mod 7) < 3: 3 residues of 7, i = 1..600 → 257 rows (counted by hand: 85 full weeks
    // give 255, and i = 596..600 add 2 more).
    expect(b.overall.metrics.base_rate.value).toBeCloseTo(257 / 600, 12);
  });

  it('is recognized by a .parquet name, by its media type, or by the PAR1 bytes alone, in either part order', async () => {
    const parquet = await write('order.parquet', 'SELECT * FROM typed');
    const rowCounts: number[] = [];
    for (const [filename, contentType] of [
      ['data.parquet', 'application/octet-stream'],
      ['data.bin', 'application/vnd.apache.parquet'],
      ['data.csv', 'text/csv'],
    ] as const) {
      const res = await upload(parquet, filename, TYPED_CONFIG, contentType).expect(201);
      rowCounts.push(res.body.rowCount as number);
    }
    const fileFirst = await t.http
      .post(`/v1/models/${modelId}/audits`)
      .set(t.auth())
      .attach('file', parquet, 'data.parquet')
      .field('config', JSON.stringify(TYPED_CONFIG))
      .expect(201);
    rowCounts.push(fileFirst.body.rowCount as number);
    expect(rowCounts).toEqual([600, 600, 600, 600]);
    expect(await spooledSoon()).toEqual([]);
  });

  it('concurrent Parquet uploads each get their own rows', async () => {
    const files = await Promise.all([
      write('small.parquet', 'SELECT * FROM typed WHERE patient_id <= 100'),
      write('large.parquet', 'SELECT * FROM typed'),
      write('middle.parquet', 'SELECT * FROM typed WHERE patient_id <= 300'),
    ]);
    const answers = await Promise.all(
      files.map((file) => upload(file, 'concurrent.parquet', TYPED_CONFIG).expect(201)),
    );
    expect(answers.map((res) => res.body.rowCount as number)).toEqual([100, 600, 300]);
  });

  describe('bad input names the row and column and stores nothing', () => {
    it('a missing column names the config field and the column', async () => {
      const parquet = await write('missing.parquet', 'SELECT * EXCLUDE (y_true) FROM typed');
      const body = await rejected(
        () => upload(parquet, 'x.parquet', { ...TYPED_CONFIG, labelColumn: 'y_true' }),
        400,
      );
      expect(body.errors).toEqual([
        { field: 'config.labelColumn', column: 'y_true', message: 'column "y_true" not found' },
      ]);
    });

    it('a label that is not binary names its row and column (and the same rows pass without it)', async () => {
      const select =
        'SELECT i AS row_id, CASE WHEN i = 3 THEN 2 ELSE i % 2 END AS y_true, i % 2 AS y_pred, ' +
        "CASE WHEN i % 2 = 0 THEN 'A' ELSE 'B' END AS race FROM range(1, 41) t(i)";
      const parquet = await write('label.parquet', select);
      const body = await rejected(() => upload(parquet, 'x.parquet', { sensitiveAttributes: ['race'] }), 400);
      expect(body.errors).toEqual([
        {
          row: 3,
          column: 'y_true',
          message: expect.stringMatching(/^row 3, column "y_true": label "2" is not binary/),
        },
      ]);
      const good = await write('label-ok.parquet', select.replace('WHEN i = 3 THEN 2', 'WHEN i = 3 THEN 1'));
      await upload(good, 'x.parquet', { sensitiveAttributes: ['race'] }).expect(201);
    });

    it('a text score and a missing prediction name their rows and columns', async () => {
      const score = await write(
        'score.parquet',
        "SELECT CASE WHEN i = 2 THEN 'high' ELSE '0.5' END AS score, 'A' AS race FROM range(1, 5) t(i)",
      );
      const a = await rejected(() => upload(score, 'x.parquet', { sensitiveAttributes: ['race'] }), 400);
      expect(a.errors).toEqual([
        { row: 2, column: 'score', message: 'row 2, column "score": score "high" is not a finite number' },
      ]);
      const prediction = await write(
        'prediction.parquet',
        "SELECT CASE WHEN i = 4 THEN NULL ELSE 1 END AS y_pred, 'A' AS race FROM range(1, 6) t(i)",
      );
      const b = await rejected(() => upload(prediction, 'x.parquet', { sensitiveAttributes: ['race'] }), 400);
      expect(b.errors).toEqual([
        { row: 4, column: 'y_pred', message: 'row 4, column "y_pred": missing prediction' },
      ]);
    });

    it('a mapped column of a nested type is refused by name; the same column unmapped is ignored', async () => {
      const select = "SELECT i % 2 AS y_pred, [i, i] AS race, 'A' AS sex FROM range(1, 5) t(i)";
      const parquet = await write('nested.parquet', select);
      const body = await rejected(() => upload(parquet, 'x.parquet', { sensitiveAttributes: ['race'] }), 400);
      expect(body.errors).toEqual([
        {
          column: 'race',
          message: expect.stringMatching(/^column "race" has the Parquet\/DuckDB type BIGINT\[\]/),
        },
      ]);
      await upload(parquet, 'x.parquet', { sensitiveAttributes: ['sex'] }).expect(201);
    });
  });

  describe('other binary formats are a 415 naming the formats accepted', () => {
    it.each([
      [
        'an .xlsx (ZIP) file',
        Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, ...Array(40).fill(7)]),
        'a.xlsx',
        /ZIP archive/,
      ],
      ['a gzipped CSV', gzipSync('y_true,y_pred,race\n1,1,A\n'), 'a.csv.gz', /gzip-compressed/],
      [
        'bytes with NUL in the first line',
        Buffer.from('\u0000\u0001\u0002\u0003binary\u0000junk'),
        'a.dat',
        /NUL bytes/,
      ],
    ])('%s', async (_label, bytes, filename, looksLike) => {
      const body = await rejected(() => upload(bytes, filename, TYPED_CONFIG), 415);
      expect(body.errors).toEqual([{ field: 'file', message: body.detail }]);
      expect(body.detail).toMatch(looksLike);
      expect(body.detail).toContain('CSV');
      expect(body.detail).toContain(
        'Parquet (application/vnd.apache.parquet, a .parquet name or the PAR1 magic bytes)',
      );
    });
  });

  it('a truncated or corrupt Parquet file is a 400, and the server carries on', async () => {
    const parquet = await write('cut.parquet', 'SELECT * FROM typed');
    const cuts: Buffer[] = [
      parquet.subarray(0, 4), // the magic bytes alone
      parquet.subarray(0, parquet.length >> 1), // half of it: no footer
      parquet.subarray(0, parquet.length - 1), // the last magic byte missing
      Buffer.concat([parquet.subarray(0, parquet.length >> 1), parquet.subarray(parquet.length - 400)]), // a footer that points past the data
    ];
    const footerStart = parquet.length - 8 - parquet.readUInt32LE(parquet.length - 8);
    const flipped = Buffer.from(parquet);
    for (let at = footerStart; at < parquet.length - 8; at += 7) flipped[at] = (flipped[at] as number) ^ 0x5a; // a scrambled footer
    for (const bad of [...cuts, flipped]) {
      const body = await rejected(() => upload(bad, 'bad.parquet', TYPED_CONFIG), 400);
      expect(body.errors).toEqual([
        {
          field: 'file',
          message: expect.stringMatching(/^The "file" part is not a readable Parquet file \(.+\)\.$/),
        },
      ]);
      expect(body.detail).not.toContain('/proc/self/fd');
      expect(body.detail).not.toContain('LINE 1');
    }
    await t.http.get('/health').expect(200);
    // The scrambled copy has the good file's size and was read through the same kind of path (fd numbers are
    // reused): a reader that cached blocks by path, size and time would now read the scrambled footer again.
    expect(flipped.length).toBe(parquet.length);
    await upload(parquet, 'good.parquet', TYPED_CONFIG).expect(201);
  });

  it('40 copies with one random byte changed are a 201 or a 4xx problem, never a 5xx or a crash', async () => {
    const parquet = await write('flip.parquet', 'SELECT * FROM typed');
    const random = mulberry32(20261206);
    const statuses = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const copy = Buffer.from(parquet);
      const at = Math.floor(random() * copy.length);
      copy[at] = (copy[at] as number) ^ (1 + Math.floor(random() * 255));
      const res = await upload(copy, 'flip.parquet', TYPED_CONFIG);
      statuses.add(res.status);
      // A flip inside a value can leave a readable file with other values; anything else must be refused.
      if (res.status !== 201) {
        expect([res.status, res.headers['content-type']]).toEqual([
          400,
          expect.stringMatching(/^application\/problem\+json/),
        ]);
      }
    }
    expect([...statuses].sort()).toEqual([201, 400]); // both paths were taken (seeded: the same flips each run)
    await t.http.get('/health').expect(200);
    expect(await spooledSoon()).toEqual([]);
  });
});
