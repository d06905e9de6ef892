import type { FairnessResult, SliceResult, SliceSummary } from '../fairness/types';
import { evidenceSummary } from './evidence';
import { matchSlices } from './slices';
import type { DriftCheck, DriftStatus, DriftThresholds } from './types';
import { formatNumber, humanize } from './wording';

/**
 * Each slice summary metric now against the baseline (statistic 'band_crossing', value = current −
 * baseline), each side's summary computed over its groups with at least minGroupSize people (the larger
 * of the two audits' settings): a group too small to carry evidence never moves a summary into an alert.
 * The message names the groups left out. Ratios (keys ending in "_ratio"): alert when the ratio
 * leaves the fairness band (inclusive), ok when it stays inside, comes back inside, or stays outside (a
 * standing gap is the audit's finding, not drift). Other summaries (differences, indices): warning when
 * |change| ≥ rateChangeWarning.
 */
export function fairnessChecks(
  baseline: FairnessResult,
  current: FairnessResult,
  thresholds: DriftThresholds,
): DriftCheck[] {
  const minGroupSize = Math.max(baseline.conventions.minGroupSize, current.conventions.minGroupSize);
  const favorable = current.conventions.favorableOutcome;
  return matchSlices(baseline, current).flatMap(([before, after]) => {
    const then = evidenceSummary(before, minGroupSize, favorable);
    const now = evidenceSummary(after, minGroupSize, favorable);
    const leftOut = [...new Set([...then.leftOut, ...now.leftOut].map((k) => Object.values(k).join(' × ')))];
    const note =
      leftOut.length > 0 ? ` Groups under ${minGroupSize} people left out: ${leftOut.join(', ')}.` : '';
    return summaryKeys(before.summary).flatMap((metric) => {
      const a = then.summary[metric];
      const b = now.summary[metric];
      if (typeof a !== 'number' || typeof b !== 'number') return [];
      const check = summaryCheck(before, metric, a, b, thresholds);
      return [{ ...check, message: check.message + note }];
    });
  });
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

export interface Verdict {
  status: DriftStatus;
  words: string;
}

export function ratioVerdict(then: number, now: number, thresholds: DriftThresholds): Verdict {
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
