import { DomainError, ProblemDetail } from '../errors';
import { ColumnarBatch } from '../ingest/batch';

/**
 * Checks what the engine relies on, so it can never produce NaN: column lengths, labels and predictions
 * in {0, 1}, finite scores, finite non-negative weights, whole non-negative counts. Ingest normally rejects such rows first; this is
 * the last line. The error names the first bad row (1-based, as in the upload).
 */
export function validateBatch(batch: ColumnarBatch): void {
  const n = batch.rowCount;
  const columns: [string, ArrayLike<number> | undefined][] = [
    ['labels', batch.labels],
    ['predictions', batch.predictions],
    ['scores', batch.scores],
    ['weights', batch.weights],
    ['counts', batch.counts],
    ...batch.attributes.map((a): [string, ArrayLike<number>] => [a.name, a.codes]),
  ];
  for (const [name, column] of columns) {
    if (column !== undefined && column.length !== n) {
      throw new DomainError('invalid_input', `Column ${name} has ${column.length} values for ${n} rows`);
    }
  }
  checkBinary('label', batch.labels);
  checkBinary('prediction', batch.predictions);
  checkFinite('score', batch.scores, -Infinity);
  checkFinite('weight', batch.weights, 0);
  checkCounts(batch);
}

/** Whole numbers ≥ 0 up to 2^53 − 1 (where doubles stay exact), and never together with sampling weights. */
function checkCounts(batch: ColumnarBatch): void {
  const { counts } = batch;
  if (counts === undefined) return;
  if (batch.weights !== undefined) {
    throw new DomainError('domain', 'A batch has either sampling weights or counts, not both');
  }
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (!Number.isSafeInteger(c) || c < 0) reject('count', i, c, 'must be a whole number ≥ 0');
  }
}

function checkBinary(column: string, values: Uint8Array | undefined): void {
  if (values === undefined) return;
  for (let i = 0; i < values.length; i++) {
    if (values[i]! > 1) reject(column, i, values[i]!, 'must be 0 or 1');
  }
}

/** Finite and at least `min` (NaN fails every comparison). */
function checkFinite(column: string, values: Float64Array | undefined, min: number): void {
  if (values === undefined) return;
  const rule = min === 0 ? 'must be a finite non-negative number' : 'must be a finite number';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= min && v < Infinity)) reject(column, i, v, rule);
  }
}

function reject(column: string, index: number, value: number, rule: string): never {
  const detail: ProblemDetail = { row: index + 1, column, message: `${column} ${String(value)} ${rule}` };
  throw new DomainError('domain', `Row ${index + 1}: ${detail.message}`, [detail]);
}
