import type { ColumnarBatch } from '../ingest/batch';
import { MISSING_CODE } from '../ingest/batch';
import type { RegressionResult, RegressionSliceResult } from '../tasks/types';
import { argsortFloat64, type SortedOrder } from '../stats';
import type { AlignedAttribute } from './aligned-attributes';
import { sortedScoresByGroup } from './aligned-attributes';
import { eligibleGroups } from './evidence';
import { ratioVerdict } from './fairness-checks';
import { holm } from './hypothesis-tests';
import { ksTwoSampleSorted } from './ks';
import { meanChangeZ, meanSummaries, type MeanChangeResult, type MeanSummary } from './mean-tests';
import { scorePsiDecilesSorted } from './psi';
import { quantileLinear } from './quantile';
import { matchSlices } from './slices';
import type { CheckScope } from './scope';
import { groupScope } from './scope';
import { psiStatus, rateChangeStatus } from './status';
import type { DriftCheck, DriftThresholds } from './types';
import { describeSubject, formatNumber, formatPValue } from './wording';

/** One regression audit as drift sees it: the batch must carry `targets` and `predictedValues`. */
export interface RegressionSide {
  batch: ColumnarBatch;
  result: RegressionResult;
}

type Column = 'targets' | 'predictedValues';

const DISTRIBUTIONS: { column: Column; kind: 'label' | 'score'; metric: string; words: string }[] = [
  { column: 'targets', kind: 'label', metric: 'target', words: 'Outcome values (target)' },
  { column: 'predictedValues', kind: 'score', metric: 'prediction', words: 'Predicted values' },
];

/**
 * Drift of a regression model: the distributions of the outcome (kind "label", metric "target") and of the
 * prediction (kind "score", metric "prediction") by PSI over the baseline's deciles and KS, for the whole
 * sample and each group with minGroupSize rows on both sides; each group's mean absolute error and mean
 * error (prediction − target) now against the baseline (z-test of the change in a mean, Holm within an
 * attribute and metric); and the MAE ratio of each slice (lowest group MAE / highest, over groups with at
 * least minGroupSize people) against the fairness band.
 *
 * Materiality of an error change is scale-free: |change| / the subject's baseline MAE, held against
 * rateChangeWarning and rateChangeAlert (5% and 10% of the typical error by default), and it counts only
 * when the change is significant, as for the binary rate checks.
 */
export function regressionChecks(
  baseline: RegressionSide,
  current: RegressionSide,
  attributes: readonly AlignedAttribute[],
  thresholds: DriftThresholds,
): DriftCheck[] {
  const minRows = Math.max(baseline.result.conventions.minGroupSize, current.result.conventions.minGroupSize);
  return [
    ...DISTRIBUTIONS.flatMap((d) =>
      distributionDrift(d, baseline.batch, current.batch, attributes, minRows, thresholds),
    ),
    ...errorDrift(baseline.batch, current.batch, attributes, thresholds),
    ...maeRatioChecks(baseline.result, current.result, minRows, thresholds),
  ];
}

// ------------------------------------------------------------------ distributions of target and prediction

function distributionDrift(
  d: (typeof DISTRIBUTIONS)[number],
  before: ColumnarBatch,
  after: ColumnarBatch,
  attributes: readonly AlignedAttribute[],
  minRows: number,
  thresholds: DriftThresholds,
): DriftCheck[] {
  const a = before[d.column];
  const b = after[d.column];
  if (!a || !b || a.length === 0 || b.length === 0) return [];
  const sortedBefore = argsortFloat64(a);
  const sortedAfter = argsortFloat64(b);
  const overall = distributionChecks(d, {}, sortedBefore.sorted, sortedAfter.sorted, thresholds);
  const scratch = { before: new Float64Array(a.length), after: new Float64Array(b.length) };
  const byGroup = attributes.flatMap((attribute) =>
    groupDistributions(d, attribute, sortedBefore, sortedAfter, scratch, minRows, thresholds),
  );
  return [...overall, ...byGroup];
}

function groupDistributions(
  d: (typeof DISTRIBUTIONS)[number],
  attribute: AlignedAttribute,
  before: SortedOrder,
  after: SortedOrder,
  scratch: { before: Float64Array; after: Float64Array },
  minRows: number,
  thresholds: DriftThresholds,
): DriftCheck[] {
  const levelCount = attribute.levels.length;
  const groupsBefore = sortedScoresByGroup(before, attribute.baseline, levelCount, scratch.before);
  const groupsAfter = sortedScoresByGroup(after, attribute.current, levelCount, scratch.after);
  return attribute.levels.flatMap((level, g) => {
    const x = groupsBefore[g]!;
    const y = groupsAfter[g]!;
    if (x.length < Math.max(1, minRows) || y.length < Math.max(1, minRows)) return [];
    return distributionChecks(d, groupScope(attribute.name, level), x, y, thresholds);
  });
}

