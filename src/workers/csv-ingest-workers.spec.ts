import { join } from 'node:path';
import { DomainError } from '../core/errors';
import {
  createCsvIngestor,
  parseAuditConfig,
  type AuditConfig,
  type CsvIngestor,
  type IngestOutcome,
} from '../core/ingest';
import { mulberry32 } from '../core/stats';
import type { WorkerExit } from './compute-pool';
import { CsvIngestWorkers, PACED_BACKLOG_BYTES, type PacedReleasableCsvIngestor } from './csv-ingest-workers';

const DYING_ENTRY = join(__dirname, '../../test/fixtures/dying-ingest-worker.ts');
const LIMITS = { maxRows: 1_000_000, maxFieldBytes: 65_536, maxGroupsPerAttribute: 200, maxAttributes: 16 };
const CONFIG = parseAuditConfig({
  labelColumn: 'y_true',
  predictionColumn: 'y_pred',
  scoreColumn: 'score',
  sensitiveAttributes: ['race', 'sex'],
});

/**
 * A seeded CSV: an unmapped id and a quoted free-text column (with commas, doubled quotes and newlines, so
 * chunk boundaries fall inside quoted fields), CRLF line ends; `bad` replaces that row's score with "abc".
 */
function seededCsv(rows: number, seed: number, bad?: number): Uint8Array {
  const random = mulberry32(seed);
  const races = ['Black', 'White', 'Asian', 'Hispanic'];
  const lines = ['id,y_true,y_pred,score,race,sex,note'];
  for (let i = 1; i <= rows; i++) {
    const score = Math.round(random() * 1000) / 1000;
    const note = random() < 0.1 ? '"said ""no"", then\nleft"' : `visit ${i % 13}`;
    lines.push(
      [
        `P${i}`,
        random() < score ? 1 : 0,
        score >= 0.5 ? 1 : 0,
        i === bad ? 'abc' : score,
        races[Math.floor(random() * races.length)],
        random() < 0.5 ? 'F' : 'M',
        note,
      ].join(','),
    );
  }
  return new TextEncoder().encode(lines.join('\r\n') + '\r\n');
}

/** Writes `bytes` in chunks of 7919 bytes (a prime: boundaries fall anywhere), then ends. */
function ingest(ingestor: CsvIngestor, bytes: Uint8Array): IngestOutcome {
  for (let p = 0; p < bytes.length; p += 7919) ingestor.write(bytes.subarray(p, p + 7919));
  return ingestor.end();
}

/** As a paced reader writes: each chunk, then a pause while drained() is pending; finish() for the outcome. */
async function ingestPaced(ingestor: PacedReleasableCsvIngestor, bytes: Uint8Array): Promise<IngestOutcome> {
  for (let p = 0; p < bytes.length; p += 7919) {
    ingestor.write(bytes.subarray(p, p + 7919));
    await ingestor.drained();
  }
  return ingestor.finish();
}

