import http from 'node:http';
import { readdirSync } from 'node:fs';
import type { Response } from 'supertest';
import { UploadSpoolService } from '../src/modules/uploads/upload-spool';
import { startTestApp, type TestApp } from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- untyped JSON response bodies */
type Json = Record<string, any>;

const GOOD_HEADER = 'patient_id,y_true,y_pred,score,race';
const GOOD_ROWS = ['P1,1,1,0.9,A', 'P2,0,0,0.2,B', 'P3,1,0,0.4,A', 'P4,0,1,0.7,B'];
const GOOD_CSV = [GOOD_HEADER, ...GOOD_ROWS].join('\n');
const CONFIG = { sensitiveAttributes: ['race'] };

interface Counts {
  audits: number;
  data: number;
  submitted: number;
}

async function counts(t: TestApp): Promise<Counts> {
  const [row] = await t.dataSource.query(`
    SELECT (SELECT count(*) FROM audits)::int AS audits,
           (SELECT count(*) FROM audit_data)::int AS data,
           (SELECT count(*) FROM audit_events WHERE action = 'audit.submitted')::int AS submitted`);
  return row as Counts;
}

/** Creates a model; returns its id. */
async function createModel(t: TestApp, name: string): Promise<string> {
  const res = await t.http.post('/v1/models').set(t.auth()).send({ name, version: '1' }).expect(201);
  return res.body.id as string;
}

/** POST /v1/models/{modelId}/audits as the admin; the body is still to be added. */
function submit(t: TestApp, modelId: string) {
  return t.http.post(`/v1/models/${modelId}/audits`).set(t.auth());
}

/** The answer is a problem document with this status, and nothing was stored. */
async function rejected(t: TestApp, send: () => Promise<Response>, status: number): Promise<Json> {
  const before = await counts(t);
  const res = await send();
  expect([res.status, res.headers['content-type']]).toEqual([
    status,
    expect.stringMatching(/^application\/problem\+json/),
  ]);
  expect(res.body).toMatchObject({
    status,
    type: expect.stringContaining('https://fairwatch.dev/problems/'),
  });
  expect(typeof res.body.detail).toBe('string');
  expect(await counts(t)).toEqual(before);
  return res.body as Json;
}

