/**
 * Calibration of a score per group (docs/metrics.md, "Score quality per group"): Brier score, expected
 * calibration error over 10 equal-width bins, the observed/expected ratio, and the logistic calibration
 * intercept and slope, with intervals; and the reliability curve those bins give. Weighted rows make every
 * sum weighted.
 */
import { squaredWeight } from '../ingest/batch';
import { wilsonInterval } from '../stats/intervals';
import type { ScoreLevels } from './levels';
import { fitCalibrationIntercept, fitCalibrationSlope, levelLogits, type WaldEstimate } from './logistic';

export const CALIBRATION_BINS = 10;

export interface Estimate {
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Why the value (or only its interval) is null. */
  flag?: CalibrationFlag;
}

/**
 * Why a calibration figure is null: no_scores_or_labels, scores_outside_unit_interval, single_class,
 * constant_score (no slope), intercept_ / slope_not_converged (separation: the likelihood has no finite
 * maximum), zero_expected (Σs = 0: O/E undefined), no_events (O = 0: O/E is 0, its log interval undefined),
 * not_converged (a fit whose standard error is not finite).
 */
export const CALIBRATION_FLAGS = [
  'no_scores_or_labels',
  'scores_outside_unit_interval',
  'single_class',
  'constant_score',
  'intercept_not_converged',
  'slope_not_converged',
  'zero_expected',
  'no_events',
  'not_converged',
] as const;
export type CalibrationFlag = (typeof CALIBRATION_FLAGS)[number];

export interface CalibrationMetrics {
  brier_score: number | null;
  expected_calibration_error: number | null;
  observed_expected_ratio: Estimate;
  calibration_intercept: Estimate;
  calibration_slope: Estimate;
  flags: CalibrationFlag[];
}

export interface CurvePoint {
  binLow: number;
  binHigh: number;
  /** Rows in the bin (Σw with weights). */
  count: number;
  meanScore: number | null;
  observedRate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

/** The columns the reliability curve reads. */
export interface ScoredRows {
  scores: Float64Array;
  labels: Uint8Array;
  /** Sampling weights, or counts when `frequencies` (config.countColumn). */
  weights: Float64Array | undefined;
  frequencies?: boolean;
}

const NONE: Estimate = { value: null, ciLow: null, ciHigh: null };

export function binOf(score: number): number {
  return Math.min(Math.floor(score * CALIBRATION_BINS), CALIBRATION_BINS - 1);
}

/** True when every score lies in [0, 1]: calibration is defined for probabilities only. */
export function scoresAreProbabilities(scores: Float64Array): boolean {
  for (let i = 0; i < scores.length; i++) if (!(scores[i]! >= 0 && scores[i]! <= 1)) return false;
  return true;
}

interface BinSums {
  weight: Float64Array;
  weightSq: Float64Array;
  scoreSum: Float64Array;
  labelSum: Float64Array;
}

function binSums(data: ScoredRows, rows: ArrayLike<number>): BinSums {
  const sums: BinSums = {
    weight: new Float64Array(CALIBRATION_BINS),
    weightSq: new Float64Array(CALIBRATION_BINS),
    scoreSum: new Float64Array(CALIBRATION_BINS),
    labelSum: new Float64Array(CALIBRATION_BINS),
  };
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const w = data.weights === undefined ? 1 : data.weights[i]!;
    const b = binOf(data.scores[i]!);
    sums.weight[b]! += w;
    sums.weightSq[b]! += squaredWeight(w, data.frequencies === true);
    sums.scoreSum[b]! += w * data.scores[i]!;
    sums.labelSum[b]! += w * data.labels[i]!;
  }
  return sums;
}

/** Every metric null, each with the same reason (e.g. scores outside [0, 1]). */
export function undefinedCalibration(flag: CalibrationFlag | null): CalibrationMetrics {
  const none: Estimate = flag === null ? NONE : { ...NONE, flag };
  return {
    brier_score: null,
    expected_calibration_error: null,
    observed_expected_ratio: none,
    calibration_intercept: none,
    calibration_slope: none,
    flags: flag === null ? [] : [flag],
  };
}

/**
 * What a group's calibration metrics are computed from (no interval level yet): the weighted sums, the fits,
 * and the design factor d = Σw²/Σw that scales every variance (1 without weights).
 */
export interface CalibrationFit {
  /** Σw; 0 for an empty group (every metric null). */
  total: number;
  /** O = Σw·y and E = Σw·s. */
  observed: number;
  expected: number;
  brier: number;
  ece: number;
  design: number;
  intercept: WaldEstimate | null;
  slope: WaldEstimate | null;
  /** Why a fit is missing (single class, constant score, not converged). */
  flags: CalibrationFlag[];
}

