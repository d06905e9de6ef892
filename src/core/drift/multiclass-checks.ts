import type { MetricValue } from '../fairness/types';
import type { ClassMetrics, MulticlassResult, MulticlassSliceResult } from '../tasks/types';
import { eligibleGroups, groupKeyId } from './evidence';
import { ratioVerdict } from './fairness-checks';
import { chiSquareHomogeneity, twoProportionZ } from './hypothesis-tests';
import { jsDistance } from './js-distance';
import type { RateComparison } from './rate-checks';
import { rateChecks } from './rate-checks';
import { matchSlices } from './slices';
import type { DriftCheck, DriftThresholds } from './types';
import { formatNumber, formatPValue, formatPercent } from './wording';

type Testable = MetricValue & { value: number; numerator: number; denominator: number };

/** The class distributions: labels are each class's TPR denominator, predictions its selection-rate numerator. */
const DISTRIBUTIONS = [
  { kind: 'label', metric: 'label_class', words: 'true classes (labels)', count: labelCount },
  { kind: 'score', metric: 'predicted_class', words: 'predicted classes', count: predictedCount },
] as const;

/** Per-class one-vs-rest rates tested per group. */
const CLASS_RATES = ['selection_rate', 'true_positive_rate'] as const;

/**
 * Drift of a multiclass model, all from the stored results (counts behind every rate): the class mix of
 * the labels (kind "label") and of the predictions (kind "score") by chi-square (warning when significant
 * and some class's share moved by rateChangeWarning) and Jensen-Shannon distance; accuracy, and each
 * class's selection rate and true positive rate (one-vs-rest), of the whole sample and of each group
 * (two-proportion z-test, Holm within a slice, class and metric: the binary rate checks); and each class's
 * demographic parity ratio over groups with at least minGroupSize people against the fairness band.
 * Classes are matched by name; a class on one side only counts 0 on the other.
 */
export function multiclassChecks(
  baseline: MulticlassResult,
  current: MulticlassResult,
  thresholds: DriftThresholds,
): DriftCheck[] {
  const classes = [...baseline.classes, ...current.classes.filter((c) => !baseline.classes.includes(c))];
  const minGroupSize = Math.max(baseline.conventions.minGroupSize, current.conventions.minGroupSize);
  return [
    ...DISTRIBUTIONS.flatMap((d) => classMixChecks(d, classes, baseline, current, thresholds)),
    ...accuracyChecks(baseline, current, thresholds),
    ...classRateChecks(classes, baseline, current, thresholds),
    ...parityChecks(classes, baseline, current, minGroupSize, thresholds),
  ];
}

// ------------------------------------------------------------------ class mixes

function labelCount(metrics: ClassMetrics | undefined): number | null {
  const tpr = metrics?.true_positive_rate;
  return tpr?.denominator ?? (tpr === undefined ? null : 0);
}

function predictedCount(metrics: ClassMetrics | undefined): number | null {
  return metrics?.selection_rate?.numerator ?? null;
}

function classMixChecks(
  d: (typeof DISTRIBUTIONS)[number],
  classes: readonly string[],
  baseline: MulticlassResult,
  current: MulticlassResult,
  thresholds: DriftThresholds,
): DriftCheck[] {
  const counts = (r: MulticlassResult) =>
    classes.map((c) => (r.classes.includes(c) ? d.count(r.overall.classes[c]) : 0));
  const before = counts(baseline);
  const after = counts(current);
  if (before.some((n) => n === null) || after.some((n) => n === null)) return [];
  const x = before as number[];
  const y = after as number[];
  const totalX = x.reduce((a, b) => a + b, 0);
  const totalY = y.reduce((a, b) => a + b, 0);
  if (totalX === 0 || totalY === 0) return [];
  const moves = classes.map((c, i) => ({ c, then: x[i]! / totalX, now: y[i]! / totalY }));
  const largest = moves.reduce((top, m) =>
    Math.abs(m.now - m.then) > Math.abs(top.now - top.then) ? m : top,
  );
  const largestMove = `the largest move: class ${largest.c}, ${formatPercent(largest.then)} → ${formatPercent(largest.now)}`;
  const test = chiSquareHomogeneity(x, y);
  const material = Math.abs(largest.now - largest.then) >= thresholds.rateChangeWarning;
  const significant = test.pValue < thresholds.alpha;
  const js = jsDistance(x, y);
  const base = { kind: d.kind, metric: d.metric };
  return [
    {
      ...base,
      statistic: 'chi_square',
      value: test.statistic,
      pValue: test.pValue,
      status: significant && material ? 'warning' : 'ok',
      message: `The mix of ${d.words} differs between the audits ${significant ? 'more' : 'no more'} than chance explains (chi-square ${formatNumber(test.statistic)}, ${formatPValue(test.pValue)}; ${largestMove}).`,
    },
    {
      ...base,
      statistic: 'js_distance',
      value: js,
      status: js >= thresholds.jsWarning ? 'warning' : 'ok',
      message: `The mixes of ${d.words} of the two audits are ${formatNumber(js)} apart on a scale from 0 (same) to 0.83 (no overlap) (Jensen-Shannon distance; warning from ${formatNumber(thresholds.jsWarning)}).`,
    },
  ];
}