describe('audits: bad input is a 4xx problem and stores nothing (PostgreSQL)', () => {
  let t: TestApp;
  let modelId: string;

  beforeAll(async () => {
    t = await startTestApp();
    modelId = await createModel(t, 'bad-input');
  });
  afterAll(() => t.close());

  const csvUpload = (csv: string | Buffer, config: object | string = CONFIG, configFirst = true) => {
    const req = submit(t, modelId);
    const text = typeof config === 'string' ? config : JSON.stringify(config);
    const file = Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8');
    return configFirst
      ? req.field('config', text).attach('file', file, 'data.csv')
      : req.attach('file', file, 'data.csv').field('config', text);
  };
  const jsonUpload = (body: string | object) =>
    submit(t, modelId).set('Content-Type', 'application/json').send(body);

  it('a good upload works (so the cases below fail for their own reason)', async () => {
    const before = await counts(t);
    await csvUpload(GOOD_CSV).expect(201);
    expect(await counts(t)).toEqual({
      audits: before.audits + 1,
      data: before.data + 1,
      submitted: before.submitted + 1,
    });
  });

  describe('CSV structure', () => {
    it('an unclosed quote names the row and column', async () => {
      const csv = [GOOD_HEADER, GOOD_ROWS[0], 'P2,0,0,0.2,"B', GOOD_ROWS[2]].join('\n');
      const body = await rejected(t, () => csvUpload(csv), 400);
      expect(body.errors).toEqual([
        { row: 2, column: 'race', message: expect.stringMatching(/quote that is never closed/) },
      ]);
    });

    it('an unclosed quote is also found when the config comes after the file (spooled path)', async () => {
      const csv = [GOOD_HEADER, GOOD_ROWS[0], 'P2,0,0,0.2,"B', GOOD_ROWS[2]].join('\n');
      const body = await rejected(t, () => csvUpload(csv, CONFIG, false), 400);
      expect(body.errors[0]).toMatchObject({ row: 2, column: 'race' });
    });

    it('a ragged row names the row', async () => {
      const csv = [GOOD_HEADER, GOOD_ROWS[0], GOOD_ROWS[1], 'P3,1,0,0.4'].join('\n');
      const body = await rejected(t, () => csvUpload(csv), 400);
      expect(body.errors).toEqual([{ row: 3, message: 'row 3 (line 4): 4 fields, but the header has 5' }]);
    });

    it('a NUL byte names the row and column', async () => {
      const csv = [GOOD_HEADER, GOOD_ROWS[0], 'P2\u0000,0,0,0.2,B'].join('\n');
      const body = await rejected(t, () => csvUpload(csv), 400);
      expect(body.errors).toEqual([
        { row: 2, column: 'patient_id', message: expect.stringMatching(/NUL byte/) },
      ]);
    });

    it('duplicate header names are refused', async () => {
      const csv = ['y_true,y_pred,race,race', '1,1,A,A', '0,0,B,B'].join('\n');
      const body = await rejected(t, () => csvUpload(csv), 400);
      expect(body.errors).toEqual([{ row: 0, message: 'duplicate column names: "race"' }]);
    });

    it('an empty file is refused', async () => {
      const body = await rejected(t, () => csvUpload(''), 400);
      expect(body.detail).toMatch(/empty file/);
    });

    it('a header without rows is refused', async () => {
      const body = await rejected(t, () => csvUpload(`${GOOD_HEADER}\n`), 400);
      expect(body.detail).toBe('no data rows');
    });

    it('a field of megabytes is a 413 naming the row and column', async () => {
      const csv = [GOOD_HEADER, GOOD_ROWS[0], `P2,0,0,0.2,${'x'.repeat(3 * 1024 * 1024)}`].join('\n');
      const body = await rejected(t, () => csvUpload(csv), 413);
      expect(body.errors).toEqual([
        { row: 2, column: 'race', message: expect.stringMatching(/larger than 65536 bytes/) },
      ]);
    });
  });

  describe('values', () => {
    it('a mapped column missing from the file names it and the config field', async () => {
      const body = await rejected(t, () => csvUpload(GOOD_CSV, { sensitiveAttributes: ['ethnicity'] }), 400);
      expect(body.errors).toEqual([
        { field: 'config.sensitiveAttributes', column: 'ethnicity', message: 'column "ethnicity" not found' },
      ]);
      expect(body.detail).toContain('Available columns: "patient_id", "y_true", "y_pred", "score", "race"');
    });

    it('a non-binary label names the row and column', async () => {
      const csv = [GOOD_HEADER, GOOD_ROWS[0], GOOD_ROWS[1], 'P3,2,0,0.4,A'].join('\n');
      const body = await rejected(t, () => csvUpload(csv), 400);
      expect(body.errors).toEqual([
        { row: 3, column: 'y_true', message: expect.stringMatching(/is not binary/) },
      ]);
    });

    it.each(['abc', 'NaN', 'Infinity', '1e999'])(
      'a non-finite score %p names the row and column',
      async (score) => {
        const csv = [GOOD_HEADER, GOOD_ROWS[0], `P2,0,0,${score},B`].join('\n');
        const body = await rejected(t, () => csvUpload(csv), 400);
        expect(body.errors).toEqual([
          { row: 2, column: 'score', message: expect.stringMatching(/not a finite number/) },
        ]);
      },
    );

    it('a free-text column mapped as an attribute (300 distinct ids) is refused at the 201st value', async () => {
      const rows = Array.from({ length: 300 }, (_, i) => `P${i},${i % 2},${i % 3 === 0 ? 1 : 0},0.5,A`);
      const body = await rejected(
        t,
        () => csvUpload([GOOD_HEADER, ...rows].join('\n'), { sensitiveAttributes: ['patient_id'] }),
        400,
      );
      // MAX_GROUPS_PER_ATTRIBUTE defaults to 200: row 201 brings the 201st distinct id.
      expect(body.errors).toEqual([
        { row: 201, column: 'patient_id', message: expect.stringMatching(/more than 200 distinct values/) },
      ]);
    });

    it('every row invalid under "skip" is still refused: nothing left to audit', async () => {
      const csv = [GOOD_HEADER, 'P1,,1,0.9,A', 'P2,,0,0.2,B'].join('\n');
      const body = await rejected(t, () => csvUpload(csv, { ...CONFIG, onInvalidRow: 'skip' }), 400);
      expect(body.detail).toBe('no valid data rows: all 2 rows were skipped');
    });
  });

  describe('config', () => {
    it('invalid fields are all listed', async () => {
      const body = await rejected(
        t,
        () =>
          csvUpload(GOOD_CSV, {
            sensitiveAttributes: ['race'],
            threshold: 'high',
            favorableOutcome: 'maybe',
            minGroupSize: 0,
          }),
        400,
      );
      expect((body.errors as Json[]).map((e) => e.field).sort()).toEqual([
        'config.favorableOutcome',
        'config.minGroupSize',
        'config.threshold',
      ]);
    });

    it('unknown fields are named', async () => {
      const body = await rejected(
        t,
        () =>
          csvUpload(GOOD_CSV, {
            sensitiveAttributes: ['race'],
            sensitive_attributes: ['race'],
          }),
        400,
      );
      expect(body.errors).toEqual([{ field: 'config.sensitive_attributes', message: 'unknown field' }]);
    });

    it('a config that is not JSON is refused', async () => {
      const body = await rejected(t, () => csvUpload(GOOD_CSV, '{sensitiveAttributes:'), 400);
      expect(body.errors).toEqual([{ field: 'config', message: 'is not valid JSON' }]);
    });

    it('a missing config or file part is named', async () => {
      const noConfig = await rejected(
        t,
        () => submit(t, modelId).attach('file', Buffer.from(GOOD_HEADER), 'a.csv'),
        400,
      );
      expect(noConfig.errors[0].field).toBe('config');
      const noFile = await rejected(t, () => submit(t, modelId).field('config', JSON.stringify(CONFIG)), 400);
      expect(noFile.errors[0].field).toBe('file');
    });

    it('an unexpected part is named', async () => {
      const body = await rejected(
        t,
        () =>
          submit(t, modelId)
            .field('config', JSON.stringify(CONFIG))
            .field('comment', 'hello')
            .attach('file', Buffer.from(GOOD_CSV), 'a.csv'),
        400,
      );
      expect(body.detail).toMatch(/"comment"|Too many fields/);
    });

    it('an explicit reference group that does not exist is refused', async () => {
      const body = await rejected(
        t,
        () =>
          csvUpload(GOOD_CSV, {
            sensitiveAttributes: ['race'],
            reference: { strategy: 'explicit', groups: { race: 'Z' } },
          }),
        400,
      );
      expect(body.detail).toBe('Reference group race=Z does not exist in the data');
    });
  });

  describe('JSON bodies', () => {
    it('columns of unequal length are refused', async () => {
      const body = await rejected(
        t,
        () =>
          jsonUpload({
            config: CONFIG,
            columns: { y_true: [1, 0, 1], y_pred: [1, 0], race: ['A', 'B', 'A'] },
          }),
        400,
      );
      expect(body.errors).toEqual([
        {
          field: 'columns',
          message: 'columns have different lengths: "y_true" (3), "y_pred" (2), "race" (3)',
        },
      ]);
    });

    it('malformed JSON is a 400 with the position, never quoting the content', async () => {
      // `[1 2]`: line 1 is 45 characters + newline; the "2" is the 16th character of line 2, the 62nd of the body.
      const text = '{"config": {"sensitiveAttributes": ["race"]},\n "records": [1 2]}';
      const body = await rejected(t, () => jsonUpload(text), 400);
      expect(body.detail).toBe('The request body is not valid JSON (line 2, column 16, character 62).');
      const secret = await rejected(t, () => jsonUpload('{"config": {}, "records": [SECRET-VALUE'), 400);
      expect(secret.detail).toBe('The request body is not valid JSON (an unexpected character or word).');
      const cut = await rejected(t, () => jsonUpload('{"config": {}, "records": ['), 400);
      expect(cut.detail).toBe('The request body is not valid JSON (it ends too early).');
    });

    it('a record that is not an object names the record', async () => {
      const body = await rejected(
        t,
        () => jsonUpload({ config: CONFIG, records: [{ y_true: 1, y_pred: 1, race: 'A' }, 5] }),
        400,
      );
      expect(body.errors).toEqual([{ row: 2, message: 'record 2 is not a JSON object' }]);
    });

    it('a non-binary label in a record names the record and column', async () => {
      const records = [
        { y_true: 1, y_pred: 1, race: 'A' },
        { y_true: 'yes', y_pred: 0, race: 'B' },
      ];
      const body = await rejected(t, () => jsonUpload({ config: CONFIG, records }), 400);
      expect(body.errors).toEqual([
        { row: 2, column: 'y_true', message: expect.stringMatching(/^record 2, column "y_true"/) },
      ]);
    });

    it('unknown top-level fields, and both or neither of records/columns, are refused', async () => {
      const extra = await rejected(t, () => jsonUpload({ config: CONFIG, records: [], rows: [] }), 400);
      expect(extra.errors).toEqual([{ field: 'rows', message: 'unknown field' }]);
      const both = await rejected(t, () => jsonUpload({ config: CONFIG, records: [], columns: {} }), 400);
      expect(both.errors[0].field).toBe('records');
      const neither = await rejected(t, () => jsonUpload({ config: CONFIG }), 400);
      expect(neither.errors[0].field).toBe('records');
      const noConfig = await rejected(t, () => jsonUpload({ records: [] }), 400);
      expect(noConfig.errors[0].field).toBe('config');
    });
  });

  describe('media types', () => {
    it('a wrong content type is a 415 naming the accepted types', async () => {
      const body = await rejected(
        t,
        () => submit(t, modelId).set('Content-Type', 'text/csv').send(GOOD_CSV),
        415,
      );
      expect(body.detail).toContain('multipart/form-data');
      expect(body.detail).toContain('application/json');
      expect(body.detail).toContain('"text/csv"');
    });

    it('a compressed body is a 415', async () => {
      const body = await rejected(
        t,
        () =>
          submit(t, modelId)
            .set('Content-Type', 'application/json')
            .set('Content-Encoding', 'gzip')
            .send('{}'),
        415,
      );
      expect(body.errors[0].field).toBe('Content-Encoding');
    });

    it('a multipart body without a boundary is a 400', async () => {
      await rejected(t, () => submit(t, modelId).set('Content-Type', 'multipart/form-data').send('x'), 400);
    });
  });
});

