import { DomainError, type ProblemDetail } from '../errors';
import { parseAuditConfig } from './audit-config';
import { MAX_CLASSES } from './batch';
import { decodeBatch, encodeBatch } from './batch-codec';
import { ColumnarIngestor } from './columnar-ingestor';
import { createCsvIngestor } from './csv-ingestor';
import { ingestJsonColumns, ingestJsonRecords } from './json-ingestor';
import { computeMulticlass } from '../tasks/multiclass';

const base = { task: 'multiclass', sensitiveAttributes: ['sex'], labelColumn: 'y', predictionColumn: 'p' };

/** Five rows: class names as text, numbers as their text ("2" in CSV is 2 in JSON). */
const CSV = [
  'id,y,p,sex,score',
  'a,Home,Home,F,0.1',
  'b,SNF,Home,M,0.2',
  'c,2,10,F,0.3',
  'd,10,2,M,0.4',
  'e,Home,SNF,F,0.5',
].join('\n');
const records = [
  { id: 'a', y: 'Home', p: 'Home', sex: 'F', score: 0.1 },
  { id: 'b', y: 'SNF', p: 'Home', sex: 'M', score: 0.2 },
  { id: 'c', y: 2, p: 10, sex: 'F', score: 0.3 },
  { id: 'd', y: '10', p: 2, sex: 'M', score: 0.4 },
  { id: 'e', y: 'Home', p: 'SNF', sex: 'F', score: 0.5 },
];
const columns = Object.fromEntries(
  ['id', 'y', 'p', 'sex', 'score'].map((k) => [k, records.map((r) => r[k as keyof (typeof records)[0]])]),
);

function csv(text: string, raw: Record<string, unknown>) {
  const ingestor = createCsvIngestor(parseAuditConfig(raw));
  ingestor.write(new TextEncoder().encode(text));
  return ingestor.end();
}

function columnar(raw: Record<string, unknown>) {
  const names = Object.keys(columns);
  const ingestor = new ColumnarIngestor(parseAuditConfig(raw), names, {}, (row) => `row ${row}`);
  ingestor.addRows(records.length, (i, k) => (columns[ingestor.mapped[k]!.name] as unknown[])[i]);
  return ingestor.finish();
}

function problems(run: () => unknown): ProblemDetail[] {
  try {
    run();
  } catch (err) {
    if (err instanceof DomainError) return err.errors;
    throw err;
  }
  throw new Error('no error');
}