function caught(work: () => unknown): unknown {
  try {
    work();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('CsvIngestWorkers', () => {
  const pools: CsvIngestWorkers[] = [];
  async function warmPool(size: number, entry?: string, onWorkerExit?: (e: WorkerExit) => void) {
    const pool = new CsvIngestWorkers({
      size,
      ...(entry && { entry }),
      ...(onWorkerExit && { onWorkerExit }),
    });
    pools.push(pool);
    await pool.warmUp();
    return pool;
  }
  afterAll(() => Promise.all(pools.map((p) => p.close())));

  it.each<[string, AuditConfig]>([
    ['reject', CONFIG],
    ['skip', { ...CONFIG, onInvalidRow: 'skip' }],
  ])(
    'parses in a worker exactly what the in-thread ingestor parses (onInvalidRow %s)',
    async (mode, config) => {
      const pool = await warmPool(1);
      const csv = seededCsv(30_000, 1, mode === 'skip' ? 77 : undefined);
      const expected = ingest(createCsvIngestor(config, LIMITS), csv);
      const ingestor = pool.start(config, LIMITS);
      expect(ingestor).not.toBeNull();
      const outcome = ingest(ingestor!, csv);
      expect(outcome).toStrictEqual(expected);
      expect(outcome.rowCount).toBe(mode === 'skip' ? 29_999 : 30_000);
      expect(pool.idleCount).toBe(1); // given back after end()
    },
  );

  it('parses a regression upload in a worker exactly as in-thread: targets, predictions, the bad row', async () => {
    const pool = await warmPool(1);
    const regression = parseAuditConfig({
      task: 'regression',
      targetColumn: 'score',
      predictionColumn: 'y_pred',
      sensitiveAttributes: ['race', 'sex'],
    });
    const csv = seededCsv(30_000, 3);
    const expected = ingest(createCsvIngestor(regression, LIMITS), csv);
    const outcome = ingest(pool.start(regression, LIMITS)!, csv);
    expect(outcome).toStrictEqual(expected);
    expect([outcome.batch.targets?.length, outcome.batch.predictedValues?.length]).toEqual([30_000, 30_000]);
    const bad = seededCsv(2_000, 2, 1_500);
    const inThread = caught(() => ingest(createCsvIngestor(regression, LIMITS), bad)) as DomainError;
    expect(inThread.errors[0]).toMatchObject({ row: 1_500, column: 'score' });
    expect(inThread.errors[0]?.message).toMatch(/target "abc" is not a finite number$/);
    const failed = caught(() => ingest(pool.start(regression, LIMITS)!, bad)) as DomainError;
    expect(failed.errors).toStrictEqual(inThread.errors);
  });

  it('copies each chunk: the reader may reuse its buffer, which stays usable (Buffer views in, as busboy sends)', async () => {
    const pool = await warmPool(1);
    const csv = seededCsv(5_000, 7);
    const expected = ingest(createCsvIngestor(CONFIG, LIMITS), csv);
    const ingestor = pool.start(CONFIG, LIMITS)!;
    const reused = Buffer.alloc(16 * 1024);
    for (let p = 0; p < csv.length; p += 4096) {
      const part = csv.subarray(p, p + 4096);
      reused.set(part, 1000);
      ingestor.write(reused.subarray(1000, 1000 + part.length)); // a view into a larger buffer
      reused.fill(0x2c); // the reader overwrites it at once
    }
    expect(reused.length).toBe(16 * 1024); // not detached by a transfer
    expect(ingestor.end()).toStrictEqual(expected);
  });

  it('answers a bad row with the same DomainError (row, column, message) as in-thread', async () => {
    const pool = await warmPool(1);
    const csv = seededCsv(2_000, 2, 1_500);
    const expected = caught(() => ingest(createCsvIngestor(CONFIG, LIMITS), csv)) as DomainError;
    expect(expected).toBeInstanceOf(DomainError);
    expect(expected.errors[0]).toMatchObject({ row: 1_500, column: 'score' });
    const failed = caught(() => ingest(pool.start(CONFIG, LIMITS)!, csv));
    expect(failed).toBeInstanceOf(DomainError);
    const { code, message, errors } = failed as DomainError;
    expect({ code, message, errors }).toStrictEqual({
      code: expected.code,
      message: expected.message,
      errors: expected.errors,
    });
    expect(pool.idleCount).toBe(1);
  });

  it('throws an early bad row from a later write, before the upload ends', async () => {
    const pool = await warmPool(1);
    const csv = seededCsv(20_000, 3, 10);
    const ingestor = pool.start(CONFIG, LIMITS)!;
    ingestor.write(csv.subarray(0, 4096)); // holds row 10
    let thrown: unknown;
    for (let p = 4096; p < csv.length && thrown === undefined; p += 4096) {
      await new Promise((r) => setTimeout(r, 5)); // the worker parses meanwhile
      try {
        ingestor.write(csv.subarray(p, p + 4096));
      } catch (err) {
        thrown = err;
      }
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).errors[0]).toMatchObject({ row: 10, column: 'score' });
    expect(pool.idleCount).toBe(1);
  });

  it('finish() gives the same outcome as end() and lets the event loop run while the worker catches up', async () => {
    const pool = await warmPool(1);
    const csv = seededCsv(150_000, 8); // ~6 MB written at once: the worker is far behind when finish() is asked
    const expected = ingest(createCsvIngestor(CONFIG, LIMITS), csv);
    const ingestor = pool.start(CONFIG, LIMITS)!;
    for (let p = 0; p < csv.length; p += 65_536) ingestor.write(csv.subarray(p, p + 65_536));
    let turns = 0;
    const tick = setInterval(() => turns++, 0);
    try {
      const outcome = await ingestor.finish();
      expect(outcome).toStrictEqual(expected);
    } finally {
      clearInterval(tick);
    }
    expect(turns).toBeGreaterThan(0); // end() would have held the thread: no timer could have run
    expect(pool.idleCount).toBe(1);
  });

  it('asks a paced reader to pause past its backlog limit and lets it go on once the worker caught up', async () => {
    const pool = await warmPool(1);
    const csv = seededCsv(600_000, 9); // ~24 MB, written faster than the worker parses
    expect(csv.length).toBeGreaterThan(2 * PACED_BACKLOG_BYTES);
    const ingestor = pool.start(CONFIG, LIMITS)!;
    const chunk = 1024 * 1024;
    const pauses: (Promise<void> | null)[] = [];
    for (let p = 0; p < csv.length; p += chunk) {
      ingestor.write(csv.subarray(p, p + chunk));
      pauses.push(ingestor.drained());
    }
    expect(pauses[0]).toBeNull(); // 1 MB behind: go on
    expect(pauses.at(-1)).not.toBeNull(); // written at once, more than the limit waits
    await Promise.all(pauses.filter((p) => p !== null));
    expect(ingestor.drained()).toBeNull();
    expect(await ingestor.finish()).toStrictEqual(ingest(createCsvIngestor(CONFIG, LIMITS), csv));
  });

  it('rejects finish() and drained() with the bad row, as end() throws it', async () => {
    const pool = await warmPool(1);
    const late = seededCsv(3_000, 10, 2_900);
    const expected = caught(() => ingest(createCsvIngestor(CONFIG, LIMITS), late)) as DomainError;
    const failed = await ingestPaced(pool.start(CONFIG, LIMITS)!, late).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(DomainError);
    expect((failed as DomainError).errors).toStrictEqual(expected.errors);
    expect(pool.idleCount).toBe(1);

    // Row 5 is bad and the rest keeps the backlog over the limit: the error surfaces from the next write()
    // once the worker has reported it, else from the pending drained().
    const early = seededCsv(600_000, 11, 5);
    const ingestor = pool.start(CONFIG, LIMITS)!;
    let surfaced: unknown;
    try {
      for (let p = 0; p < early.length; p += 1024 * 1024) ingestor.write(early.subarray(p, p + 1024 * 1024));
      const paused = ingestor.drained();
      expect(paused).not.toBeNull();
      surfaced = await paused!.catch((e: unknown) => e);
    } catch (err) {
      surfaced = err;
    }
    expect(surfaced).toBeInstanceOf(DomainError);
    expect((surfaced as DomainError).errors[0]).toMatchObject({ row: 5, column: 'score' });
  });

  it('lends each worker to one upload at a time; none free means null (parse in-thread)', async () => {
    const pool = await warmPool(1);
    const first = pool.start(CONFIG, LIMITS);
    expect(first).not.toBeNull();
    expect(pool.start(CONFIG, LIMITS)).toBeNull();
    // released before its end (the upload failed elsewhere): the worker drops it and serves the next upload
    first!.write(seededCsv(500, 4).subarray(0, 3000));
    first!.release();
    const csv = seededCsv(3_000, 5);
    const next = pool.start(CONFIG, LIMITS);
    expect(next).not.toBeNull();
    expect(ingest(next!, csv)).toStrictEqual(ingest(createCsvIngestor(CONFIG, LIMITS), csv));
  });

  it('never uses a worker with size 0', async () => {
    const pool = await warmPool(0);
    expect(pool.start(CONFIG, LIMITS)).toBeNull();
    expect(pool.workerCount).toBe(0);
  });

  it('fails the upload of a worker that dies, and starts a new worker for later uploads', async () => {
    const exits: WorkerExit[] = [];
    const pool = await warmPool(1, DYING_ENTRY, (e) => exits.push(e));
    const ingestor = pool.start(CONFIG, LIMITS)!; // the fixture exits on its first upload
    ingestor.write(seededCsv(100, 6));
    for (let i = 0; i < 200 && exits.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(exits).toEqual([expect.objectContaining({ exitCode: 3 })]);
    expect(() => ingestor.write(seededCsv(100, 6))).toThrow(/CSV ingest worker stopped \(exit code 3\)/);
    expect(pool.workerCount).toBe(0);
    expect(pool.start(CONFIG, LIMITS)).toBeNull(); // meanwhile parse in-thread; a new worker is starting
    expect(pool.workerCount).toBe(1);
  });
});
