/**
 * What the multiclass engine relies on, checked before it counts (ingest normally refuses such rows first;
 * this is the last line, so no input can make NaN or index past the table): 1 to MAX_CLASSES class names,
 * labels and predictions indexing them, column lengths, finite non-negative weights and whole-number
 * frequencies. The error names the first bad row (1-based, as in the upload).
 */
import { DomainError, type ProblemDetail } from '../../errors';
import { MAX_CLASSES, type ColumnarBatch } from '../../ingest/batch';

export function validateMulticlassBatch(batch: ColumnarBatch): void {
  const classes = batch.classes ?? [];
  if (classes.length < 1 || classes.length > MAX_CLASSES) {
    const message = `a multiclass audit needs 1 to ${MAX_CLASSES} classes, got ${classes.length}`;
    throw new DomainError('invalid_input', message, [{ field: 'config.classes', message }]);
  }
  if (batch.weights !== undefined && batch.counts !== undefined) {
    const message = 'frequencies and sampling weights cannot be combined';
    throw new DomainError('invalid_input', message, [{ field: 'config.countColumn', message }]);
  }
  const n = batch.rowCount;
  const columns: [string, ArrayLike<number> | undefined][] = [
    ['labels', batch.labels],
    ['predictions', batch.predictions],
    ['weights', batch.weights],
    ['counts', batch.counts],
    ...batch.attributes.map((a): [string, ArrayLike<number>] => [a.name, a.codes]),
  ];
  for (const [name, column] of columns) {
    if (column !== undefined && column.length !== n)
      throw new DomainError('invalid_input', `Column ${name} has ${column.length} values for ${n} rows`);
  }
  checkClassIndexes('label', batch.labels, classes.length);
  checkClassIndexes('prediction', batch.predictions, classes.length);
  check('weight', batch.weights, (v) => v >= 0 && v < Infinity, 'must be a finite non-negative number');
  check('count', batch.counts, (v) => Number.isSafeInteger(v) && v >= 0, 'must be a whole number ≥ 0');
}

function checkClassIndexes(column: string, values: Uint8Array | undefined, classCount: number): void {
  check(column, values, (v) => v < classCount, `is not one of the ${classCount} classes`);
}

function check(
  column: string,
  values: ArrayLike<number> | undefined,
  ok: (v: number) => boolean,
  rule: string,
): void {
  if (values === undefined) return;
  for (let i = 0; i < values.length; i++) {
    if (!ok(values[i]!)) {
      const detail: ProblemDetail = { row: i + 1, column, message: `${column} ${String(values[i])} ${rule}` };
      throw new DomainError('invalid_input', `Row ${i + 1}: ${detail.message}`, [detail]);
    }
  }
}
