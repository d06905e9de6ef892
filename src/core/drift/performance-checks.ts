import type { FairnessResult, MetricValue, RateKey, SliceResult } from '../fairness/types';
import type { TwoProportionResult } from './hypothesis-tests';
import { twoProportionZ } from './hypothesis-tests';
import type { RateComparison } from './rate-checks';
import { rateChecks } from './rate-checks';
import { matchSlices } from './slices';
import type { DriftCheck, DriftThresholds } from './types';

export const PERFORMANCE_METRICS: readonly RateKey[] = [
  'true_positive_rate',
  'false_positive_rate',
  'positive_predictive_value',
  'selection_rate',
];

/**
 * Each performance rate of the whole sample and of each group of every slice present in both results,
 * tested from the stored numerators and denominators; Holm within a slice and metric across its groups.
 */
export function performanceChecks(
  baseline: FairnessResult,
  current: FairnessResult,
  thresholds: DriftThresholds,
): DriftCheck[] {
  const overall = PERFORMANCE_METRICS.flatMap((metric) => {
    const test = testMetric(baseline.overall.metrics[metric], current.overall.metrics[metric]);
    return test ? rateChecks('performance', metric, [{ scope: {}, test }], thresholds) : [];
  });
  const bySlice = matchSlices(baseline, current).flatMap(([before, after]) =>
    PERFORMANCE_METRICS.flatMap((metric) =>
      rateChecks('performance', metric, groupTests(before, after, metric), thresholds),
    ),
  );
  return [...overall, ...bySlice];
}

function groupTests(before: SliceResult, after: SliceResult, metric: RateKey): RateComparison[] {
  return before.groups.flatMap((group) => {
    const other = after.groups.find((candidate) => groupId(candidate.key) === groupId(group.key));
    const test = other && testMetric(group.metrics[metric], other.metrics[metric]);
    return test ? [{ scope: { attributes: before.attributes, key: group.key }, test }] : [];
  });
}

function groupId(key: Record<string, string>): string {
  return JSON.stringify(Object.entries(key).sort(([a], [b]) => a.localeCompare(b)));
}

/** null when either side's rate is undefined or lacks its numerator and denominator. */
function testMetric(before?: MetricValue, after?: MetricValue): TwoProportionResult | null {
  if (!isTestable(before) || !isTestable(after)) return null;
  return twoProportionZ(before.numerator, before.denominator, after.numerator, after.denominator);
}

function isTestable(
  metric?: MetricValue,
): metric is MetricValue & { numerator: number; denominator: number } {
  return (
    typeof metric?.value === 'number' && metric.numerator !== undefined && metric.denominator !== undefined
  );
}
