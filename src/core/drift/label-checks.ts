import { peopleOf, type ColumnarBatch } from '../ingest/batch';
import type { AlignedAttribute } from './aligned-attributes';
import { twoProportionZ } from './hypothesis-tests';
import type { RateComparison } from './rate-checks';
import { rateChecks } from './rate-checks';
import { groupScope } from './scope';
import type { DriftCheck, DriftThresholds } from './types';

/**
 * Base rate (share of label 1 among people: unweighted rows, or the counts of a cell table) of the whole sample and of each group, when both
 * audits have labels. Groups with no rows on one side are skipped.
 */
export function labelChecks(
  baseline: ColumnarBatch,
  current: ColumnarBatch,
  attributes: readonly AlignedAttribute[],
  thresholds: DriftThresholds,
): DriftCheck[] {
  if (!baseline.labels || !current.labels || baseline.rowCount === 0 || current.rowCount === 0) return [];
  const overall = twoProportionZ(
    ones(baseline.labels, baseline.counts),
    peopleOf(baseline),
    ones(current.labels, current.counts),
    peopleOf(current),
  )!;
  return [
    ...rateChecks('label', 'base_rate', [{ scope: {}, test: overall }], thresholds),
    ...attributes.flatMap((attribute) =>
      rateChecks('label', 'base_rate', groupBaseRates(attribute), thresholds),
    ),
  ];
}

/** From the label-1 counts per group taken when the attributes were aligned (both sides have labels). */
function groupBaseRates(attribute: AlignedAttribute): RateComparison[] {
  const beforeRows = attribute.baseline.rows;
  const afterRows = attribute.current.rows;
  const beforeOnes = attribute.baseline.labelOnes ?? new Float64Array(beforeRows.length);
  const afterOnes = attribute.current.labelOnes ?? new Float64Array(afterRows.length);
  return attribute.levels.flatMap((level, g) => {
    const test = twoProportionZ(beforeOnes[g]!, beforeRows[g]!, afterOnes[g]!, afterRows[g]!);
    return test ? [{ scope: groupScope(attribute.name, level), test }] : [];
  });
}

/** People with label 1: rows, or the sum of their counts. */
function ones(values: Uint8Array, counts: Float64Array | undefined): number {
  let count = 0;
  for (let i = 0; i < values.length; i++)
    count += counts === undefined ? values[i]! : values[i]! * counts[i]!;
  return count;
}
