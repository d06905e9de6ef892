import { DomainError } from '../errors';
import { parseAuditConfig } from './audit-config';
import { ColumnarIngestor } from './columnar-ingestor';
import { createCsvIngestor } from './csv-ingestor';

const config = parseAuditConfig({ sensitiveAttributes: ['site', 'band'], scoreColumn: 'score' });
const COLUMNS = ['note', 'y_true', 'y_pred', 'score', 'site', 'band'];

/** Typed values as Parquet gives them, row by row, in COLUMNS order. */
const ROWS: unknown[][] = [
  ['a', true, 1, 0.25, 9007199254740993n, 'low'],
  ['b', false, 0, 1e-7, 2n, null],
  ['c', 1, 1, 1, 9007199254740993n, 'high'],
  ['d', 0, 0, 0, 2n, 'low'],
];
// The same rows as CSV text, written by hand: bigints in full (2^53 + 1 is not a double), null as empty.
const CSV = [
  COLUMNS.join(','),
  'a,true,1,0.25,9007199254740993,low',
  'b,false,0,1e-7,2,',
  'c,1,1,1,9007199254740993,high',
  'd,0,0,0,2,low',
].join('\n');

function ingestRows(rows: unknown[][], chunk: number, cfg = config, limits = {}) {
  const ingestor = new ColumnarIngestor(cfg, COLUMNS, limits, (row) => `row ${row}`);
  const columnOf = ingestor.mapped.map((m) => COLUMNS.indexOf(m.name));
  for (let at = 0; at < rows.length; at += chunk) {
    const part = rows.slice(at, at + chunk);
    ingestor.addRows(part.length, (i, k) => part[i]?.[columnOf[k] as number]);
  }
  return ingestor.finish();
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

describe('ColumnarIngestor', () => {
  it('reads only the mapped columns (never "note")', () => {
    const ingestor = new ColumnarIngestor(config, COLUMNS, {}, String);
    expect(ingestor.mapped.map((m) => m.name)).toEqual(['y_true', 'y_pred', 'score', 'site', 'band']);
  });

  it('gives the same batch as the CSV text of the same values, whatever the chunking', () => {
    const csv = createCsvIngestor(config);
    csv.write(new TextEncoder().encode(CSV));
    const expected = csv.end();
    for (const chunk of [1, 3, 4]) {
      const outcome = ingestRows(ROWS, chunk);
      expect({ ...outcome, delimiter: ',' }).toEqual(expected);
    }
    const { batch } = ingestRows(ROWS, 2);
    expect(Array.from(batch.labels ?? [])).toEqual([1, 0, 1, 0]);
    expect(Array.from(batch.scores ?? [])).toEqual([0.25, 1e-7, 1, 0]);
    expect(batch.attributes[0]?.levels).toEqual(['9007199254740993', '2']);
    expect(batch.attributes[1]?.levels).toEqual(['low', 'Unknown', 'high']);
  });

  it('text given as UTF-8 bytes (Parquet strings) reads like the same strings; bytes over the limit are a 413', () => {
    const utf8 = (v: unknown) => (typeof v === 'string' ? new TextEncoder().encode(v) : v);
    const asBytes = ROWS.map((row) => row.map(utf8));
    expect(ingestRows(asBytes, 3)).toEqual(ingestRows(ROWS, 3));
    const long = [['a', 1, 1, 0.5, 1n, utf8('é'.repeat(9))]];
    const err = failure(() => ingestRows(long, 1, config, { maxFieldBytes: 16 }));
    expect(err.errors).toEqual([
      { row: 1, column: 'band', message: 'row 1, column "band": field larger than 16 bytes' },
    ]);
  });

  it('numbers round-trip exactly through their text', () => {
    const scores = [0.1 + 0.2, 5e-324, 1 / 3, 123456789.12345679, -0];
    const rows = scores.map((s) => ['x', 1, 1, s, 1n, 'a']);
    const { batch } = ingestRows(rows, 2, parseAuditConfig({ sensitiveAttributes: ['site'] }));
    expect(Array.from(batch.scores ?? [])).toEqual(scores.map((s) => (Object.is(s, -0) ? 0 : s)));
  });

  it('row numbers continue across chunks in errors', () => {
    const rows = [...ROWS, ['e', 2, 1, 0.5, 1n, 'low']];
    const err = failure(() => ingestRows(rows, 2));
    expect(err.errors).toEqual([
      {
        row: 5,
        column: 'y_true',
        message: expect.stringMatching(/^row 5, column "y_true": label "2" is not binary/),
      },
    ]);
  });

  it('an object or array value is refused with its row and column; a plain value passes', () => {
    const rows = [ROWS[0] as unknown[], ['b', 0, 0, 0.5, 2n, { level: 'x' }]];
    const err = failure(() => ingestRows(rows, 10));
    expect(err.errors).toEqual([
      { row: 2, column: 'band', message: 'row 2, column "band": expected a number, boolean, string or null' },
    ]);
    expect(ingestRows([ROWS[0] as unknown[], ['b', 0, 0, 0.5, 2n, 'x']], 10).rowCount).toBe(2);
  });

  it('a text over maxFieldBytes (in UTF-8 bytes) is a 413 naming row and column; one at the limit passes', () => {
    const rowWith = (band: string) => [['a', 1, 1, 0.5, 1n, band]];
    expect(ingestRows(rowWith('é'.repeat(8)), 1, config, { maxFieldBytes: 16 }).rowCount).toBe(1);
    const err = failure(() => ingestRows(rowWith('é'.repeat(8) + 'x'), 1, config, { maxFieldBytes: 16 }));
    expect(err.code).toBe('payload_too_large');
    expect(err.errors).toEqual([
      { row: 1, column: 'band', message: 'row 1, column "band": field larger than 16 bytes' },
    ]);
  });
});
