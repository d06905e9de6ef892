import { calibrationMetrics, undefinedCalibration, type CalibrationFit } from '../score-quality/calibration';
import { clampTo, containing, logitInterval, mannWhitneyScoreInterval, wilsonInterval } from '../stats';
import type { CalibrationScope } from './calibration-pass';
import { AucEstimate, ClassWeights } from './ranking';
import { CELL, SLOT } from './tally';
import { LABEL_FREE_KEYS, MetricKey, MetricValue, RateKey } from './types';

/**
 * A rate m = numerator / denominator of weighted counts, with the effective counts (x, n) its interval and
 * tests use. Without weights (every Σw² = Σw) x and n are the exact counts; with weights n is Kish's
 * effective size (Σw)²/Σw² of the denominator's rows and x = m·n.
 */
export interface Proportion {
  numerator: number;
  denominator: number;
  x: number;
  n: number;
}

/** A rate's value (null when undefined) and, for a true proportion, its counts. */
export interface RateEstimate {
  value: number | null;
  /** null for balanced_accuracy and f1, which are not a share of rows (no interval, no test). */
  proportion: Proportion | null;
}

/** Everything reported for one group (or the whole sample), before disparities. */
export interface GroupEstimates {
  rows: number;
  rates: Partial<Record<RateKey, RateEstimate>>;
  auc: AucEstimate | null;
  brierScore: number | null;
  meanScore: number | null;
  /** Labelled rows of one class only (n > 0). */
  singleClass: boolean;
  /** Calibration sums and fits (null without labels or scores, or when `calibrationScope` says why). */
  calibration: CalibrationFit | null;
  calibrationScope: CalibrationScope;
}

export interface EstimateContext {
  hasLabels: boolean;
  hasScores: boolean;
}

type Cell = (typeof CELL)[keyof typeof CELL];
const ALL: Cell[] = [CELL.TN, CELL.FP, CELL.FN, CELL.TP];

/** The rates that are a share of cells of the confusion table (metrics.md, "Per-group counts and rates"). */
const CELL_RATES: Partial<Record<RateKey, { numerator: Cell[]; denominator: Cell[] }>> = {
  base_rate: { numerator: [CELL.TP, CELL.FN], denominator: ALL },
  selection_rate: { numerator: [CELL.TP, CELL.FP], denominator: ALL },
  true_positive_rate: { numerator: [CELL.TP], denominator: [CELL.TP, CELL.FN] },
  false_positive_rate: { numerator: [CELL.FP], denominator: [CELL.FP, CELL.TN] },
  true_negative_rate: { numerator: [CELL.TN], denominator: [CELL.TN, CELL.FP] },
  false_negative_rate: { numerator: [CELL.FN], denominator: [CELL.FN, CELL.TP] },
  positive_predictive_value: { numerator: [CELL.TP], denominator: [CELL.TP, CELL.FP] },
  negative_predictive_value: { numerator: [CELL.TN], denominator: [CELL.TN, CELL.FN] },
  false_discovery_rate: { numerator: [CELL.FP], denominator: [CELL.FP, CELL.TP] },
  false_omission_rate: { numerator: [CELL.FN], denominator: [CELL.FN, CELL.TN] },
  accuracy: { numerator: [CELL.TP, CELL.TN], denominator: ALL },
};

/** Rates reported in label-free mode. */
const LABEL_FREE_RATES = new Set<string>(LABEL_FREE_KEYS);

/** Estimates from one group's block of tally sums (see tally.ts) and its AUC. */
export function estimateGroup(
  sums: Float64Array,
  auc: AucEstimate | null,
  context: EstimateContext,
  calibration: { fit: CalibrationFit | null; scope: CalibrationScope } = { fit: null, scope: null },
): GroupEstimates {
  const total = cellSum(sums, SLOT.weight, ALL);
  const rates: Partial<Record<RateKey, RateEstimate>> = {};
  for (const [key, cells] of Object.entries(CELL_RATES)) {
    if (context.hasLabels || LABEL_FREE_RATES.has(key)) {
      rates[key as RateKey] = proportionEstimate(sums, cells.numerator, cells.denominator);
    }
  }
  rates.scoring_rate = context.hasScores
    ? proportionFromSums(sums[SLOT.aboveMedian]!, total, cellSum(sums, SLOT.weightSq, ALL))
    : { value: null, proportion: null };
  if (context.hasLabels) Object.assign(rates, compositeRates(sums));
  const positives = cellSum(sums, SLOT.weight, [CELL.TP, CELL.FN]);
  return {
    rows: sums[SLOT.rows]!,
    rates,
    auc,
    brierScore: context.hasScores && context.hasLabels && total > 0 ? sums[SLOT.brierSum]! / total : null,
    meanScore: context.hasScores && total > 0 ? sums[SLOT.scoreSum]! / total : null,
    singleClass: context.hasLabels && total > 0 && (positives === 0 || positives === total),
    calibration: calibration.fit,
    calibrationScope: calibration.scope,
  };
}

/** Class sizes for the AUC, from one group's block of tally sums. */
export function classWeights(sums: Float64Array): ClassWeights {
  const positive = [CELL.TP, CELL.FN] as Cell[];
  const negative = [CELL.TN, CELL.FP] as Cell[];
  return {
    positive: cellSum(sums, SLOT.weight, positive),
    negative: cellSum(sums, SLOT.weight, negative),
    positiveEffective: effectiveSize(
      cellSum(sums, SLOT.weight, positive),
      cellSum(sums, SLOT.weightSq, positive),
    ),
    negativeEffective: effectiveSize(
      cellSum(sums, SLOT.weight, negative),
      cellSum(sums, SLOT.weightSq, negative),
    ),
  };
}