describe('audits: a client that goes away mid-upload', () => {
  let t: TestApp;
  let modelId: string;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as { port: number }).port;
    modelId = await createModel(t, 'aborts');
  });
  afterAll(() => t.close());

  const spooled = () => readdirSync(t.app.get(UploadSpoolService).directory ?? '/nonexistent');

  it.each([
    ['config first (streamed)', true],
    ['file first (spooled to disk)', false],
  ])(
    '%s: stores nothing, leaves no temporary file, and the server carries on',
    async (_name, configFirst) => {
      const before = await counts(t);
      const boundary = 'abort-boundary';
      const config = `--${boundary}\r\nContent-Disposition: form-data; name="config"\r\n\r\n${JSON.stringify(CONFIG)}\r\n`;
      const fileHead = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n`;
      const rows = Array.from({ length: 20_000 }, (_, i) => `P${i},${i % 2},1,0.5,A`).join('\n');
      const partial = (configFirst ? config + fileHead : fileHead) + `${GOOD_HEADER}\n${rows}`;
      await new Promise<void>((resolve) => {
        const req = http.request({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/v1/models/${modelId}/audits`,
          headers: {
            Authorization: t.auth().Authorization,
            'Content-Type': `multipart/form-data; boundary=${boundary}`,
            'Content-Length': Buffer.byteLength(partial) * 2, // promises more than it sends
          },
        });
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        req.write(partial, () => setTimeout(() => req.destroy(), 200));
      });
      // The server notices the closed connection; wait for it to clean up.
      for (let i = 0; i < 50 && spooled().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(spooled()).toEqual([]);
      expect(await counts(t)).toEqual(before);
      await t.http.get('/health').expect(200);
      await submit(t, modelId)
        .field('config', JSON.stringify(CONFIG))
        .attach('file', Buffer.from(GOOD_CSV), 'a.csv')
        .expect(201);
    },
  );
});

