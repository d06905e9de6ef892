import { DomainError } from '../core/errors';
import { createCsvIngestor, parseAuditConfig, type CsvIngestor, type IngestOutcome } from '../core/ingest';
import { MAX_QUEUED_BYTES, SlicedCsvIngestor } from './sliced-csv-ingestor';

const LIMITS = { maxRows: 1_000_000, maxFieldBytes: 65_536, maxGroupsPerAttribute: 200, maxAttributes: 16 };
const CONFIG = parseAuditConfig({
  labelColumn: 'y_true',
  predictionColumn: 'y_pred',
  sensitiveAttributes: ['group'],
});

/** `rows` rows cycling through groups a/b/c with a hand-checkable pattern; `bad` puts "x" in y_true there. */
function csv(rows: number, bad?: number): Uint8Array {
  const lines = ['id,y_true,y_pred,group'];
  for (let i = 1; i <= rows; i++) {
    lines.push(`${i},${i === bad ? 'x' : i % 2},${i % 3 === 0 ? 1 : 0},${'abc'[i % 3]}`);
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

/** Counts the chunks the wrapped ingestor has been given. */
function counting(inner: CsvIngestor): CsvIngestor & { writes: number } {
  const counted = {
    writes: 0,
    write: (chunk: Uint8Array) => {
      counted.writes++;
      inner.write(chunk);
    },
    end: () => inner.end(),
  };
  return counted;
}

async function paced(ingestor: SlicedCsvIngestor, bytes: Uint8Array, size: number): Promise<IngestOutcome> {
  for (let p = 0; p < bytes.length; p += size) {
    ingestor.write(bytes.subarray(p, p + size));
    await ingestor.drained();
  }
  return ingestor.finish();
}

describe('SlicedCsvIngestor', () => {
  it('parses later, between other work, exactly what the ingestor parses at once', async () => {
    const bytes = csv(9_000);
    const expected = createCsvIngestor(CONFIG, LIMITS);
    expected.write(bytes);
    const direct = expected.end();
    // 9,000 rows: 4,500 positive labels; groups a/b/c hold 3,000 each
    expect(direct.rowCount).toBe(9_000);

    const inner = counting(createCsvIngestor(CONFIG, LIMITS));
    const sliced = new SlicedCsvIngestor(inner);
    for (let p = 0; p < bytes.length; p += 1000) sliced.write(bytes.subarray(p, p + 1000));
    expect(inner.writes).toBe(0); // nothing parsed while the reader writes
    expect(await sliced.finish()).toStrictEqual(direct);
    expect(inner.writes).toBe(Math.ceil(bytes.length / 1000));
  });

  it('copies each chunk: the reader may overwrite its buffer before the chunk is parsed', async () => {
    const bytes = csv(500);
    const sliced = new SlicedCsvIngestor(createCsvIngestor(CONFIG, LIMITS));
    const reused = new Uint8Array(256);
    for (let p = 0; p < bytes.length; p += 256) {
      const part = bytes.subarray(p, p + 256);
      reused.set(part);
      sliced.write(reused.subarray(0, part.length));
      reused.fill(0x2c);
    }
    expect((await sliced.finish()).rowCount).toBe(500);
  });

  it('asks the reader to pause past MAX_QUEUED_BYTES, and lets it go on once the queue is parsed down', async () => {
    const bytes = csv(400_000); // ~6 MB
    expect(bytes.length).toBeGreaterThan(MAX_QUEUED_BYTES);
    const sliced = new SlicedCsvIngestor(createCsvIngestor(CONFIG, LIMITS));
    sliced.write(bytes.subarray(0, MAX_QUEUED_BYTES));
    expect(sliced.drained()).toBeNull(); // at the limit: go on
    sliced.write(bytes.subarray(MAX_QUEUED_BYTES));
    const pause = sliced.drained();
    expect(pause).not.toBeNull();
    await pause;
    expect(sliced.drained()).toBeNull();
    expect((await sliced.finish()).rowCount).toBe(400_000);
  });

  it('rejects with the first bad row (the same DomainError), from drained() and from finish()', async () => {
    const bytes = csv(2_000, 1_234);
    const direct = createCsvIngestor(CONFIG, LIMITS);
    let expected: unknown;
    try {
      direct.write(bytes);
      direct.end();
    } catch (err) {
      expected = err;
    }
    expect(expected).toBeInstanceOf(DomainError);
    const failed = await paced(new SlicedCsvIngestor(createCsvIngestor(CONFIG, LIMITS)), bytes, 4096).catch(
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(DomainError);
    expect((failed as DomainError).errors).toStrictEqual((expected as DomainError).errors);
    expect((failed as DomainError).errors[0]).toMatchObject({ row: 1_234, column: 'y_true' });
  });

  it('stops parsing once released (the upload failed elsewhere)', async () => {
    const inner = counting(createCsvIngestor(CONFIG, LIMITS));
    const sliced = new SlicedCsvIngestor(inner);
    sliced.write(csv(1_000));
    sliced.release();
    await new Promise((r) => setImmediate(r));
    expect(inner.writes).toBe(0);
    expect(sliced.drained()).toBeNull();
  });
});
