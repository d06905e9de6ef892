import { checkedScoreOrder } from '../fairness';
import type { FairnessResult } from '../fairness/types';
import type { ColumnarBatch } from '../ingest/batch';
import type { SortedOrder } from '../stats';
import { alignAttributes } from './aligned-attributes';
import { calibrationChecks } from './calibration-checks';
import { notEnoughData, smallerGroupSizes } from './evidence';
import { fairnessChecks } from './fairness-checks';
import { labelChecks } from './label-checks';
import { performanceChecks } from './performance-checks';
import { poisoningChecks } from './poisoning-checks';
import { populationChecks } from './population-checks';
import { groupScoreChecks, overallScoreChecks, sortScores } from './score-checks';
import { compareChecks, worstStatus } from './status';
import type { DriftCheck, DriftReport, DriftThresholds } from './types';
import { DEFAULT_DRIFT_THRESHOLDS } from './types';

/**
 * One audit as drift sees it: its mapped columns and its fairness result; optionally its rows in score
 * order (scoreOrderOf from core/fairness, the same sort computeFairness can take), so it is not sorted again.
 */
export interface DriftSide {
  batch: ColumnarBatch;
  result: FairnessResult;
  scoreOrder?: SortedOrder;
}

/**
 * Compares the current audit with a baseline: population, score, label, performance (rates, and calibration:
 * O/E ratio and slope, calibration-checks.ts) and fairness checks,
 * then poisoning checks over the per-group ones. Attributes are matched by column name and groups by
 * name; a group present on one side only shows in the population checks (share 0 on the other side).
 * Per-group score checks need the baseline policy's minGroupSize rows on each side; any other per-group
 * check (not a population share) of a group under minGroupSize is "not enough data" (status ok), and
 * slice summaries for band crossings leave such groups out (./evidence.ts). The report's status
 * is the worst check's; checks come worst first, then by |value| descending.
 */
export function computeDrift(
  baseline: DriftSide,
  current: DriftSide,
  thresholds: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS,
): DriftReport {
  const attributes = alignAttributes(baseline.batch, current.batch);
  const scores = sortScores(baseline.batch, current.batch, {
    baseline: checkedScoreOrder(baseline.batch, baseline.scoreOrder),
    current: checkedScoreOrder(current.batch, current.scoreOrder),
  });
  const minRows = baseline.result.conventions.minGroupSize;
  const evidenceMin = Math.max(minRows, current.result.conventions.minGroupSize);
  const sizes = smallerGroupSizes(baseline.result, current.result);
  const measured: DriftCheck[] = [
    ...attributes.flatMap((attribute) => populationChecks(attribute, thresholds)),
    ...(scores ? overallScoreChecks(scores, thresholds) : []),
    ...(scores
      ? attributes.flatMap((attribute) => groupScoreChecks(attribute, scores, minRows, thresholds))
      : []),
    ...labelChecks(baseline.batch, current.batch, attributes, thresholds),
    ...performanceChecks(baseline.result, current.result, thresholds),
    ...calibrationChecks(baseline.result, current.result, thresholds),
    ...fairnessChecks(baseline.result, current.result, thresholds),
  ];
  // Evidence before alarms: a group under minGroupSize on either side reports "not enough data", and
  // never counts for or against a poisoning signal.
  const checks = measured.map((check) => notEnoughData(check, sizes, evidenceMin));
  const evidential = checks.filter((check, i) => check === measured[i]);
  checks.push(...poisoningChecks(evidential, thresholds));
  checks.sort(compareChecks);
  return { status: worstStatus(checks), checks };
}