describe('audits: upload size limit (MAX_UPLOAD_SIZE=64kb)', () => {
  let t: TestApp;
  let modelId: string;

  beforeAll(async () => {
    t = await startTestApp({ MAX_UPLOAD_SIZE: '64kb' });
    modelId = await createModel(t, 'small-limit');
  });
  afterAll(() => t.close());

  /** Rows of 21 bytes: 4000 rows ≈ 84 KB, over 64 KiB; 2000 rows ≈ 42 KB, under. */
  const csv = (rows: number) =>
    [
      GOOD_HEADER,
      ...Array.from({ length: rows }, (_, i) => `P${String(i).padStart(5, '0')},${i % 2},1,0.5,A`),
    ].join('\n');

  it('accepts a file under the limit', async () => {
    expect(Buffer.byteLength(csv(2000))).toBeLessThan(64 * 1024);
    const res = await submit(t, modelId)
      .field('config', JSON.stringify(CONFIG))
      .attach('file', Buffer.from(csv(2000)), 'a.csv')
      .expect(201);
    expect(res.body.rowCount).toBe(2000);
  });

  it('refuses a CSV file over the limit with a 413', async () => {
    expect(Buffer.byteLength(csv(4000))).toBeGreaterThan(64 * 1024);
    const body = await rejected(
      t,
      () =>
        submit(t, modelId)
          .field('config', JSON.stringify(CONFIG))
          .attach('file', Buffer.from(csv(4000)), 'a.csv'),
      413,
    );
    expect(body.detail).toBe('The upload is larger than the limit of 64 KiB (65536 bytes).');
  });

  it('refuses an oversized file also when it comes before the config', async () => {
    await rejected(
      t,
      () =>
        submit(t, modelId)
          .attach('file', Buffer.from(csv(4000)), 'a.csv')
          .field('config', JSON.stringify(CONFIG)),
      413,
    );
  });

  it('does not apply to JSON bodies, which have their own limit', async () => {
    const ids = Array.from({ length: 8000 }, (_, i) => `A${i % 2}`);
    const body = {
      config: CONFIG,
      columns: { y_true: ids.map((_, i) => i % 2), y_pred: ids.map(() => 1), race: ids },
    };
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(64 * 1024);
    await submit(t, modelId).send(body).expect(201);
  });
});

