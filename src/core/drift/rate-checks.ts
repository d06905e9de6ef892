import type { TwoProportionResult } from './hypothesis-tests';
import { holm } from './hypothesis-tests';
import type { CheckScope } from './scope';
import { rateChangeStatus } from './status';
import type { DriftCheck, DriftThresholds } from './types';
import { describeRateMove, describeSubject, formatPValue, humanize } from './wording';

/** One rate of one subject (the whole sample or a group), tested now against the baseline. */
export interface RateComparison {
  scope: CheckScope;
  test: TwoProportionResult;
}

const METRIC_WORDS: Record<string, string> = {
  base_rate: 'share of positive labels (base rate)',
  selection_rate: 'share predicted positive (selection rate)',
  true_positive_rate: 'share of actual positives the model catches (true positive rate)',
  false_positive_rate: 'share of actual negatives the model flags (false positive rate)',
  positive_predictive_value: 'share of positive predictions that are right (precision)',
};

/**
 * z-test checks of one metric over several subjects. With more than one subject the p-values are
 * Holm-adjusted together and the status uses the adjusted value.
 */
export function rateChecks(
  kind: 'label' | 'performance',
  metric: string,
  comparisons: readonly RateComparison[],
  thresholds: DriftThresholds,
  /** What the metric measures, in plain words, when METRIC_WORDS does not fit (a multiclass class's rate). */
  words: string = METRIC_WORDS[metric] ?? humanize(metric),
): DriftCheck[] {
  const adjusted = comparisons.length > 1 ? holm(comparisons.map((c) => c.test.pValue)) : null;
  return comparisons.map(({ scope, test }, i) => {
    const pValueAdjusted = adjusted?.[i] ?? null;
    const pValue = pValueAdjusted ?? test.pValue;
    const holmNote = pValueAdjusted === null ? '' : ' after Holm';
    return {
      kind,
      ...scope,
      metric,
      statistic: 'z_test',
      value: test.z,
      pValue: test.pValue,
      ...(adjusted ? { pValueAdjusted } : {}),
      baseline: test.p1,
      current: test.p2,
      status: rateChangeStatus(test.p2 - test.p1, pValue, thresholds),
      message: `The ${words} of ${describeSubject(scope.key)} ${describeRateMove(test.p1, test.p2)} (${formatPValue(pValue)}${holmNote}).`,
    };
  });
}