/** PSI over the baseline's deciles and KS (a warning only when p < alpha and D ≥ ksMinD); medians as baseline/current. */
function distributionChecks(
  d: (typeof DISTRIBUTIONS)[number],
  scope: CheckScope,
  before: Float64Array,
  after: Float64Array,
  thresholds: DriftThresholds,
): DriftCheck[] {
  const medians = { baseline: quantileLinear(before, 0.5), current: quantileLinear(after, 0.5) };
  const base = { kind: d.kind, ...scope, metric: d.metric, ...medians };
  const subject = describeSubject(scope.key);
  const psiValue = scorePsiDecilesSorted(before, after);
  const psiState = psiStatus(psiValue, thresholds);
  const ks = ksTwoSampleSorted(before, after);
  const ksWarns = ks.pValue < thresholds.alpha && ks.statistic >= thresholds.ksMinD;
  const medianMove = `median ${formatNumber(medians.baseline)} → ${formatNumber(medians.current)}`;
  return [
    {
      ...base,
      statistic: 'psi',
      value: psiValue,
      status: psiState,
      message: `${d.words} of ${subject} ${psiState === 'ok' ? 'are stable' : 'shifted'} (PSI ${formatNumber(psiValue)} over the baseline's deciles; ${medianMove}).`,
    },
    {
      ...base,
      statistic: 'ks',
      value: ks.statistic,
      pValue: ks.pValue,
      status: ksWarns ? 'warning' : 'ok',
      message: `${d.words} of ${subject} differ by at most ${Math.round(ks.statistic * 100)} percentage points of cumulative share (KS, ${formatPValue(ks.pValue)}).`,
    },
  ];
}

// ------------------------------------------------------------------ error drift per group

const ERROR_METRICS = [
  { metric: 'mean_absolute_error', words: 'mean absolute error', absolute: true },
  {
    metric: 'mean_error',
    words: 'mean error (prediction − target; below 0: under-prediction)',
    absolute: false,
  },
] as const;

interface SideErrors {
  absolute: Float64Array;
  signed: Float64Array;
  frequencies?: Float64Array;
}

function sideErrors(batch: ColumnarBatch): SideErrors | null {
  const { targets, predictedValues } = batch;
  if (!targets || !predictedValues) return null;
  const signed = new Float64Array(targets.length);
  const absolute = new Float64Array(targets.length);
  for (let i = 0; i < targets.length; i++) {
    signed[i] = predictedValues[i]! - targets[i]!;
    absolute[i] = Math.abs(signed[i]!);
  }
  return { absolute, signed, ...(batch.counts ? { frequencies: batch.counts } : {}) };
}

interface ErrorSubject {
  scope: CheckScope;
  before: { absolute: MeanSummary; signed: MeanSummary };
  after: { absolute: MeanSummary; signed: MeanSummary };
}

function errorDrift(
  before: ColumnarBatch,
  after: ColumnarBatch,
  attributes: readonly AlignedAttribute[],
  thresholds: DriftThresholds,
): DriftCheck[] {
  const x = sideErrors(before);
  const y = sideErrors(after);
  if (!x || !y) return [];
  const wholeSample = () => 0;
  const overall = subjects([''], {
    before: summaries(x, 1, wholeSample),
    after: summaries(y, 1, wholeSample),
  });
  const groups = attributes.map((attribute) => {
    const count = attribute.levels.length;
    const sides = {
      before: summaries(x, count, groupOf(attribute.baseline)),
      after: summaries(y, count, groupOf(attribute.current)),
    };
    return subjects(attribute.levels, sides, attribute.name);
  });
  return [overall, ...groups].flatMap((group) =>
    ERROR_METRICS.flatMap((m) => errorChecks(m, group, thresholds)),
  );
}

type Summaries = { absolute: MeanSummary[]; signed: MeanSummary[] };

function summaries(side: SideErrors, groupCount: number, groupOf: (row: number) => number): Summaries {
  return {
    absolute: meanSummaries(side.absolute, groupCount, groupOf, side.frequencies),
    signed: meanSummaries(side.signed, groupCount, groupOf, side.frequencies),
  };
}

/** Row → union group of an aligned attribute; −1 for a missing value. */
function groupOf(column: AlignedAttribute['baseline']): (row: number) => number {
  return (row) => {
    const code = column.codes[row]!;
    return code === MISSING_CODE ? -1 : column.toUnion[code]!;
  };
}

