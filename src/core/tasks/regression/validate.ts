import { DomainError, type ProblemDetail } from '../../errors';
import type { ColumnarBatch } from '../../ingest/batch';

/**
 * What the regression engine relies on, so it can never produce NaN: both columns present and as long as
 * the batch, finite targets and predictions, finite non-negative weights and counts. Ingest rejects such rows
 * first; this is the last line. The error names the first bad row (1-based).
 */
export function validateRegressionBatch(batch: ColumnarBatch): void {
  const n = batch.rowCount;
  if (batch.targets === undefined || batch.predictedValues === undefined) {
    throw new DomainError('invalid_input', 'A regression audit needs numeric targets and predictions');
  }
  const columns: [string, ArrayLike<number> | undefined][] = [
    ['target', batch.targets],
    ['prediction', batch.predictedValues],
    ['weight', batch.weights],
    ['count', batch.counts],
    ...batch.attributes.map((a): [string, ArrayLike<number>] => [a.name, a.codes]),
  ];
  for (const [name, column] of columns) {
    if (column !== undefined && column.length !== n) {
      throw new DomainError('invalid_input', `Column ${name} has ${column.length} values for ${n} rows`);
    }
  }
  check('target', batch.targets, -Infinity);
  check('prediction', batch.predictedValues, -Infinity);
  check('weight', batch.weights, 0);
  check('count', batch.counts, 0);
}

function check(column: string, values: Float64Array | undefined, min: number): void {
  if (values === undefined) return;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= min && v < Infinity)) {
      const rule = min === 0 ? 'must be a finite non-negative number' : 'must be a finite number';
      const detail: ProblemDetail = { row: i + 1, column, message: `${column} ${String(v)} ${rule}` };
      throw new DomainError('domain', `Row ${i + 1}: ${detail.message}`, [detail]);
    }
  }
}