// ------------------------------------------------------------------ rates: accuracy and per class

function isTestable(m: MetricValue | undefined): m is Testable {
  return typeof m?.value === 'number' && m.numerator !== undefined && m.denominator !== undefined;
}

function test(before: MetricValue | undefined, after: MetricValue | undefined) {
  if (!isTestable(before) || !isTestable(after)) return null;
  return twoProportionZ(before.numerator, before.denominator, after.numerator, after.denominator);
}

/** Pairs of matched groups of every slice in both results. */
function groupPairs<G extends { key: Record<string, string> }>(
  before: { groups: readonly G[] },
  after: { groups: readonly G[] },
): [G, G][] {
  return before.groups.flatMap((g) => {
    const other = after.groups.find((candidate) => groupKeyId(candidate.key) === groupKeyId(g.key));
    return other ? [[g, other] as [G, G]] : [];
  });
}

function accuracyChecks(
  baseline: MulticlassResult,
  current: MulticlassResult,
  thresholds: DriftThresholds,
): DriftCheck[] {
  const overall = test(baseline.overall.metrics.accuracy, current.overall.metrics.accuracy);
  return [
    ...(overall ? rateChecks('performance', 'accuracy', [{ scope: {}, test: overall }], thresholds) : []),
    ...matchSlices(baseline, current).flatMap(([before, after]) => {
      const comparisons = groupPairs(before, after).flatMap(([g, h]): RateComparison[] => {
        const t = test(g.metrics.accuracy, h.metrics.accuracy);
        return t ? [{ scope: { attributes: before.attributes, key: g.key }, test: t }] : [];
      });
      return rateChecks('performance', 'accuracy', comparisons, thresholds);
    }),
  ];
}

function classRateChecks(
  classes: readonly string[],
  baseline: MulticlassResult,
  current: MulticlassResult,
  thresholds: DriftThresholds,
): DriftCheck[] {
  const slices = matchSlices(baseline, current);
  return classes.flatMap((c) =>
    CLASS_RATES.flatMap((metric) => {
      const overall = test(baseline.overall.classes[c]?.[metric], current.overall.classes[c]?.[metric]);
      const words = classWords(metric, c);
      const whole = overall
        ? rateChecks('performance', metric, [{ scope: {}, test: overall }], thresholds, words)
        : [];
      const bySlice = slices.flatMap(([before, after]) => {
        const comparisons = groupPairs(before, after).flatMap(([g, h]): RateComparison[] => {
          const t = test(g.classes[c]?.[metric], h.classes[c]?.[metric]);
          return t ? [{ scope: { attributes: before.attributes, key: g.key }, test: t }] : [];
        });
        return rateChecks('performance', metric, comparisons, thresholds, words);
      });
      return [...whole, ...bySlice].map((check) => ({ ...check, class: c }));
    }),
  );
}

/** A class's one-vs-rest rate in plain words. */
function classWords(metric: (typeof CLASS_RATES)[number], className: string): string {
  return metric === 'selection_rate'
    ? `share predicted as class ${className} (selection rate)`
    : `share of actual class ${className} the model predicts as ${className} (true positive rate)`;
}

// ------------------------------------------------------------------ fairness: per-class parity

/**
 * Each class's demographic parity ratio (lowest group selection rate of the class / highest), over the
 * groups with at least minGroupSize people, against the fairness band: alert when it leaves the band.
 */
function parityChecks(
  classes: readonly string[],
  baseline: MulticlassResult,
  current: MulticlassResult,
  minGroupSize: number,
  thresholds: DriftThresholds,
): DriftCheck[] {
  return matchSlices(baseline, current).flatMap(([before, after]) =>
    classes.flatMap((c): DriftCheck[] => {
      const then = parityRatio(before, c, minGroupSize);
      const now = parityRatio(after, c, minGroupSize);
      if (then === null || now === null) return [];
      const verdict = ratioVerdict(then, now, thresholds);
      return [
        {
          kind: 'fairness',
          attributes: before.attributes,
          metric: 'demographic_parity_ratio',
          class: c,
          statistic: 'band_crossing',
          value: now - then,
          baseline: then,
          current: now,
          status: verdict.status,
          message: `Class ${c}: the demographic parity ratio (lowest group's share predicted ${c} over highest) for ${before.attributes.join(' × ')} ${verdict.words} (${formatNumber(then)} → ${formatNumber(now)}).`,
        },
      ];
    }),
  );
}

/** min / max of the class's selection rate over the eligible groups; null with fewer than two or a zero max. */
export function parityRatio(
  slice: Pick<MulticlassSliceResult, 'groups'>,
  className: string,
  minGroupSize: number,
): number | null {
  const values = eligibleGroups(slice.groups, minGroupSize)
    .map((g) => g.classes[className]?.selection_rate?.value ?? null)
    .filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length < 2) return null;
  const max = Math.max(...values);
  return max > 0 ? Math.min(...values) / max : null;
}