/** The sums and fits of one group, from its distinct scores (levels.ts). */
export function calibrationFit(levels: ScoreLevels): CalibrationFit {
  const total = levels.weight;
  const bins = { label: new Float64Array(CALIBRATION_BINS), score: new Float64Array(CALIBRATION_BINS) };
  let observed = 0;
  let expected = 0;
  let brier = 0;
  for (let l = 0; l < levels.length; l++) {
    const s = levels.score[l]!;
    const pos = levels.positive[l]!;
    const w = pos + levels.negative[l]!;
    observed += pos;
    expected += w * s;
    brier += pos * (1 - s) * (1 - s) + levels.negative[l]! * s * s;
    const b = binOf(s);
    bins.label[b]! += pos;
    bins.score[b]! += w * s;
  }
  let ece = 0;
  for (let b = 0; b < CALIBRATION_BINS; b++) ece += Math.abs(bins.label[b]! - bins.score[b]!);
  const fit: CalibrationFit = {
    total,
    observed,
    expected,
    brier: total > 0 ? brier / total : NaN,
    ece: total > 0 ? ece / total : NaN,
    design: total > 0 ? levels.weightSq / total : NaN,
    intercept: null,
    slope: null,
    flags: [],
  };
  if (!(total > 0)) return fit;
  if (observed === 0 || observed === total) {
    fit.flags.push('single_class');
    return fit;
  }
  const logits = levelLogits(levels);
  const a = fitCalibrationIntercept(levels, logits);
  if (a === 'not_converged') fit.flags.push('intercept_not_converged');
  else fit.intercept = a;
  if (levels.length < 2) {
    fit.flags.push('constant_score');
  } else {
    const b = fitCalibrationSlope(levels, logits);
    if (b === 'not_converged') fit.flags.push('slope_not_converged');
    else fit.slope = b;
  }
  return fit;
}

/**
 * Every calibration metric of one group at the interval's z. Intervals use the weighted Fisher information
 * (and the weighted events for O/E) scaled by d = Σw²/Σw, i.e. Kish's effective size (Σw)²/Σw² in place of
 * Σw, as for every other interval of the engine: d = 1 without weights, and intervals are unchanged when all
 * weights are multiplied by a constant.
 */
export function calibrationMetrics(fit: CalibrationFit, z: number): CalibrationMetrics {
  if (!(fit.total > 0)) return undefinedCalibration(null);
  const fitFlag = (which: 'intercept' | 'slope'): CalibrationFlag =>
    fit.flags.find((f) => f === 'single_class' || f === 'constant_score' || f === `${which}_not_converged`) ??
    'not_converged';
  return {
    brier_score: fit.brier,
    expected_calibration_error: fit.ece,
    observed_expected_ratio: observedExpected(fit, z),
    calibration_intercept:
      fit.intercept === null ? { ...NONE, flag: fitFlag('intercept') } : wald(fit.intercept, fit.design, z),
    calibration_slope:
      fit.slope === null ? { ...NONE, flag: fitFlag('slope') } : wald(fit.slope, fit.design, z),
    flags: [...fit.flags],
  };
}

export function calibrationFromLevels(levels: ScoreLevels, z: number): CalibrationMetrics {
  return calibrationMetrics(calibrationFit(levels), z);
}

/** Standard error of ln(O/E): √(d/O) (Poisson events); null when O = 0 or Σs = 0. */
export function logObservedExpectedSe(fit: CalibrationFit): number | null {
  return fit.observed > 0 && fit.expected > 0 ? Math.sqrt(fit.design / fit.observed) : null;
}

/** A fit's standard error with the design factor. */
export function scaledSe(estimate: WaldEstimate, fit: CalibrationFit): number {
  return estimate.se * Math.sqrt(fit.design);
}

/** O/E with exp(ln(O/E) ± z·√(d/O)); null when Σs = 0, no interval when O = 0. */
function observedExpected(fit: CalibrationFit, z: number): Estimate {
  if (!(fit.expected > 0)) return { ...NONE, flag: 'zero_expected' };
  const ratio = fit.observed / fit.expected;
  const se = logObservedExpectedSe(fit);
  if (se === null) return { value: ratio, ciLow: null, ciHigh: null, flag: 'no_events' };
  return { value: ratio, ciLow: ratio * Math.exp(-z * se), ciHigh: ratio * Math.exp(z * se) };
}

function wald(estimate: WaldEstimate, design: number, z: number): Estimate {
  const se = estimate.se * Math.sqrt(design);
  if (!Number.isFinite(se)) return { ...NONE, flag: 'not_converged' };
  return { value: estimate.value, ciLow: estimate.value - z * se, ciHigh: estimate.value + z * se };
}

/**
 * The reliability curve: per bin, its rows, mean score and observed rate of label 1 with a Wilson interval
 * (on Kish's effective size with weights).
 */
export function reliabilityCurve(data: ScoredRows, rows: ArrayLike<number>, z: number): CurvePoint[] {
  const sums = binSums(data, rows);
  return Array.from({ length: CALIBRATION_BINS }, (_, b): CurvePoint => {
    const w = sums.weight[b]!;
    const binLow = b / CALIBRATION_BINS;
    const binHigh = (b + 1) / CALIBRATION_BINS;
    if (!(w > 0))
      return { binLow, binHigh, count: 0, meanScore: null, observedRate: null, ciLow: null, ciHigh: null };
    const rate = sums.labelSum[b]! / w;
    // Σw² = Σw without weights and with counts: the effective size is then Σw itself, the people of the bin.
    const effective = sums.weightSq[b] === w ? w : (w * w) / sums.weightSq[b]!;
    const interval = wilsonInterval(rate * effective, effective, z);
    return {
      binLow,
      binHigh,
      count: w,
      meanScore: sums.scoreSum[b]! / w,
      observedRate: rate,
      ciLow: interval === null ? null : Math.min(interval.low, rate),
      ciHigh: interval === null ? null : Math.max(interval.high, rate),
    };
  });
}