describe('multiclass ingest', () => {
  it('reads class names the same from CSV, JSON records, JSON columns and typed columns (Parquet)', () => {
    const outcomes = [
      csv(CSV, base),
      ingestJsonRecords({ records }, parseAuditConfig(base)),
      ingestJsonColumns({ columns }, parseAuditConfig(base)),
      columnar(base),
    ];
    for (const { batch, columnsUsed } of outcomes) {
      // Natural order of the union of labels and predictions, whatever the order of the rows.
      expect(batch.classes).toEqual(['2', '10', 'Home', 'SNF']);
      expect([...batch.labels!]).toEqual([2, 3, 0, 1, 2]);
      expect([...batch.predictions]).toEqual([2, 2, 1, 0, 3]);
      expect(batch.scores).toBeUndefined(); // the "score" column is never a multiclass audit's
      expect(columnsUsed.score).toBeUndefined();
    }
  });

  it('config.classes sets the order; a value outside it is a 400 naming row and column, or skipped', () => {
    const classes = ['SNF', 'Home', '10', '2'];
    expect(csv(CSV, { ...base, classes }).batch.classes).toEqual(classes);
    expect([...csv(CSV, { ...base, classes }).batch.labels!]).toEqual([1, 0, 3, 2, 1]);
    const narrow = { ...base, classes: ['Home', 'SNF', '2'] };
    expect(problems(() => csv(CSV, narrow))).toEqual([
      {
        row: 3,
        column: 'p',
        message:
          'row 3 (line 4), column "p": prediction "10" is not one of config.classes ("Home", "SNF", "2")',
      },
    ]);
    const skipped = csv(CSV, { ...narrow, onInvalidRow: 'skip' });
    expect(skipped.rowCount).toBe(3);
    expect(skipped.firstSkippedRows).toEqual([3, 4]);
    expect(skipped.batch.classes).toEqual(['Home', 'SNF', '2']);
  });

  it('a missing label or prediction is a 400 naming row and column', () => {
    const text = CSV.replace('b,SNF,Home', 'b,,Home');
    expect(problems(() => csv(text, base))[0]).toMatchObject({
      row: 2,
      column: 'y',
      message: expect.stringContaining('missing label'),
    });
    expect(csv(text, { ...base, onInvalidRow: 'skip' }).rowCount).toBe(4);
  });

  it('label-free: predictions only', () => {
    const { batch } = csv(CSV, { ...base, labelColumn: null });
    expect(batch.labels).toBeUndefined();
    expect(batch.classes).toEqual(['2', '10', 'Home', 'SNF']);
  });

  it(`at most ${MAX_CLASSES} classes in the data: more is a 400 naming the row`, () => {
    const rows = (k: number) => Array.from({ length: k }, (_, i) => `r${i},c${i},c0,F,0`);
    expect(csv(['id,y,p,sex,score', ...rows(MAX_CLASSES)].join('\n'), base).batch.classes).toHaveLength(
      MAX_CLASSES,
    );
    expect(
      problems(() => csv(['id,y,p,sex,score', ...rows(MAX_CLASSES + 1)].join('\n'), base))[0],
    ).toMatchObject({
      row: MAX_CLASSES + 1,
      column: 'y',
    });
  });

  it('a count column gives the same metrics as the rows it stands for', () => {
    const rows = [
      'y,p,sex',
      'Home,Home,F',
      'Home,Home,F',
      'SNF,Home,M',
      'SNF,SNF,M',
      'SNF,SNF,M',
      'Home,SNF,F',
    ];
    const cells = [
      'y,p,sex,n',
      'Home,Home,F,2',
      'SNF,Home,M,1',
      'SNF,SNF,M,2',
      'Home,SNF,F,1',
      'Other,Other,F,0',
    ];
    const config = { ...base, minGroupSize: 1 };
    const expanded = csv(rows.join('\n'), config).batch;
    const counted = csv(cells.join('\n'), { ...config, countColumn: 'n' }).batch;
    expect(counted.classes).toEqual(expanded.classes);
    const options = {
      favorableOutcome: 'positive' as const,
      reference: { strategy: 'largest' as const },
      intersections: [],
      minGroupSize: 1,
      missingAttribute: 'group' as const,
    };
    expect(computeMulticlass(counted, options)).toEqual(computeMulticlass(expanded, options));
  });

  it('the stored batch keeps the classes (round trip)', () => {
    const { batch } = csv(CSV, base);
    const decoded = decodeBatch(encodeBatch(batch));
    expect(decoded.classes).toEqual(batch.classes);
    expect(decoded.labels).toEqual(batch.labels);
    expect(decoded.predictions).toEqual(batch.predictions);
    expect(decodeBatch(encodeBatch({ ...batch, classes: undefined })).classes).toBeUndefined();
  });
});

describe('multiclass config', () => {
  it('accepts labels, predictions, classes, weights and the references that need no favorable outcome', () => {
    for (const strategy of ['largest', 'overall']) {
      expect(() =>
        parseAuditConfig({ ...base, classes: ['a', 'b'], weightColumn: 'w', reference: { strategy } }),
      ).not.toThrow();
    }
    expect(() => parseAuditConfig({ ...base, scoreColumn: null })).not.toThrow();
  });

  it('refuses the binary-only settings, "most_favorable" and more than 50 classes, each named', () => {
    const fields = (raw: Record<string, unknown>) =>
      problems(() => parseAuditConfig({ ...base, ...raw })).map((p) => p.field);
    expect(fields({ scoreColumn: 'score' })).toEqual(['config.scoreColumn']);
    expect(fields({ threshold: 0.3 })).toEqual(['config.threshold']);
    expect(fields({ positiveLabel: 'Home' })).toEqual(['config.positiveLabel']);
    expect(fields({ favorableOutcome: 'negative' })).toEqual(['config.favorableOutcome']);
    expect(fields({ reference: { strategy: 'most_favorable' } })).toEqual(['config.reference.strategy']);
    const many = Array.from({ length: MAX_CLASSES + 1 }, (_, i) => `c${i}`);
    expect(fields({ classes: many })).toEqual(['config.classes']);
    expect(() => parseAuditConfig({ ...base, classes: many.slice(0, MAX_CLASSES) })).not.toThrow();
  });

  it('without a prediction column there is nothing to audit (400 naming predictionColumn)', () => {
    const text = CSV.replace('id,y,p,', 'id,y,q,');
    expect(problems(() => csv(text, { ...base, predictionColumn: undefined }))[0]).toMatchObject({
      field: 'config.predictionColumn',
    });
  });
});
