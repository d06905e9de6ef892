/**
 * The columnar batch: what ingest produces from an upload and what every statistic is computed from.
 * One typed array per mapped column, attribute values interned as integer codes. No per-row objects.
 */

/** Code of a missing attribute value when `missingAttribute` is "drop" (with "group" it is a level "Unknown"). */
export const MISSING_CODE = 0xffff;

export interface AttributeColumn {
  /** Column name as mapped in the config, e.g. "race". */
  readonly name: string;
  /** Group names; `codes[i]` indexes into this list. Never contains the missing sentinel. */
  readonly levels: readonly string[];
  /** One code per row; MISSING_CODE marks a missing value to be dropped from the slices using it. */
  readonly codes: Uint16Array;
}

export interface ColumnarBatch {
  readonly rowCount: number;
  /** Ground truth as 0/1, absent in label-free mode. */
  readonly labels?: Uint8Array;
  /**
   * Predicted label as 0/1 (derived from score >= threshold when no prediction column was mapped). In a
   * regression batch every entry is 0 and unused: the predictions are `predictedValues`.
   */
  readonly predictions: Uint8Array;
  /** Regression only (`config.targetColumn`): the numeric outcome, finite. */
  readonly targets?: Float64Array;
  /** Regression only (`config.predictionColumn`): the model's numeric prediction, finite. */
  readonly predictedValues?: Float64Array;
  /** Model score, finite, absent when no score column was mapped. */
  readonly scores?: Float64Array;
  /** Optional non-negative sample weights. */
  readonly weights?: Float64Array;
  /**
   * Optional frequencies (`config.countColumn`): row i stands for counts[i] identical rows (non-negative
   * integers). Every statistic equals that of the expanded rows; never combined with `weights`.
   */
  readonly counts?: Float64Array;
  readonly attributes: readonly AttributeColumn[];
}

/**
 * The per-row weights every statistic multiplies by: the sampling weights, or the counts (a row of count c
 * is c people of weight 1); undefined when each row is one person.
 */
export function rowWeights(batch: Pick<ColumnarBatch, 'weights' | 'counts'>): Float64Array | undefined {
  return batch.weights ?? batch.counts;
}

/**
 * Σw² over the people of a row of weight w, the term Kish's effective size (Σw)²/Σw² sums: w² for a sampling
 * weight, but w for a count (w people of weight 1 each). With counts every effective size is then the number
 * of people, exactly as for the expanded rows.
 */
export function squaredWeight(w: number, frequencies: boolean): number {
  return frequencies ? w : w * w;
}

/** People in the batch: its rows, or the sum of its counts. */
export function peopleOf(batch: Pick<ColumnarBatch, 'rowCount' | 'counts'>): number {
  if (batch.counts === undefined) return batch.rowCount;
  let total = 0;
  for (let i = 0; i < batch.counts.length; i++) total += batch.counts[i]!;
  return total;
}
