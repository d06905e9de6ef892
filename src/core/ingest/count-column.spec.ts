import { DomainError } from '../errors';
import { AuditConfig, parseAuditConfig } from './audit-config';
import { IngestOutcome } from './batch-builder';
import { decodeBatch, encodeBatch } from './batch-codec';
import { createCsvIngestor } from './csv-ingestor';
import { ingestJsonColumns, ingestJsonRecords } from './json-ingestor';

/** config.countColumn at ingest: every front end reads the same counts and refuses the same bad ones. */
const enc = new TextEncoder();

function config(extra: Record<string, unknown> = {}): AuditConfig {
  return parseAuditConfig({ sensitiveAttributes: ['race'], countColumn: 'n', ...extra });
}

function csv(text: string, cfg = config()): IngestOutcome {
  const ingestor = createCsvIngestor(cfg);
  ingestor.write(enc.encode(text));
  return ingestor.end();
}

function failure(run: () => unknown): DomainError {
  try {
    run();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

const TABLE = 'y_true,y_pred,n,race\n1,1,3,A\n0,1,0,C\n0,0,2.00,B\n1,0,+7,A\n';

describe('countColumn ingest', () => {
  it('reads a cell table: counts as numbers, rowCount = people, cellCount = rows kept, 0-count rows not stored', () => {
    const out = csv(TABLE);
    expect(Array.from(out.batch.counts ?? [])).toEqual([3, 2, 7]);
    expect(out.batch.rowCount).toBe(3);
    expect(out.rowCount).toBe(12); // 3 + 0 + 2 + 7 people
    expect(out.cellCount).toBe(4); // the 0-count row was uploaded and valid, it just holds nobody
    expect(out.columnsUsed.count).toBe('n');
    // "C" appears only in the 0-count row: the expanded rows have no such group.
    expect(out.batch.attributes[0]?.levels).toEqual(['A', 'B']);
    expect(Array.from(out.batch.labels ?? [])).toEqual([1, 0, 1]);
  });

  it('gives the same batch from JSON records and JSON columns (numbers, strings, whole floats)', () => {
    const records = [
      { y_true: 1, y_pred: 1, n: 3, race: 'A' },
      { y_true: 0, y_pred: 1, n: 0, race: 'C' },
      { y_true: 0, y_pred: 0, n: 2.0, race: 'B' },
      { y_true: 1, y_pred: 0, n: '7', race: 'A' },
    ];
    const fromCsv = csv(TABLE);
    const fromRecords = ingestJsonRecords({ records }, config());
    const columns = Object.fromEntries(
      Object.keys(records[0]!).map((k) => [k, records.map((r) => r[k as keyof (typeof records)[0]])]),
    );
    const fromColumns = ingestJsonColumns({ columns }, config());
    for (const out of [fromRecords, fromColumns]) {
      expect(out.batch).toEqual(fromCsv.batch);
      expect(out.rowCount).toBe(12);
      expect(out.cellCount).toBe(4);
    }
  });

  it('reads counts written as 64-bit integers (Parquet INT64 arrives as bigint)', () => {
    const out = ingestJsonColumns(
      { columns: { y_pred: [1, 0], n: [5n, 2147483642n], race: ['A', 'B'] } },
      config({ labelColumn: null }),
    );
    expect(Array.from(out.batch.counts ?? [])).toEqual([5, 2147483642]);
  });

  it.each([
    ['-1', 'count "-1" is not a whole number ≥ 0'],
    ['2.5', 'count "2.5" is not a whole number ≥ 0'],
    ['x', 'count "x" is not a whole number ≥ 0'],
    ['1e3', 'count "1e3" is not a whole number ≥ 0'],
    ['3.01', 'count "3.01" is not a whole number ≥ 0'],
    ['', 'missing count'],
    ['9007199254740992', 'count "9007199254740992" is larger than 2^53 − 1'],
  ])('refuses the count %p with a 400 naming row and column', (value, message) => {
    const err = failure(() => csv(`y_pred,n,race\n1,4,A\n1,${value},B\n`));
    expect(err.code).toBe('invalid_input');
    expect(err.errors).toEqual([{ row: 2, column: 'n', message: `row 2 (line 3), column "n": ${message}` }]);
  });

  it('refuses bad counts in JSON too, naming the record and column', () => {
    for (const n of [-1, 2.5, 'x', null, true]) {
      const err = failure(() =>
        ingestJsonRecords(
          {
            records: [
              { y_pred: 1, n: 1, race: 'A' },
              { y_pred: 1, n, race: 'A' },
            ],
          },
          config(),
        ),
      );
      expect(err.errors[0]).toMatchObject({ row: 2, column: 'n' });
    }
  });

  it('skips a bad count under onInvalidRow "skip" and counts the row as skipped', () => {
    const out = csv('y_pred,n,race\n1,4,A\n1,-2,B\n0,1,B\n', config({ onInvalidRow: 'skip' }));
    expect(out.skippedRows).toBe(1);
    expect(out.firstSkippedRows).toEqual([2]);
    expect(out.rowCount).toBe(5);
    expect(out.cellCount).toBe(2);
  });

  it('refuses a table whose counts are all 0, and one whose counts add up past the 32-bit rowCount', () => {
    expect(failure(() => csv('y_pred,n,race\n1,0,A\n')).message).toMatch(/no people to audit/);
    const err = failure(() => csv('y_pred,n,race\n1,2147483647,A\n1,1,B\n'));
    expect(err.errors[0]).toMatchObject({ row: 2, column: 'n' });
    expect(csv('y_pred,n,race\n1,2147483646,A\n1,1,B\n').rowCount).toBe(2147483647);
  });

  it('refuses a countColumn the upload does not have', () => {
    const err = failure(() => csv('y_pred,race\n1,A\n'));
    expect(err.errors[0]).toMatchObject({ field: 'config.countColumn', column: 'n' });
  });

  it('stores the counts with the batch, and an old blob without them still decodes', () => {
    const { batch } = csv(TABLE);
    expect(decodeBatch(encodeBatch(batch))).toEqual(batch);
    const { counts: _counts, ...withoutCounts } = batch;
    expect(decodeBatch(encodeBatch(withoutCounts)).counts).toBeUndefined();
    const unknownFlag = encodeBatch(batch);
    unknownFlag[6] = (unknownFlag[6] as number) | 0x40;
    expect(() => decodeBatch(unknownFlag)).toThrow(/unknown flags/);
  });

  it('leaves an upload without countColumn as it was: rowCount = rows, no cellCount', () => {
    const out = csv('y_pred,n,race\n1,4,A\n', parseAuditConfig({ sensitiveAttributes: ['race'] }));
    expect(out.batch.counts).toBeUndefined();
    expect(out.rowCount).toBe(1);
    expect(out.cellCount).toBeUndefined();
  });
});