describe('audits: JSON upload limit (FAIRWATCH_MAX_JSON_UPLOAD_BYTES=32kb)', () => {
  let t: TestApp;
  let modelId: string;

  beforeAll(async () => {
    t = await startTestApp({ FAIRWATCH_MAX_JSON_UPLOAD_BYTES: '32kb' });
    modelId = await createModel(t, 'json-limit');
  });
  afterAll(() => t.close());

  /** A {config, columns} body of `n` rows: 3000 rows ≈ 26 KB, 5000 rows ≈ 43 KB. */
  const body = (n: number): string => {
    const rows = Array.from({ length: n }, (_, i) => i);
    return JSON.stringify({
      config: CONFIG,
      columns: {
        y_true: rows.map((i) => i % 2),
        y_pred: rows.map((i) => (i >> 1) % 2),
        race: rows.map((i) => `G${i % 3}`),
      },
    });
  };

  it('accepts a JSON body under the limit', async () => {
    expect(Buffer.byteLength(body(3000))).toBeLessThan(32 * 1024);
    const res = await submit(t, modelId).set('Content-Type', 'application/json').send(body(3000)).expect(201);
    expect(res.body.rowCount).toBe(3000);
  });

  it('refuses one over the limit with a 413 that points to the streamed CSV upload', async () => {
    expect(Buffer.byteLength(body(5000))).toBeGreaterThan(32 * 1024);
    const problem = await rejected(
      t,
      () => submit(t, modelId).set('Content-Type', 'application/json').send(body(5000)),
      413,
    );
    expect(problem.detail).toMatch(
      /^The JSON body is larger than the limit of 32 KiB \(32768 bytes, FAIRWATCH_MAX_JSON_UPLOAD_BYTES\)/,
    );
    expect(problem.detail).toContain('multipart/form-data with a CSV "file" part');
  });

  it('also without a Content-Length (chunked), by counting', async () => {
    const before = await counts(t);
    const status = await new Promise<number>((resolve, reject) => {
      const addr = t.app.getHttpServer().address() as { port: number } | null;
      const send = (port: number) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: `/v1/models/${modelId}/audits`,
            headers: { ...t.auth(), 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        const text = body(5000);
        for (let i = 0; i < text.length; i += 4096) req.write(text.slice(i, i + 4096));
        req.end();
      };
      if (addr) send(addr.port);
      else
        void t.app
          .listen(0, '127.0.0.1')
          .then(() => send((t.app.getHttpServer().address() as { port: number }).port));
    });
    expect(status).toBe(413);
    expect(await counts(t)).toEqual(before);
  });

  it('does not apply to a CSV upload of the same size', async () => {
    const csv = [GOOD_HEADER, ...Array.from({ length: 2500 }, (_, i) => `P${i},${i % 2},1,0.5,A`)].join('\n');
    expect(Buffer.byteLength(csv)).toBeGreaterThan(32 * 1024);
    await submit(t, modelId)
      .field('config', JSON.stringify(CONFIG))
      .attach('file', Buffer.from(csv), 'a.csv')
      .expect(201);
  });
});
