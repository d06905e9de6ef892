/**
 * Uploads parsed and computed in worker threads answer exactly as in-thread: the same app twice, once with the
 * workers warmed up (the defaults) and once with INGEST_WORKERS=0 COMPUTE_WORKERS=0, fed the same uploads.
 */
import { mulberry32 } from '../src/core/stats';
import { ComputeService } from '../src/modules/compute/compute.service';
import { CsvIngestWorkers } from '../src/workers/csv-ingest-workers';
import { startTestApp, type TestApp } from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON response bodies */
type Json = Record<string, any>;

/** A seeded CSV with a quoted free-text column; `bad` puts "abc" in that row's score. */
function csv(rows: number, seed: number, bad?: number): Buffer {
  const random = mulberry32(seed);
  const lines = ['id,y_true,y_pred,score,race,sex,note'];
  for (let i = 1; i <= rows; i++) {
    const race = Math.floor(random() * 4);
    const score = Math.round((0.2 + 0.15 * race + 0.4 * random()) * 1000) / 1000;
    lines.push(
      `P${i},${random() < score ? 1 : 0},${score >= 0.5 ? 1 : 0},${i === bad ? 'abc' : score},` +
        `${['A', 'B', 'C', 'D'][race]},${random() < 0.5 ? 'F' : 'M'},"note ""${i % 7}"", ok"`,
    );
  }
  return Buffer.from(lines.join('\n') + '\n');
}

const CONFIG = { sensitiveAttributes: ['race', 'sex'], intersections: [['race', 'sex']] };

describe('uploads in worker threads (e2e)', () => {
  let workers: TestApp;
  let inThread: TestApp;
  const ingestStarts = jest.spyOn(CsvIngestWorkers.prototype, 'start');

  beforeAll(async () => {
    workers = await startTestApp();
    await workers.app.get(ComputeService).warmUp();
    inThread = await startTestApp({ INGEST_WORKERS: '0', COMPUTE_WORKERS: '0' });
  });
  afterAll(async () => {
    ingestStarts.mockRestore();
    await Promise.all([workers.close(), inThread.close()]);
  });

  let models = 0;
  async function upload(t: TestApp, file: Buffer, config: Json = CONFIG) {
    const name = `m${++models}`;
    const model = await t.http.post('/v1/models').set(t.auth()).send({ name, version: '1' }).expect(201);
    return t.http
      .post(`/v1/models/${model.body.id as string}/audits`)
      .set(t.auth())
      .field('config', JSON.stringify(config))
      .attach('file', file, 'audit.csv');
  }

  it('stores the same audit and metrics', async () => {
    const file = csv(20_000, 1);
    ingestStarts.mockClear();
    const a = await upload(workers, file);
    expect(ingestStarts.mock.results.some((r) => r.value !== null)).toBe(true); // parsed in a worker
    const b = await upload(inThread, file);
    expect([a.status, b.status]).toEqual([201, 201]);
    const pick = (body: Json) => ({
      rowCount: body.rowCount,
      dataSha256: body.dataSha256,
      summary: body.summary,
    });
    expect(pick(a.body as Json)).toStrictEqual(pick(b.body as Json));
    expect((a.body as Json).rowCount).toBe(20_000);
    const metrics = async (t: TestApp, id: string) =>
      (await t.http.get(`/v1/audits/${id}/metrics`).set(t.auth()).expect(200)).body as Json;
    const [ma, mb] = [
      await metrics(workers, (a.body as Json).id as string),
      await metrics(inThread, (b.body as Json).id as string),
    ];
    expect({ ...ma, auditId: null }).toStrictEqual({ ...mb, auditId: null });
  });

  it.each<[string, Buffer, Json, number, Json]>([
    [
      'a bad score found while parsing',
      csv(5_000, 2, 4_321),
      CONFIG,
      400,
      { errors: [expect.objectContaining({ row: 4_321, column: 'score' })] },
    ],
    [
      'a reference group missing from the data, found while computing',
      csv(2_000, 3),
      { sensitiveAttributes: ['race'], reference: { strategy: 'explicit', groups: { race: 'Z' } } },
      400,
      { detail: 'Reference group race=Z does not exist in the data' },
    ],
  ])('answers %s with the same problem document', async (_, file, config, status, expected) => {
    const a = await upload(workers, file, config);
    const b = await upload(inThread, file, config);
    expect([a.status, b.status]).toEqual([status, status]);
    expect(a.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = (body: Json) => ({ ...body, requestId: undefined });
    expect(problem(a.body as Json)).toStrictEqual(problem(b.body as Json));
    expect(a.body).toMatchObject(expected);
  });

  it('keeps parsing in workers after a failed upload (the worker is given back)', async () => {
    expect((await upload(workers, csv(3_000, 4, 10))).status).toBe(400);
    ingestStarts.mockClear();
    expect((await upload(workers, csv(3_000, 5))).status).toBe(201);
    expect(ingestStarts.mock.results.some((r) => r.value !== null)).toBe(true);
  });
});
