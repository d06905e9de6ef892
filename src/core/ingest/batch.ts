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
