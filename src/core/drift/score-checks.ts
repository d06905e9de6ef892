import type { ColumnarBatch } from '../ingest/batch';
import type { SortedOrder } from '../stats';
import { argsortFloat64 } from '../stats';
import type { AlignedAttribute } from './aligned-attributes';
import { sortedCountsByGroup, sortedScoresByGroup } from './aligned-attributes';
import {
  countedKs,
  countedPsiDeciles,
  countedPsiEqualWidth,
  countedQuantile,
  countedSample,
  type CountedSample,
} from './counted-sample';
import { ksTwoSampleSorted, type KsResult } from './ks';
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
  /** When a side is a cell table (config.countColumn): both sides with the people each score stands for. */
  counted?: { before: CountedSample; after: CountedSample };
}

/**
 * Both audits' scores in ascending order, sorted once for every score check, and a scratch buffer per side
 * that the per-group checks split the scores into, one attribute at a time.
 */
export interface SortedScores {
  baseline: SortedOrder;
  current: SortedOrder;
  scratch: { baseline: Float64Array; current: Float64Array };
  /** The counts of a side that is a cell table (row order); absent for a side of rows. */
  counts: { baseline?: Float64Array; current?: Float64Array };
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
    counts: { baseline: baseline.counts, current: current.counts },
  };
}

function hasCounts(scores: SortedScores): boolean {
  return scores.counts.baseline !== undefined || scores.counts.current !== undefined;
}

/** Counts in score order (1 each for a side of rows). */
function countsInOrder(order: SortedOrder, counts: Float64Array | undefined): Float64Array | undefined {
  if (counts === undefined) return undefined;
  return Float64Array.from(order.order, (i) => counts[i]!);
}

/** Score drift of the whole sample. */
export function overallScoreChecks(scores: SortedScores, thresholds: DriftThresholds): DriftCheck[] {
  const before = scores.baseline.sorted;
  const after = scores.current.sorted;
  if (before.length === 0 || after.length === 0) return [];
  const counted = hasCounts(scores)
    ? {
        before: countedSample(before, countsInOrder(scores.baseline, scores.counts.baseline)),
        after: countedSample(after, countsInOrder(scores.current, scores.counts.current)),
      }
    : undefined;
  return scoreChecks({ scope: {}, before, after, ...(counted && { counted }) }, thresholds);
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
  const counts = hasCounts(scores)
    ? {
        before: groupCounts(scores.baseline, scores.counts.baseline, attribute.baseline, levelCount),
        after: groupCounts(scores.current, scores.counts.current, attribute.current, levelCount),
      }
    : null;
  return attribute.levels.flatMap((level, g) => {
    const groupBefore = before[g]!;
    const groupAfter = after[g]!;
    // People, not rows, decide whether a group has enough scores (its rows count of the aligned column).
    const enough = Math.max(1, minRows);
    if (attribute.baseline.rows[g]! < enough || attribute.current.rows[g]! < enough) return [];
    if (groupBefore.length === 0 || groupAfter.length === 0) return [];
    const counted = counts && {
      before: countedSample(groupBefore, counts.before?.[g]),
      after: countedSample(groupAfter, counts.after?.[g]),
    };
    return scoreChecks(
      {
        scope: groupScope(attribute.name, level),
        before: groupBefore,
        after: groupAfter,
        ...(counted && { counted }),
      },
      thresholds,
    );
  });
}

/**
 * PSI on the baseline's deciles, PSI on equal-width bins when both samples lie in [0, 1], and KS.
 * `baseline`/`current` carry the median scores. KS warns only when p < alpha and D ≥ ksMinD.
 */
function scoreChecks(comparison: ScoreComparison, thresholds: DriftThresholds): DriftCheck[] {
  const { before, after, counted } = comparison;
  const stats = counted ? countedStatistics(counted.before, counted.after) : rowStatistics(before, after);
  const medians = stats.medians;
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
  const checks = [psiCheck('psi', stats.psiDeciles(), "the baseline's deciles")];
  if (isProbabilitySorted(before) && isProbabilitySorted(after)) {
    checks.push(psiCheck('psi_equal_width', stats.psiEqualWidth(), 'ten equal bins'));
  }
  const ks = stats.ks();
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

/** The statistics scoreChecks reports, on two samples of rows or of counted cells. */
interface ScoreStatistics {
  medians: { baseline: number; current: number };
  psiDeciles(): number;
  psiEqualWidth(): number;
  ks(): KsResult;
}

function rowStatistics(before: Float64Array, after: Float64Array): ScoreStatistics {
  return {
    medians: { baseline: quantileLinear(before, 0.5), current: quantileLinear(after, 0.5) },
    psiDeciles: () => scorePsiDecilesSorted(before, after),
    psiEqualWidth: () => scorePsiEqualWidthSorted(before, after),
    ks: () => ksTwoSampleSorted(before, after),
  };
}

/** The same statistics of the expanded samples, computed on the cells (counted-sample.ts). */
function countedStatistics(before: CountedSample, after: CountedSample): ScoreStatistics {
  return {
    medians: { baseline: countedQuantile(before, 0.5), current: countedQuantile(after, 0.5) },
    psiDeciles: () => countedPsiDeciles(before, after),
    psiEqualWidth: () => countedPsiEqualWidth(before, after),
    ks: () => countedKs(before, after),
  };
}

/** A side's counts split per group in score order; undefined for a side of rows. */
function groupCounts(
  order: SortedOrder,
  counts: Float64Array | undefined,
  column: AlignedAttribute['baseline'],
  levelCount: number,
): Float64Array[] | undefined {
  return counts === undefined ? undefined : sortedCountsByGroup(order, counts, column, levelCount);
}
