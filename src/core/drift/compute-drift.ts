import { checkedScoreOrder } from '../fairness';
import { DomainError } from '../errors';
import type { FairnessResult } from '../fairness/types';
import type { AuditMetrics, AuditTask } from '../tasks/types';
import { resultTask } from '../tasks/types';
import type { ColumnarBatch } from '../ingest/batch';
import type { SortedOrder } from '../stats';
import type { AlignedAttribute } from './aligned-attributes';
import { alignAttributes } from './aligned-attributes';
import { calibrationChecks } from './calibration-checks';
import { notEnoughData, smallerGroupSizes } from './evidence';
import { fairnessChecks } from './fairness-checks';
import { labelChecks } from './label-checks';
import { multiclassChecks } from './multiclass-checks';
import { performanceChecks } from './performance-checks';
import { poisoningChecks } from './poisoning-checks';
import { populationChecks } from './population-checks';
import { regressionChecks } from './regression-checks';
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
  /** A result of any task; both sides must be of the same task. */
  result: AuditMetrics;
  scoreOrder?: SortedOrder;
}

/**
 * The task both audits share; DomainError('invalid_input', field "baseline") when they differ: a
 * regression's errors and a classifier's rates measure different things, so nothing can be compared.
 */
export function sharedTask(
  baseline: Pick<DriftSide, 'result'>,
  current: Pick<DriftSide, 'result'>,
): AuditTask {
  const before = resultTask(baseline.result);
  const now = resultTask(current.result);
  if (before !== now) {
    throw new DomainError(
      'invalid_input',
      `The baseline is a ${before} audit and this audit is a ${now} audit: drift compares audits of the same task only.`,
      [{ field: 'baseline', message: `is a ${before} audit; this audit is a ${now} audit` }],
    );
  }
  return now;
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
  sharedTask(baseline, current);
  const attributes = alignAttributes(baseline.batch, current.batch);
  const evidenceMin = Math.max(
    baseline.result.conventions.minGroupSize,
    current.result.conventions.minGroupSize,
  );
  const sizes = smallerGroupSizes(baseline.result, current.result);
  const measured: DriftCheck[] = [
    ...attributes.flatMap((attribute) => populationChecks(attribute, thresholds)),
    ...taskChecks(baseline, current, attributes, thresholds),
  ];
  // Evidence before alarms: a group under minGroupSize on either side reports "not enough data", and
  // never counts for or against a poisoning signal.
  const checks = measured.map((check) => notEnoughData(check, sizes, evidenceMin));
  const evidential = checks.filter((check, i) => check === measured[i]);
  // Poisoning reads the binary task's per-group label rates and score PSI only.
  if (resultTask(current.result) === 'binary') checks.push(...poisoningChecks(evidential, thresholds));
  checks.sort(compareChecks);
  return { status: worstStatus(checks), checks };
}

/** The checks of the audits' task, beyond the population mix every task shares. */
function taskChecks(
  baseline: DriftSide,
  current: DriftSide,
  attributes: readonly AlignedAttribute[],
  thresholds: DriftThresholds,
): DriftCheck[] {
  const before = baseline.result;
  const after = current.result;
  if ('task' in before && 'task' in after) {
    if (before.task === 'regression' && after.task === 'regression')
      return regressionChecks(
        { batch: baseline.batch, result: before },
        { batch: current.batch, result: after },
        attributes,
        thresholds,
      );
    if (before.task === 'multiclass' && after.task === 'multiclass')
      return multiclassChecks(before, after, thresholds);
  }
  return binaryChecks(
    { ...baseline, result: before as FairnessResult },
    { ...current, result: after as FairnessResult },
    attributes,
    thresholds,
  );
}

function binaryChecks(
  baseline: DriftSide & { result: FairnessResult },
  current: DriftSide & { result: FairnessResult },
  attributes: readonly AlignedAttribute[],
  thresholds: DriftThresholds,
): DriftCheck[] {
  const scores = sortScores(baseline.batch, current.batch, {
    baseline: checkedScoreOrder(baseline.batch, baseline.scoreOrder),
    current: checkedScoreOrder(current.batch, current.scoreOrder),
  });
  const minRows = baseline.result.conventions.minGroupSize;
  return [
    ...(scores ? overallScoreChecks(scores, thresholds) : []),
    ...(scores
      ? attributes.flatMap((attribute) => groupScoreChecks(attribute, scores, minRows, thresholds))
      : []),
    ...labelChecks(baseline.batch, current.batch, attributes, thresholds),
    ...performanceChecks(baseline.result, current.result, thresholds),
    ...calibrationChecks(baseline.result, current.result, thresholds),
    ...fairnessChecks(baseline.result, current.result, thresholds),
  ];
}