/** The levels' subjects (the whole sample when `attribute` is absent). */
function subjects(
  levels: readonly string[],
  sides: { before: Summaries; after: Summaries },
  attribute?: string,
): ErrorSubject[] {
  return levels.map((level, g) => ({
    scope: attribute === undefined ? {} : groupScope(attribute, level),
    before: { absolute: sides.before.absolute[g]!, signed: sides.before.signed[g]! },
    after: { absolute: sides.after.absolute[g]!, signed: sides.after.signed[g]! },
  }));
}

/** One metric over the subjects of one attribute (or the whole sample), Holm across them. */
function errorChecks(
  m: (typeof ERROR_METRICS)[number],
  subjects: readonly ErrorSubject[],
  thresholds: DriftThresholds,
): DriftCheck[] {
  const pick = (s: ErrorSubject['before']) => (m.absolute ? s.absolute : s.signed);
  const tested = subjects.flatMap((subject) => {
    const test = meanChangeZ(pick(subject.before), pick(subject.after));
    return test ? [{ subject, test }] : [];
  });
  const adjusted = tested.length > 1 ? holm(tested.map((t) => t.test.pValue)) : null;
  return tested.map(({ subject, test }, i) => {
    const pValueAdjusted = adjusted?.[i] ?? null;
    const pValue = pValueAdjusted ?? test.pValue;
    const scale = subject.before.absolute.mean;
    return {
      kind: 'performance',
      ...subject.scope,
      metric: m.metric,
      statistic: 'z_test',
      value: test.z,
      pValue: test.pValue,
      ...(adjusted ? { pValueAdjusted } : {}),
      baseline: test.mean1,
      current: test.mean2,
      status: rateChangeStatus(relativeChange(test, scale), pValue, thresholds),
      message: errorMessage(m.words, subject.scope, test, scale, pValue, pValueAdjusted !== null),
    };
  });
}

/** The change in units of the subject's baseline MAE (its typical error): 0.05 = 5% of it. */
function relativeChange(test: MeanChangeResult, baselineMae: number): number {
  const change = test.mean2 - test.mean1;
  if (baselineMae > 0) return change / baselineMae;
  return change === 0 ? 0 : Infinity;
}

function errorMessage(
  words: string,
  scope: CheckScope,
  test: MeanChangeResult,
  scale: number,
  pValue: number,
  holmAdjusted: boolean,
): string {
  const move =
    test.mean1 === test.mean2
      ? `stayed at ${formatNumber(test.mean2)}`
      : `${test.mean2 > test.mean1 ? 'rose' : 'fell'} from ${formatNumber(test.mean1)} to ${formatNumber(test.mean2)}`;
  const size =
    scale > 0
      ? `, a change of ${Math.round((Math.abs(test.mean2 - test.mean1) / scale) * 100)}% of the baseline's mean absolute error`
      : '';
  return `The ${words} of ${describeSubject(scope.key)} ${move}${size} (${formatPValue(pValue)}${holmAdjusted ? ' after Holm' : ''}).`;
}

// ------------------------------------------------------------------ fairness: the MAE gap

/**
 * The MAE ratio (lowest group MAE / highest) of each slice in both results, over the groups with at least
 * minGroupSize people, against the fairness band: alert when it leaves the band (as the binary ratios).
 */
function maeRatioChecks(
  baseline: RegressionResult,
  current: RegressionResult,
  minGroupSize: number,
  thresholds: DriftThresholds,
): DriftCheck[] {
  return matchSlices(baseline, current).flatMap(([before, after]) => {
    const then = maeRatio(before, minGroupSize);
    const now = maeRatio(after, minGroupSize);
    if (then === null || now === null) return [];
    const verdict = ratioVerdict(then, now, thresholds);
    return [
      {
        kind: 'fairness',
        attributes: before.attributes,
        metric: 'mean_absolute_error_ratio',
        statistic: 'band_crossing',
        value: now - then,
        baseline: then,
        current: now,
        status: verdict.status,
        message: `The mean absolute error ratio (lowest group's over highest group's) for ${before.attributes.join(' × ')} ${verdict.words} (${formatNumber(then)} → ${formatNumber(now)}).`,
      },
    ];
  });
}

/** min / max of the eligible groups' MAE; null with fewer than two such groups or a zero maximum. */
export function maeRatio(slice: Pick<RegressionSliceResult, 'groups'>, minGroupSize: number): number | null {
  const values = eligibleGroups(slice.groups, minGroupSize)
    .map((g) => g.metrics.mean_absolute_error?.value ?? null)
    .filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length < 2) return null;
  const max = Math.max(...values);
  return max > 0 ? Math.min(...values) / max : null;
}
