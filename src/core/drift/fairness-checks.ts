import type { FairnessResult, SliceResult, SliceSummary } from '../fairness/types';
import { matchSlices } from './slices';
import type { DriftCheck, DriftStatus, DriftThresholds } from './types';
import { formatNumber, humanize } from './wording';

/**
 * Each slice summary metric now against the baseline, from the two stored results (statistic
 * 'band_crossing', value = current − baseline). Ratios (keys ending in "_ratio"): alert when the ratio
 * leaves the fairness band (inclusive), ok when it stays inside, comes back inside, or stays outside (a
 * standing gap is the audit's finding, not drift). Other summaries (differences, indices): warning when
 * |change| ≥ rateChangeWarning.
 */
export function fairnessChecks(
  baseline: FairnessResult,
  current: FairnessResult,
  thresholds: DriftThresholds,
): DriftCheck[] {
  return matchSlices(baseline, current).flatMap(([before, after]) =>
    summaryKeys(before.summary).flatMap((metric) => {
      const then = before.summary[metric];
      const now = after.summary[metric];
      if (typeof then !== 'number' || typeof now !== 'number') return [];
      return [summaryCheck(before, metric, then, now, thresholds)];
    }),
  );
}

function summaryKeys(summary: SliceSummary): (keyof SliceSummary)[] {
  return Object.keys(summary) as (keyof SliceSummary)[];
}

function summaryCheck(
  slice: SliceResult,
  metric: keyof SliceSummary,
  then: number,
  now: number,
  thresholds: DriftThresholds,
): DriftCheck {
  const verdict = metric.endsWith('_ratio')
    ? ratioVerdict(then, now, thresholds)
    : changeVerdict(then, now, thresholds);
  return {
    kind: 'fairness',
    attributes: slice.attributes,
    metric,
    statistic: 'band_crossing',
    value: now - then,
    baseline: then,
    current: now,
    status: verdict.status,
    message: `The ${humanize(metric)} for ${slice.attributes.join(' × ')} ${verdict.words} (${formatNumber(then)} → ${formatNumber(now)}).`,
  };
}

interface Verdict {
  status: DriftStatus;
  words: string;
}

function ratioVerdict(then: number, now: number, thresholds: DriftThresholds): Verdict {
  const [low, high] = thresholds.fairnessBand;
  const band = `the fairness band [${low}, ${high}]`;
  const wasInside = then >= low && then <= high;
  const isInside = now >= low && now <= high;
  if (wasInside && !isInside) return { status: 'alert', words: `left ${band}` };
  if (!wasInside && isInside) return { status: 'ok', words: `came back inside ${band}` };
  return { status: 'ok', words: isInside ? `stayed inside ${band}` : `stayed outside ${band}` };
}

function changeVerdict(then: number, now: number, thresholds: DriftThresholds): Verdict {
  const moved = Math.abs(now - then) >= thresholds.rateChangeWarning;
  const direction = Math.abs(now) > Math.abs(then) ? 'grew' : 'shrank';
  return moved ? { status: 'warning', words: direction } : { status: 'ok', words: 'barely moved' };
}
