import { computeFairness, type FairnessOptions, type FairnessResult } from '../fairness';
import type { ColumnarBatch } from '../ingest/batch';
import type { PrivacyConfig } from '../ingest/audit-config';
import { zCritical } from '../stats';
import { cellNoiseVariance } from './mechanisms';
import { widenForNoise } from './noised-intervals';

const DEFAULT_CONFIDENCE = 0.95;

/**
 * computeFairness of an upload whose counts were noised (`config.privacy`): the same results, with every
 * rate interval (and the difference and ratio intervals) widened for the noise (noised-intervals.ts). The
 * numbers of cells behind each count come from a second pass that reads each table row as one row; a cell
 * table is small (one row per combination), so the second pass costs little next to the upload.
 */
export function computeNoisedFairness(
  batch: ColumnarBatch,
  options: FairnessOptions,
  privacy: PrivacyConfig,
): FairnessResult {
  const result = computeFairness(batch, options);
  const tableRows = computeFairness({ ...batch, counts: undefined }, options);
  const z = zCritical(options.confidenceLevel ?? DEFAULT_CONFIDENCE);
  return widenForNoise(result, tableRows, cellNoiseVariance(privacy), z);
}
