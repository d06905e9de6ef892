import type { ColumnarBatch } from '../ingest/batch';
import type { SortedOrder } from '../stats';
import { argsortFloat64 } from '../stats';
import type { AlignedAttribute } from './aligned-attributes';
import { sortedScoresByGroup } from './aligned-attributes';
import { ksTwoSampleSorted } from './ks';
import { isProbabilitySorted, scorePsiDecilesSorted, scorePsiEqualWidthSorted } from './psi';
import { quantileLinear } from './quantile';
import type { CheckScope } from './scope';
import { groupScope } from './scope';
import { psiStatus } from './status';
import type { DriftCheck, DriftStatistic, DriftThresholds } from './types';
import { describeSubject, formatNumber, formatPValue } from './wording';

/** One comparison of two score samples, both sorted ascending. */
interface ScoreComparison {
  /** {} for the whole sample. */
  scope: CheckScope;
  before: Float64Array;
  after: Float64Array;
}

/**
 * Both audits' scores in ascending order, sorted once for every score check, and a scratch buffer per side
 * that the per-group checks split the scores into, one attribute at a time.
 */
export interface SortedScores {
  baseline: SortedOrder;
  current: SortedOrder;
  scratch: { baseline: Float64Array; current: Float64Array };
}

/**
 * Sorted scores of both audits, or null unless both have a score column. `presorted` may hold a side's
 * argsortFloat64 of its scores already computed (e.g. kept with a cached batch), so it is not sorted again.
 */
export function sortScores(
  baseline: ColumnarBatch,
  current: ColumnarBatch,
  presorted: { baseline?: SortedOrder; current?: SortedOrder } = {},
): SortedScores | null {
  if (!baseline.scores || !current.scores) return null;
  return {
    baseline: presorted.baseline ?? argsortFloat64(baseline.scores),
    current: presorted.current ?? argsortFloat64(current.scores),
    scratch: { baseline: new Float64Array(baseline.rowCount), current: new Float64Array(current.rowCount) },
  };
}

/** Score drift of the whole sample. */
export function overallScoreChecks(scores: SortedScores, thresholds: DriftThresholds): DriftCheck[] {
  const before = scores.baseline.sorted;
  const after = scores.current.sorted;
  return before.length > 0 && after.length > 0 ? scoreChecks({ scope: {}, before, after }, thresholds) : [];
}

/**
 * Score drift of each group of an attribute. Groups with fewer than `minRows` scores on either side are
 * skipped: ten-bin PSI on a handful of rows is noise (a group absent on one side is reported by the
 * population checks).
 */
export function groupScoreChecks(
  attribute: AlignedAttribute,
  scores: SortedScores,
  minRows: number,
  thresholds: DriftThresholds,
): DriftCheck[] {
  const levelCount = attribute.levels.length;
  const before = sortedScoresByGroup(
    scores.baseline,
    attribute.baseline,
    levelCount,
    scores.scratch.baseline,
  );
  const after = sortedScoresByGroup(scores.current, attribute.current, levelCount, scores.scratch.current);
  return attribute.levels.flatMap((level, g) => {
    const groupBefore = before[g]!;
    const groupAfter = after[g]!;
    if (groupBefore.length < Math.max(1, minRows) || groupAfter.length < Math.max(1, minRows)) return [];
    return scoreChecks(
      { scope: groupScope(attribute.name, level), before: groupBefore, after: groupAfter },
      thresholds,
    );
  });
}

/**
 * PSI on the baseline's deciles, PSI on equal-width bins when both samples lie in [0, 1], and KS.
 * `baseline`/`current` carry the median scores. KS warns only when p < alpha and D ≥ ksMinD.
 */
function scoreChecks(comparison: ScoreComparison, thresholds: DriftThresholds): DriftCheck[] {
  const { before, after } = comparison;
  const medians = { baseline: quantileLinear(before, 0.5), current: quantileLinear(after, 0.5) };
  const subject = describeSubject(comparison.scope.key);
  const medianMove = `median ${formatNumber(medians.baseline)} → ${formatNumber(medians.current)}`;
  const base = { kind: 'score' as const, ...comparison.scope, ...medians };
  const psiCheck = (statistic: DriftStatistic, value: number, bins: string): DriftCheck => {
    const status = psiStatus(value, thresholds);
    const verdict = status === 'ok' ? 'are stable' : 'shifted';
    return {
      ...base,
      statistic,
      value,
      status,
      message: `Scores of ${subject} ${verdict} (PSI ${formatNumber(value)} over ${bins}; ${medianMove}).`,
    };
  };
  const checks = [psiCheck('psi', scorePsiDecilesSorted(before, after), "the baseline's deciles")];
  if (isProbabilitySorted(before) && isProbabilitySorted(after)) {
    checks.push(psiCheck('psi_equal_width', scorePsiEqualWidthSorted(before, after), 'ten equal bins'));
  }
  const ks = ksTwoSampleSorted(before, after);
  const ksWarns = ks.pValue < thresholds.alpha && ks.statistic >= thresholds.ksMinD;
  const gap = `${Math.round(ks.statistic * 100)} percentage points`;
  checks.push({
    ...base,
    statistic: 'ks',
    value: ks.statistic,
    pValue: ks.pValue,
    status: ksWarns ? 'warning' : 'ok',
    message: `The score distributions of ${subject} differ by at most ${gap} of cumulative share (KS, ${formatPValue(ks.pValue)}).`,
  });
  return checks;
}
