import type { ColumnarBatch } from '../ingest/batch';
import type { AlignedAttribute } from './aligned-attributes';
import { countByGroup } from './aligned-attributes';
import { twoProportionZ } from './hypothesis-tests';
import type { RateComparison } from './rate-checks';
import { rateChecks } from './rate-checks';
import { groupScope } from './scope';
import type { DriftCheck, DriftThresholds } from './types';

/**
 * Base rate (share of label 1, unweighted row counts) of the whole sample and of each group, when both
 * audits have labels. Groups with no rows on one side are skipped.
 */
export function labelChecks(
  baseline: ColumnarBatch,
  current: ColumnarBatch,
  attributes: readonly AlignedAttribute[],
  thresholds: DriftThresholds,
): DriftCheck[] {
  if (!baseline.labels || !current.labels || baseline.rowCount === 0 || current.rowCount === 0) return [];
  const overall = twoProportionZ(ones(baseline.labels), baseline.rowCount, ones(current.labels), current.rowCount)!;
  const labels = { baseline: baseline.labels, current: current.labels };
  return [
    ...rateChecks('label', 'base_rate', [{ scope: {}, test: overall }], thresholds),
    ...attributes.flatMap((attribute) => rateChecks('label', 'base_rate', groupBaseRates(attribute, labels), thresholds)),
  ];
}

function groupBaseRates(
  attribute: AlignedAttribute,
  labels: { baseline: Uint8Array; current: Uint8Array },
): RateComparison[] {
  const levelCount = attribute.levels.length;
  const beforeRows = attribute.baseline.rows;
  const afterRows = attribute.current.rows;
  const beforeOnes = countByGroup(attribute.baseline, levelCount, labels.baseline);
  const afterOnes = countByGroup(attribute.current, levelCount, labels.current);
  return attribute.levels.flatMap((level, g) => {
    const test = twoProportionZ(beforeOnes[g]!, beforeRows[g]!, afterOnes[g]!, afterRows[g]!);
    return test ? [{ scope: groupScope(attribute.name, level), test }] : [];
  });
}

function ones(values: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) count += values[i]!;
  return count;
}
