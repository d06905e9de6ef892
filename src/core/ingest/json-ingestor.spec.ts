import { DomainError } from '../errors';
import { parseAuditConfig } from './audit-config';
import { createCsvIngestor } from './csv-ingestor';
import { ingestJsonColumns, ingestJsonRecords } from './json-ingestor';

const cfg = parseAuditConfig({
  sensitiveAttributes: ['race', 'sex'],
  missingTokens: [''],
  onInvalidRow: 'skip',
});

// The same five rows three ways; row 4 has an empty label (skipped), row 5 a missing sex (→ "Unknown").
const CSV = [
  'id,y_true,y_pred,score,race,sex',
  'P1,1,1,0.9,White,F',
  'P2,0,1,0.55,Black,M',
  'P3,true,0,1e-1,Black,F',
  'P4,,0,0.2,White,M',
  'P5,0.0,false,0.3,Asian,',
].join('\n');

const records = [
  { id: 'P1', y_true: 1, y_pred: 1, score: 0.9, race: 'White', sex: 'F' },
  { id: 'P2', y_true: 0, y_pred: '1', score: 0.55, race: 'Black', sex: 'M' },
  { id: 'P3', y_true: true, y_pred: 0, score: 0.1, race: 'Black', sex: 'F' },
  { id: 'P4', y_true: null, y_pred: 0, score: 0.2, race: 'White', sex: 'M' },
  { id: 'P5', y_true: 0, y_pred: false, score: '0.3', race: 'Asian' },
];

const columns = {
  id: ['P1', 'P2', 'P3', 'P4', 'P5'],
  y_true: [1, 0, 'TRUE', null, 0],
  y_pred: [1, 1, 0, 0, 0],
  score: [0.9, 0.55, 0.1, 0.2, 0.3],
  race: ['White', 'Black', 'Black', 'White', 'Asian'],
  sex: ['F', 'M', 'F', 'M', null],
};

function failure(run: () => unknown): DomainError {
  try {
    run();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('JSON ingest', () => {
  it('gives the same outcome as the CSV for records and for columns', () => {
    const csv = createCsvIngestor(cfg);
    csv.write(new TextEncoder().encode(CSV));
    const fromCsv = { ...csv.end(), delimiter: null };
    expect(ingestJsonRecords({ records }, cfg)).toEqual(fromCsv);
    expect(ingestJsonColumns({ columns }, cfg)).toEqual(fromCsv);
    expect(fromCsv.rowCount).toBe(4);
    expect(fromCsv.skippedRows).toBe(1);
    expect(fromCsv.firstSkippedRows).toEqual([4]);
    expect(Array.from(fromCsv.batch.labels ?? [])).toEqual([1, 0, 1, 0]);
    expect(fromCsv.batch.attributes[1]?.levels).toEqual(['F', 'M', 'Unknown']);
  });

  it('reads a key absent from a record as missing, even a name Object.prototype has', () => {
    const records: Record<string, unknown>[] = [
      { y_pred: 1, race: 'A', toString: 'x' },
      { y_pred: 0, race: 'B' },
    ];
    const body = { records };
    const out = ingestJsonRecords(body, parseAuditConfig({ sensitiveAttributes: ['race', 'toString'] }));
    expect(out.batch.attributes[1]?.levels).toEqual(['x', 'Unknown']);
  });

  it('names the columns of unequal length', () => {
    const err = failure(() => ingestJsonColumns({ columns: { y_pred: [1, 0], race: ['A'] } }, cfg));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toBe('columns have different lengths: "y_pred" (2), "race" (1)');
  });

  it('names the record and column of a value of the wrong type', () => {
    const body = {
      records: [
        { y_pred: 1, race: 'A' },
        { y_pred: [1], race: 'A' },
      ],
    };
    const err = failure(() => ingestJsonRecords(body, parseAuditConfig({ sensitiveAttributes: ['race'] })));
    expect(err.errors).toEqual([
      { row: 2, column: 'y_pred', message: expect.stringMatching(/^record 2, column "y_pred"/) },
    ]);
  });

  it('rejects bodies without records or columns, and records that are not objects', () => {
    expect(failure(() => ingestJsonRecords({ rows: [] }, cfg)).errors[0]?.field).toBe('records');
    expect(failure(() => ingestJsonColumns({ columns: [] }, cfg)).errors[0]?.field).toBe('columns');
    expect(
      failure(() => ingestJsonRecords({ records: [{ y_pred: 1, race: 'A' }, 3] }, cfg)).errors[0]?.row,
    ).toBe(2);
    expect(failure(() => ingestJsonRecords({ records: [] }, cfg)).message).toMatch(/not found/);
  });

  it('uses record numbers in messages when rejecting invalid rows', () => {
    const reject = parseAuditConfig({ sensitiveAttributes: ['race'] });
    const err = failure(() =>
      ingestJsonRecords(
        {
          records: [
            { y_pred: 1, race: 'A' },
            { y_pred: 7, race: 'A' },
          ],
        },
        reject,
      ),
    );
    expect(err.message).toBe(
      'record 2, column "y_pred": prediction "7" is not binary (expected 0/1, true/false or the positiveLabel)',
    );
  });
});