/** balanced_accuracy = (TPR + TNR)/2 and f1 = 2TP/(2TP + FP + FN). */
function compositeRates(sums: Float64Array): Partial<Record<RateKey, RateEstimate>> {
  const [tn, fp, fn, tp] = ALL.map((c) => sums[SLOT.weight + c]!) as [number, number, number, number];
  const balanced = tp + fn > 0 && tn + fp > 0 ? (tp / (tp + fn) + tn / (tn + fp)) / 2 : null;
  const f1Denominator = 2 * tp + fp + fn;
  return {
    balanced_accuracy: { value: balanced, proportion: null },
    f1: { value: f1Denominator > 0 ? (2 * tp) / f1Denominator : null, proportion: null },
  };
}

function proportionEstimate(sums: Float64Array, numerator: Cell[], denominator: Cell[]): RateEstimate {
  return proportionFromSums(
    cellSum(sums, SLOT.weight, numerator),
    cellSum(sums, SLOT.weight, denominator),
    cellSum(sums, SLOT.weightSq, denominator),
  );
}

function proportionFromSums(numerator: number, denominator: number, denominatorSq: number): RateEstimate {
  const value = denominator > 0 ? numerator / denominator : null;
  if (denominatorSq === denominator) {
    return { value, proportion: { numerator, denominator, x: numerator, n: denominator } };
  }
  const n = effectiveSize(denominator, denominatorSq);
  return { value, proportion: { numerator, denominator, x: (value ?? 0) * n, n } };
}

/**
 * Kish's effective sample size (Σw)²/Σw²; 0 for an empty set. When Σw² = Σw (unweighted rows, counts) it is Σw
 * itself, returned as is: (Σw)²/Σw can be off by an ulp, and with counts it must be the number of people.
 */
function effectiveSize(weight: number, weightSq: number): number {
  if (weightSq === weight) return weight;
  return weightSq > 0 ? (weight * weight) / weightSq : 0;
}

function cellSum(sums: Float64Array, offset: number, cells: readonly Cell[]): number {
  let total = 0;
  for (const c of cells) total += sums[offset + c]!;
  return total;
}

/** The public metrics of a group: every key, or only LABEL_FREE_KEYS in label-free mode. */
export function toMetrics(
  estimates: GroupEstimates,
  z: number,
  hasLabels: boolean,
): Partial<Record<MetricKey, MetricValue>> {
  const metrics: Partial<Record<MetricKey, MetricValue>> = { count: { value: estimates.rows } };
  for (const [key, rate] of Object.entries(estimates.rates)) metrics[key as RateKey] = rateMetric(rate, z);
  metrics.mean_score = { value: estimates.meanScore };
  if (!hasLabels) return metrics;
  metrics.roc_auc = aucMetric(estimates.auc, z);
  metrics.brier_score = { value: estimates.brierScore };
  Object.assign(metrics, calibrationKeys(estimates, z));
  return metrics;
}

/**
 * The calibration keys (metrics.md, "Score quality per group"): null with a flag saying why when the audit
 * has no scores, scores outside [0, 1], or the group's fit is undefined or did not converge.
 */
function calibrationKeys(estimates: GroupEstimates, z: number): Partial<Record<MetricKey, MetricValue>> {
  const c =
    estimates.calibration !== null
      ? calibrationMetrics(estimates.calibration, z)
      : undefinedCalibration(
          estimates.calibrationScope ?? (estimates.rows > 0 ? 'no_scores_or_labels' : null),
        );
  const ece: MetricValue = { value: c.expected_calibration_error };
  if (c.expected_calibration_error === null && c.flags[0] !== undefined) ece.flag = c.flags[0];
  return {
    expected_calibration_error: ece,
    observed_expected_ratio: c.observed_expected_ratio,
    calibration_intercept: c.calibration_intercept,
    calibration_slope: c.calibration_slope,
  };
}

/** A rate clamped to [0, 1], with its Wilson interval containing it. */
function rateMetric(rate: RateEstimate, z: number): MetricValue {
  const value = clampTo(rate.value, 0, 1);
  const { proportion } = rate;
  if (proportion === null) return { value, ciLow: null, ciHigh: null };
  const interval = containing(wilsonInterval(proportion.x, proportion.n, z), value, 0, 1);
  return {
    value,
    ciLow: interval?.low ?? null,
    ciHigh: interval?.high ?? null,
    numerator: proportion.numerator,
    denominator: proportion.denominator,
  };
}

/**
 * The AUC with DeLong's interval on the logit scale; where that collapses or is undefined (perfect
 * separation, A = 0 or 1, where DeLong's variance is 0; a class of fewer than 2 rows; a variance of 0) the
 * score-type Hanley–McNeil interval of Newcombe (2006, method 5) instead: with 5 + 5 rows DeLong's [1, 1]
 * covered 68% in the simulation study. The interval contains the (clamped) estimate.
 */
export function aucMetric(auc: AucEstimate | null, z: number): MetricValue {
  if (auc === null) return { value: null, ciLow: null, ciHigh: null };
  const value = Math.min(1, Math.max(0, auc.value));
  const delong =
    auc.variance !== null && auc.variance > 0 && value > 0 && value < 1
      ? logitInterval(value, Math.sqrt(auc.variance), z)
      : null;
  const raw = delong ?? mannWhitneyScoreInterval(value, auc.positives, auc.negatives, z);
  const interval = containing(raw, value, 0, 1);
  return { value, ciLow: interval?.low ?? null, ciHigh: interval?.high ?? null };
}
