import { DomainError, ProblemDetail } from '../errors';
import { ColumnarBatch } from '../ingest/batch';

/**
 * Checks what the engine relies on, so it can never produce NaN: column lengths, labels and predictions
 * in {0, 1}, finite scores, finite non-negative weights. Ingest normally rejects such rows first; this is
 * the last line. The error names the first bad row (1-based, as in the upload).
 */
export function validateBatch(batch: ColumnarBatch): void {
  const n = batch.rowCount;
  const columns: [string, ArrayLike<number> | undefined][] = [
    ['labels', batch.labels],
    ['predictions', batch.predictions],
    ['scores', batch.scores],
    ['weights', batch.weights],
    ...batch.attributes.map((a): [string, ArrayLike<number>] => [a.name, a.codes]),
  ];
  for (const [name, column] of columns) {
    if (column !== undefined && column.length !== n) {
      throw new DomainError('invalid_input', `Column ${name} has ${column.length} values for ${n} rows`);
    }
  }
  checkBinary('label', batch.labels);
  checkBinary('prediction', batch.predictions);
  checkColumn('score', batch.scores, Number.isFinite, 'must be a finite number');
  checkColumn(
    'weight',
    batch.weights,
    (w) => Number.isFinite(w) && w >= 0,
    'must be a finite non-negative number',
  );
}

function checkBinary(column: string, values: Uint8Array | undefined): void {
  checkColumn(column, values, (v) => v <= 1, 'must be 0 or 1');
}

function checkColumn(
  column: string,
  values: ArrayLike<number> | undefined,
  valid: (v: number) => boolean,
  rule: string,
): void {
  if (values === undefined) return;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!valid(v)) {
      const detail: ProblemDetail = { row: i + 1, column, message: `${column} ${String(v)} ${rule}` };
      throw new DomainError('domain', `Row ${i + 1}: ${detail.message}`, [detail]);
    }
  }
}
